package io.github.dropin.keycloak.rest.admin.ui;

import io.github.dropin.keycloak.users.LegacyTokens;
import org.keycloak.provider.ProviderConfigProperty;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One field of the admin console's Drop-in tab: the realm attribute it edits ({@code dropin.<scope>.<key>}, or
 * {@code dropin.<key>} for the realm-wide code keys), the form property the console draws, and the check a value must
 * pass before it is saved. The property's name is the attribute without {@code dropin.} and with {@code /} for
 * {@code .}, because the console reads a dot in a field name as a path into the form's values.
 *
 * @param attribute the realm attribute, e.g. {@code dropin.shield.smsHourlyBudget}
 * @param property  what the console shows: label, help text (with the default), type
 * @param check     what a value must be
 */
record TabField(String attribute, ProviderConfigProperty property, Check check) {

    /** The choice of a list that sets nothing in the realm: the server's option or the default applies. */
    static final String NOT_SET = "(server default)";
    /** The ISO 3166 regions libphonenumber and the pack use. */
    private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());
    /** libphonenumber's number types that a realm may allow (premium-rate and shared-cost never are). */
    static final Set<String> NUMBER_TYPES = Set.of("MOBILE", "FIXED_LINE_OR_MOBILE", "FIXED_LINE", "VOIP",
            "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL", "TOLL_FREE", "UNKNOWN");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\s]+");

    /** What a value must be; {@link #problem} says why it is not, in the words the console shows. */
    sealed interface Check {

        /** Why {@code value} (stripped, not empty) is refused, or empty if it may be saved. */
        Optional<String> problem(String value);
    }

    /** Any text. */
    record AnyText() implements Check {
        @Override
        public Optional<String> problem(String value) {
            return Optional.empty();
        }
    }

    /** A whole number in {@code [min, max]}. */
    record Range(int min, int max) implements Check {
        @Override
        public Optional<String> problem(String value) {
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            return Optional.of(max == Integer.MAX_VALUE ? "must be a whole number of at least " + min
                    : "must be a whole number from " + min + " to " + max);
        }
    }

    /** One of a few words. */
    record OneOf(Set<String> values) implements Check {
        @Override
        public Optional<String> problem(String value) {
            return values.contains(value) ? Optional.empty()
                    : Optional.of("must be one of " + String.join(", ", values.stream().sorted().toList()));
        }
    }

    /** One ISO 3166 region code ({@code DE}), or with {@code list} a comma-separated list of them. */
    record Regions(boolean list) implements Check {
        @Override
        public Optional<String> problem(String value) {
            String[] codes = list ? LIST_SEPARATOR.split(value) : new String[]{value};
            Optional<String> unknown = Arrays.stream(codes).filter(code -> !code.isEmpty())
                    .filter(code -> !REGIONS.contains(code.toUpperCase(Locale.ROOT))).findFirst();
            return unknown.map(code -> "'" + code + "' is not an ISO 3166 region code (such as DE or US)");
        }
    }

    /** A comma-separated list of libphonenumber number types. */
    record NumberTypes() implements Check {
        @Override
        public Optional<String> problem(String value) {
            Optional<String> unknown = Arrays.stream(LIST_SEPARATOR.split(value)).filter(type -> !type.isEmpty())
                    .filter(type -> !NUMBER_TYPES.contains(type.toUpperCase(Locale.ROOT))).findFirst();
            return unknown.map(type -> "'" + type + "' is not a number type that may be allowed ("
                    + String.join(", ", NUMBER_TYPES.stream().sorted().toList()) + ")");
        }
    }

    /** An absolute http or https URL. */
    record Url() implements Check {
        @Override
        public Optional<String> problem(String value) {
            try {
                URI uri = new URI(value);
                if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                        && uri.getHost() != null) {
                    return Optional.empty();
                }
            } catch (java.net.URISyntaxException e) {
                // refused below
            }
            return Optional.of("must be an http or https URL such as https://sms.example.com/send");
        }
    }

    /** An opt-in's end date, in a form {@link LegacyTokens#parseUntil} reads (an unreadable one would mean "off"). */
    record EndDate() implements Check {
        @Override
        public Optional<String> problem(String value) {
            return LegacyTokens.parseUntil(value).isPresent() ? Optional.empty()
                    : Optional.of("must be an ISO date such as 2027-06-30, an ISO instant such as 2027-06-30T12:00:00Z, "
                    + "or epoch seconds");
        }
    }

    /**
     * A secret, which the tab takes only as a vault reference ({@code ${vault.key}}): the form then never holds a
     * secret, and the admin API shows it masked in any case.
     */
    record VaultReference() implements Check {
        @Override
        public Optional<String> problem(String value) {
            return VAULT_REFERENCE.matcher(value).matches() ? Optional.empty()
                    : Optional.of("must be a vault reference such as ${vault.sms-token}: the admin console takes no "
                    + "secret in clear");
        }
    }

    /** The form property's name for a realm attribute. */
    static String propertyName(String attribute) {
        return attribute.substring("dropin.".length()).replace('.', '/');
    }

    String name() {
        return property.getName();
    }

    boolean secret() {
        return check instanceof VaultReference;
    }

    /** The property's type as the console draws it. */
    static String typeOf(Check check, String settingType) {
        if (check instanceof VaultReference) {
            return ProviderConfigProperty.PASSWORD;
        }
        if (check instanceof OneOf) {
            return ProviderConfigProperty.LIST_TYPE;
        }
        // Booleans are lists of "", true and false (see TabFields): a switch could not say "not set here".
        return ProviderConfigProperty.INTEGER_TYPE.equals(settingType) ? ProviderConfigProperty.INTEGER_TYPE
                : ProviderConfigProperty.STRING_TYPE;
    }
}
