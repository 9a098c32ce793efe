package io.github.dropin.keycloak.delivery;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.sms.SmsException;
import io.github.dropin.keycloak.sms.SmsMessage;
import io.github.dropin.keycloak.sms.SmsSenderProvider;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Sends one-time codes to people, by SMS or email, in their locale, with texts from the theme's message bundles
 * ({@code dropin.sms.<purpose>}, {@code dropin.email.subject.<purpose>} and the {@code dropin-code.ftl} email
 * templates of the pack's theme jar).
 * <p>
 * Realm settings (scope {@code sms} / {@code email}):
 * {@code dropin.sms.sender} picks the SMS provider (default: the SPI's default provider);
 * {@code dropin.email.delivery} is {@code smtp} (the realm's SMTP settings, default) or {@code log}.
 */
public class CodeMessenger {

    public static final String SMS_SCOPE = "sms";
    public static final String EMAIL_SCOPE = "email";
    public static final String SENDER = "sender";
    public static final String DELIVERY = "delivery";
    public static final String EMAIL_TEMPLATE = "dropin-code.ftl";

    private final KeycloakSession session;

    public CodeMessenger(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Texts {@code code} to {@code phoneNumber}.
     *
     * @param user the recipient if known (for the locale); may be {@code null}
     */
    public void sendSms(RealmModel realm, UserModel user, String phoneNumber, CodePurpose purpose, String code,
                        int lifetimeSeconds) throws DeliveryException {
        Locale locale = session.getContext().resolveLocale(user);
        String text = format(realm, locale, "dropin.sms." + purpose.id(), code, realmName(realm), minutes(lifetimeSeconds));
        SmsSenderProvider sender = sender(realm);
        try {
            sender.send(new SmsMessage(realm, phoneNumber, text, purpose.id(), locale));
        } catch (SmsException e) {
            throw new DeliveryException("sms", e.reason(), e.detail(), e);
        }
    }

    /** Emails {@code code} to {@code address} (normally the user's email). */
    public void sendEmail(RealmModel realm, UserModel user, String address, CodePurpose purpose, String code,
                          int lifetimeSeconds) throws DeliveryException {
        boolean log = "log".equalsIgnoreCase(RealmSettings.of(realm, EMAIL_SCOPE).get(DELIVERY, "smtp"));
        EmailTemplateProvider email = log
                ? new LoggingEmailTemplateProvider(session, purpose.id())
                : session.getProvider(EmailTemplateProvider.class);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", code);
        attributes.put("purpose", purpose.id());
        attributes.put("lifetimeMinutes", minutes(lifetimeSeconds));
        try {
            email.setRealm(realm).setUser(user).send("dropin.email.subject." + purpose.id(), List.of(realmName(realm)),
                    EMAIL_TEMPLATE, attributes, address);
        } catch (EmailException e) {
            throw new DeliveryException("email", SmsException.Reason.UNAVAILABLE, "email could not be sent", e);
        }
    }

    /**
     * Emails a message of the pack's email theme that is not a code, such as a password-reset token: templates
     * {@code html/<template>} and {@code text/<template>}, subject {@code subjectKey} with the realm's display name as
     * <code>{0}</code>, through the same delivery ({@code smtp} or {@code log}) as codes.
     *
     * @param purpose a short name for the log line of the {@code log} delivery, e.g. {@code password_reset}
     */
    public void sendEmailTemplate(RealmModel realm, UserModel user, String address, String purpose, String subjectKey,
                                  String template, Map<String, Object> attributes) throws DeliveryException {
        boolean log = "log".equalsIgnoreCase(RealmSettings.of(realm, EMAIL_SCOPE).get(DELIVERY, "smtp"));
        EmailTemplateProvider email = log
                ? new LoggingEmailTemplateProvider(session, purpose)
                : session.getProvider(EmailTemplateProvider.class);
        Map<String, Object> all = new HashMap<>(attributes);
        all.put("purpose", purpose);
        try {
            email.setRealm(realm).setUser(user).send(subjectKey, List.of(realmName(realm)), template, all, address);
        } catch (EmailException e) {
            throw new DeliveryException("email", SmsException.Reason.UNAVAILABLE, "email could not be sent", e);
        }
    }

    private SmsSenderProvider sender(RealmModel realm) throws DeliveryException {
        String id = RealmSettings.of(realm, SMS_SCOPE).get(SENDER).orElse(null);
        SmsSenderProvider sender = id != null
                ? session.getProvider(SmsSenderProvider.class, id)
                : session.getProvider(SmsSenderProvider.class);
        if (sender == null) {
            throw new DeliveryException("sms", SmsException.Reason.MISCONFIGURED, id == null
                    ? "no SMS sender configured: set --spi-sms-sender--provider-default or realm attribute dropin.sms.sender"
                    : "unknown SMS sender '" + id + "' in realm attribute dropin.sms.sender", null);
        }
        return sender;
    }

    private String format(RealmModel realm, Locale locale, String key, Object... args) throws DeliveryException {
        Properties messages;
        try {
            messages = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new DeliveryException("sms", SmsException.Reason.MISCONFIGURED, "message bundles unreadable", e);
        }
        String pattern = messages.getProperty(key);
        if (pattern == null) {
            throw new DeliveryException("sms", SmsException.Reason.MISCONFIGURED,
                    "message '" + key + "' missing: is dropin-theme.jar installed in providers/?", null);
        }
        return new MessageFormat(pattern, locale).format(args);
    }

    static String realmName(RealmModel realm) {
        String display = realm.getDisplayName();
        return display == null || display.isBlank() ? realm.getName() : display;
    }

    static long minutes(int seconds) {
        return Math.max(1, (seconds + 59) / 60);
    }
}
