package io.github.dropin.keycloak.rest.admin.ui;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import io.github.dropin.keycloak.credential.PinAttempts;
import io.github.dropin.keycloak.messaging.CodeMessenger;
import io.github.dropin.keycloak.phone.LibPhoneNumberProviderFactory;
import io.github.dropin.keycloak.phone.NumberPolicy;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import io.github.dropin.keycloak.service.CredentialThrottle;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.settings.ShieldSettings;
import io.github.dropin.keycloak.sms.HttpSmsSenderProviderFactory;
import io.github.dropin.keycloak.sms.SmsSenderProvider;
import io.github.dropin.keycloak.sms.TwilioSmsSenderProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of the Drop-in tab, in the order and groups of the configuration reference (docs/configuration.md):
 * one-time codes, phone numbers, fraud shield, delivery and each sender, password and PIN guessing, each dialect.
 * Keys, help texts and defaults come from the providers' own option lists ({@link Setting}s and SPI option
 * metadata), so the tab, {@code kc.sh show-config} and the documentation say the same.
 * <p>
 * Left out on purpose (they stay realm attributes, see the documentation): the per-dialect overrides of the code keys
 * other than those a dialect lists itself, the login forms' settings (their own configuration in the flow),
 * {@code allowedEndpoints} (an SPI option only), and the migration counters ({@code dropin.legacyIds.next},
 * {@code dropin.import.*}).
 */
final class TabFields {

    private static final int ANY = Integer.MAX_VALUE;
    /** Ranges beyond "a whole number of at least 0", from the keys' documented limits. */
    private static final Map<String, TabField.Range> RANGES = Map.ofEntries(
            Map.entry(CodePolicy.LENGTH, new TabField.Range(4, 9)),
            Map.entry(CodePolicy.LIFETIME, new TabField.Range(10, 86_400)),
            Map.entry(CodePolicy.MAX_ATTEMPTS, new TabField.Range(1, 100)),
            Map.entry(CodePolicy.RESEND_COOLDOWN, new TabField.Range(0, 86_400)),
            Map.entry(CodePolicy.RESEND_BACKOFF_MAX, new TabField.Range(0, 86_400)),
            Map.entry(ShieldSettings.IPV4_PREFIX, new TabField.Range(1, 32)),
            Map.entry(ShieldSettings.IPV6_PREFIX, new TabField.Range(1, 128)),
            Map.entry(ShieldSettings.SMS_PREFIX_DIGITS, new TabField.Range(0, 14)),
            Map.entry("connectTimeout", new TabField.Range(100, 10_000)),
            Map.entry("readTimeout", new TabField.Range(100, 15_000)),
            Map.entry(CredentialThrottle.WINDOW, new TabField.Range(1, 86_400 * 7)),
            Map.entry(PinAttempts.MAX_ATTEMPTS, new TabField.Range(1, 100)),
            Map.entry(PinAttempts.LOCK_SECONDS, new TabField.Range(1, 86_400 * 7)));
    /** Settings a realm must not set (the operator's), or that name no setting of the realm. */
    private static final Set<String> SERVER_ONLY = Set.of("allowedEndpoints", "enabled");

    private TabFields() {
    }

    /** Every field, built from the providers the server runs. */
    static List<TabField> of(KeycloakSessionFactory factory) {
        List<TabField> fields = new ArrayList<>();
        Set<String> shield = new LinkedHashSet<>();
        ShieldSettings.SETTINGS.forEach(s -> shield.add(s.key()));

        // One-time codes, realm-wide (dropin.<key>): the engine's options without the shield's.
        for (ProviderConfigProperty p : metadata(factory, OneTimeCodeProvider.class, "default")) {
            if (!shield.contains(p.getName())) {
                fields.add(field("One-time codes", "", p));
            }
        }
        for (ProviderConfigProperty p : metadata(factory, PhoneNumberProvider.class, LibPhoneNumberProviderFactory.PROVIDER_ID)) {
            fields.add(field("Phone numbers", LibPhoneNumberProviderFactory.SETTINGS_SCOPE, p));
        }
        for (ProviderConfigProperty p : Setting.metadata(ShieldSettings.SETTINGS)) {
            fields.add(field("Fraud shield", ShieldSettings.SCOPE, p));
        }
        fields.add(choice("Delivery", CodeMessenger.SMS_SCOPE, CodeMessenger.SENDER, "SMS sender",
                "The SMS sender of this realm. twilio and http use their settings below; log prints messages to the "
                        + "console and is refused outside development unless it is the server's default.",
                List.of("twilio", "http", "log")));
        fields.add(choice("Delivery", CodeMessenger.EMAIL_SCOPE, CodeMessenger.DELIVERY, "Email delivery",
                "smtp sends through the realm's Email settings; log prints emails to the console (development only).",
                List.of("smtp", "log")));
        for (ProviderConfigProperty p : metadata(factory, SmsSenderProvider.class, TwilioSmsSenderProviderFactory.PROVIDER_ID)) {
            fields.add(field("Twilio", TwilioSmsSenderProviderFactory.SCOPE, p));
        }
        for (ProviderConfigProperty p : metadata(factory, SmsSenderProvider.class, HttpSmsSenderProviderFactory.PROVIDER_ID)) {
            fields.add(field("HTTP gateway", HttpSmsSenderProviderFactory.SCOPE, p));
        }
        fields.addAll(guessing());
        fields.addAll(keepingSignedIn());
        factory.getProviderFactoriesStream(RealmResourceProvider.class)
                .filter(DialectProviderFactory.class::isInstance).map(DialectProviderFactory.class::cast)
                .sorted(Comparator.comparing(ProviderFactory::getId))
                .forEach(dialect -> dialect.dialect().options().forEach(setting -> {
                    if (!SERVER_ONLY.contains(setting.key())) {
                        fields.add(field("Dialect " + dialect.getId(), dialect.getId(),
                                Setting.metadata(List.of(setting)).get(0)));
                    }
                }));
        fields.removeIf(f -> f == null);
        return List.copyOf(fields);
    }

    /** Password and PIN guessing: realm attributes only, no provider lists them as options. */
    private static List<TabField> guessing() {
        String pw = CredentialThrottle.PASSWORD_SCOPE;
        String pin = CredentialThrottle.PIN_SCOPE;
        CredentialThrottle.Limits d = CredentialThrottle.Limits.PASSWORDS;
        return List.of(
                field("Password guessing", pw, Setting.metadata(List.of(Setting.integer(CredentialThrottle.MAX_PER_ACCOUNT,
                        d.perAccount(), "Wrong passwords per account per window (0 = off)."))).get(0)),
                field("Password guessing", pw, Setting.metadata(List.of(Setting.integer(CredentialThrottle.MAX_PER_NETWORK,
                        d.perNetwork(), "Wrong passwords per client network per window, all accounts together (0 = off)."))).get(0)),
                field("Password guessing", pw, Setting.metadata(List.of(Setting.integer(CredentialThrottle.WINDOW,
                        d.windowSeconds(), "Seconds a wrong password counts."))).get(0)),
                field("PIN guessing", pin, Setting.metadata(List.of(Setting.integer(PinAttempts.MAX_ATTEMPTS,
                        PinAttempts.Limits.DEFAULTS.maxAttempts(), "Wrong PINs per account per window."))).get(0)),
                field("PIN guessing", pin, Setting.metadata(List.of(Setting.integer(PinAttempts.LOCK_SECONDS,
                        PinAttempts.Limits.DEFAULTS.lockSeconds(), "Seconds a wrong PIN counts."))).get(0)),
                field("PIN guessing", pin, Setting.metadata(List.of(Setting.integer(CredentialThrottle.MAX_PER_NETWORK,
                        PinAttempts.DEFAULT_MAX_PER_NETWORK, "Wrong PINs per client network per window, all accounts "
                                + "together (0 = off)."))).get(0)));
    }

    /** The cutover's opt-ins (docs/migration.md, "Keeping users signed in"): realm attributes only. */
    private static List<TabField> keepingSignedIn() {
        String group = "Keeping users signed in";
        String refresh = "legacyRefreshTokens";
        return List.of(
                field(group, "legacyTokens", property("until", "Legacy DRF keys until", ProviderConfigProperty.STRING_TYPE,
                        null, "DRF keys (authtoken) of the legacy backend are accepted until then: an ISO date (to the "
                                + "end of that day, UTC), an ISO instant or epoch seconds. Empty: never.")),
                field(group, refresh, property("until", "Legacy refresh tokens until", ProviderConfigProperty.STRING_TYPE,
                        null, "SimpleJWT refresh tokens of the legacy backend are refreshed once each until then "
                                + "(same forms). Empty: never.")),
                field(group, refresh, property("secret", "Legacy signing key", ProviderConfigProperty.PASSWORD, null,
                        "SimpleJWT's SIGNING_KEY (by default Django's SECRET_KEY), as a vault reference such as "
                                + "${vault.legacy_secret_key}.")),
                choice(group, refresh, "algorithm", "Legacy signing algorithm", "SimpleJWT's ALGORITHM; not set: HS256.",
                        List.of("HS256", "HS384", "HS512")),
                field(group, refresh, property("userIdClaim", "Legacy user id claim", ProviderConfigProperty.STRING_TYPE,
                        "user_id", "SimpleJWT's USER_ID_CLAIM: the claim holding the legacy primary key.")));
    }

    private static ProviderConfigProperty property(String name, String label, String type, String defaultValue,
                                                   String help) {
        return ProviderConfigurationBuilder.create().property().name(name).label(label).type(type)
                .secret(ProviderConfigProperty.PASSWORD.equals(type)).defaultValue(defaultValue).helpText(help)
                .add().build().get(0);
    }

    private static List<ProviderConfigProperty> metadata(KeycloakSessionFactory factory,
                                                         Class<? extends org.keycloak.provider.Provider> type, String id) {
        ProviderFactory<?> provider = factory.getProviderFactory(type, id);
        return provider == null ? List.of() : provider.getConfigMetadata();
    }

    /** A field for the setting {@code p} in {@code scope} (empty: the realm-wide {@code dropin.<key>}). */
    static TabField field(String group, String scope, ProviderConfigProperty p) {
        String key = p.getName();
        if (SERVER_ONLY.contains(key)) {
            return null;
        }
        String attribute = Dropin.REALM_ATTRIBUTE_PREFIX + (scope.isEmpty() ? "" : scope + ".") + key;
        TabField.Check check = check(key, p);
        if (check instanceof TabField.OneOf choice) {
            return choice(group, scope, key, label(p), p.getHelpText(), choice.values().stream().sorted().toList());
        }
        // No default value on the property: an empty field means "not set in this realm", never the default pinned.
        ProviderConfigProperty property = ProviderConfigurationBuilder.create().property()
                .name(TabField.propertyName(attribute))
                .label(group + " - " + label(p) + (p.getDefaultValue() == null
                        || p.getDefaultValue().toString().isEmpty() ? "" : " (default " + p.getDefaultValue() + ")"))
                .type(TabField.typeOf(check, p.getType()))
                .secret(check instanceof TabField.VaultReference)
                .helpText(help(p.getHelpText(), p.getDefaultValue(), attribute))
                .add().build().get(0);
        return new TabField(attribute, property, check);
    }

    private static TabField choice(String group, String scope, String key, String label, String help, List<String> values) {
        String attribute = Dropin.REALM_ATTRIBUTE_PREFIX + scope + "." + key;
        List<String> options = new ArrayList<>();
        // First and so the form's initial value: not set in this realm (stored as no attribute).
        options.add(TabField.NOT_SET);
        options.addAll(values);
        ProviderConfigProperty property = ProviderConfigurationBuilder.create().property()
                .name(TabField.propertyName(attribute))
                .label(group + " - " + label)
                .type(ProviderConfigProperty.LIST_TYPE)
                .options(options)
                .helpText(help(help, null, attribute))
                .add().build().get(0);
        return new TabField(attribute, property, new TabField.OneOf(Set.copyOf(values)));
    }

    private static TabField.Check check(String key, ProviderConfigProperty p) {
        if (p.isSecret() || ProviderConfigProperty.PASSWORD.equals(p.getType())) {
            return new TabField.VaultReference();
        }
        if (ProviderConfigProperty.BOOLEAN_TYPE.equals(p.getType())) {
            return new TabField.OneOf(Set.of("true", "false"));
        }
        if (ProviderConfigProperty.INTEGER_TYPE.equals(p.getType())) {
            return RANGES.getOrDefault(key, new TabField.Range(0, ANY));
        }
        return switch (key) {
            case LibPhoneNumberProviderFactory.DEFAULT_REGION -> new TabField.Regions(false);
            case NumberPolicy.ALLOWED_REGIONS, NumberPolicy.DENIED_REGIONS -> new TabField.Regions(true);
            case NumberPolicy.ALLOWED_TYPES -> new TabField.NumberTypes();
            case TwilioSmsSenderProviderFactory.API_BASE_URL, HttpSmsSenderProviderFactory.URL -> new TabField.Url();
            case "until" -> new TabField.EndDate();
            default -> new TabField.AnyText();
        };
    }

    /** {@code codeHourlyLimitPerIp} as "Code hourly limit per IP", or the provider's own label. */
    private static String label(ProviderConfigProperty p) {
        if (p.getLabel() != null && !p.getLabel().isBlank()) {
            return p.getLabel();
        }
        String words = p.getName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        words = (" " + words + " ").replace(" ip ", " IP ").replace(" sms ", " SMS ").replace(" url ", " URL ")
                .replace(" ipv4 ", " IPv4 ").replace(" ipv6 ", " IPv6 ").replace(" pin ", " PIN ").strip();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The help text with what applies when the field is left empty, and the attribute it sets. */
    private static String help(String text, Object defaultValue, String attribute) {
        String help = text == null ? "" : text.strip();
        String fallback = defaultValue == null || defaultValue.toString().isEmpty() ? ""
                : " (built-in default " + defaultValue + ")";
        help += " Left empty, the server's option or the default applies" + fallback + ". Realm attribute "
                + attribute + ".";
        return help;
    }

    /** The attribute names the tab edits. */
    static Set<String> attributes(List<TabField> fields) {
        Set<String> names = new LinkedHashSet<>();
        fields.forEach(f -> names.add(f.attribute()));
        return names;
    }
}
