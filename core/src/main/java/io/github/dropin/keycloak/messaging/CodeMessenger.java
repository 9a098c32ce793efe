package io.github.dropin.keycloak.messaging;

import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.metrics.PackMetrics;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.sms.LogSmsSenderProviderFactory;
import io.github.dropin.keycloak.sms.SmsMessage;
import io.github.dropin.keycloak.sms.SmsSenderProvider;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import org.jboss.logging.Logger;
import org.keycloak.common.util.ObjectUtil;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.text.MessageFormat;
import java.time.Duration;
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

    private static final Logger LOG = Logger.getLogger(CodeMessenger.class);

    private final KeycloakSession session;

    public CodeMessenger(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Texts {@code code} to {@code phoneNumber}, and counts it ({@link PackMetrics}: sent or failed with the failure's
     * category, and the sender's time).
     *
     * @param user the recipient if known (for the locale); may be {@code null}
     */
    public void sendSms(RealmModel realm, UserModel user, String phoneNumber, CodePurpose purpose, String code,
                        int lifetimeSeconds) throws DeliveryException {
        String senderLabel = senderLabel(realm);
        long started = 0;
        boolean reached = false;
        try {
            Locale locale = session.getContext().resolveLocale(user);
            String text = format(realm, Theme.Type.LOGIN, Channel.SMS, locale, MessageKeys.SMS_PREFIX + purpose.id(), code,
                    realmName(realm), minutes(lifetimeSeconds));
            SmsSenderProvider sender = sender(realm);
            started = System.nanoTime();
            reached = true;
            send(realm, sender, new SmsMessage(realm, phoneNumber, text, purpose.id(), locale));
            PackMetrics.smsSent(realm, senderLabel, phoneNumber, purpose, Duration.ofNanos(System.nanoTime() - started));
        } catch (DeliveryException e) {
            PackMetrics.smsFailed(realm, senderLabel, phoneNumber, purpose, e.reason(),
                    !reached ? null : Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
    }

    private void send(RealmModel realm, SmsSenderProvider sender, SmsMessage message) throws DeliveryException {
        try {
            sender.send(message);
        } catch (RuntimeException e) {
            // A bug in a sender, not a provider answer: logged in full, and still a clean 503 for the caller.
            LOG.errorf(e, "Realm '%s': SMS sender '%s' failed unexpectedly", realm.getName(), senderId(realm));
            throw new DeliveryException(Channel.SMS, DeliveryException.Reason.UNAVAILABLE, "SMS sender '" + senderId(realm)
                    + "' failed unexpectedly: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Fails as {@link #sendSms} would if the realm's SMS sender cannot be used at all (none configured, an unknown
     * one), without sending anything: for answers given before the SMS leaves.
     */
    public void checkSmsSender(RealmModel realm) throws DeliveryException {
        sender(realm);
    }

    private static String senderId(RealmModel realm) {
        return RealmSettings.of(realm, SMS_SCOPE).get(SENDER).orElse("(server default)");
    }

    /** The realm's sender as a metric label: its provider id if installed (the server default's when unset). */
    private String senderLabel(RealmModel realm) {
        String id = RealmSettings.of(realm, SMS_SCOPE).get(SENDER).orElse(null);
        KeycloakSessionFactory factories = session.getKeycloakSessionFactory();
        ProviderFactory<SmsSenderProvider> factory = id != null
                ? factories.getProviderFactory(SmsSenderProvider.class, id)
                : factories.getProviderFactory(SmsSenderProvider.class);
        return PackMetrics.senderLabel(factory == null ? id : factory.getId(), factory != null);
    }

    /**
     * Emails {@code code} to {@code address} through the realm's SMTP settings and Keycloak's email templating
     * ({@code dropin-code.ftl}, html and text, in the user's locale).
     *
     * @param user    the recipient's account: Keycloak's templating needs one (for the locale and the templates'
     *                {@code user}); codes only ever go to people who have an account, if not yet a verified one
     * @param address where to send; normally the user's email, or a new address being verified
     */
    public void sendEmail(RealmModel realm, UserModel user, String address, CodePurpose purpose, String code,
                          int lifetimeSeconds) throws DeliveryException {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", code);
        attributes.put("lifetimeMinutes", minutes(lifetimeSeconds));
        attributes.put("expiry", Localized.of(MessageKeys.EMAIL_EXPIRY, minutes(lifetimeSeconds)));
        sendEmailTemplate(realm, user, address, purpose.id(), MessageKeys.EMAIL_SUBJECT_PREFIX + purpose.id(), EMAIL_TEMPLATE,
                attributes);
    }

    /**
     * Emails a message of the pack's email theme, a code or anything else such as a password-reset token: templates
     * {@code html/<template>} and {@code text/<template>}, subject {@code subjectKey} with the realm's name as
     * <code>{0}</code>, through the realm's delivery ({@code smtp} or {@code log}), with the failure classification
     * of {@link #emailFailure}.
     *
     * @param user    the recipient's account: Keycloak's templating needs one (for the locale and the templates'
     *                {@code user}); codes only ever go to people who have an account, if not yet a verified one
     * @param address where to send; normally the user's email, or a new address being verified
     * @param purpose the message's purpose, available to templates as {@code purpose} and shown by the {@code log}
     *                delivery, e.g. {@code password_reset}
     */
    public void sendEmailTemplate(RealmModel realm, UserModel user, String address, String purpose, String subjectKey,
                                  String template, Map<String, Object> attributes) throws DeliveryException {
        if (user == null) {
            throw new IllegalArgumentException("an email needs the recipient's user");
        }
        boolean log = "log".equalsIgnoreCase(RealmSettings.of(realm, EMAIL_SCOPE).get(DELIVERY, "smtp"));
        if (!log) {
            checkSmtpSettings(realm);
        }
        EmailTemplateProvider email = log
                ? new LoggingEmailTemplateProvider(session, purpose)
                : session.getProvider(EmailTemplateProvider.class);
        Map<String, Object> all = new HashMap<>(attributes);
        all.put("purpose", purpose);
        Locale locale = session.getContext().resolveLocale(user);
        for (Map.Entry<String, Object> attribute : all.entrySet()) {
            if (attribute.getValue() instanceof Localized text) {
                attribute.setValue(format(realm, Theme.Type.EMAIL, Channel.EMAIL, locale, text.key(),
                        text.args().toArray()));
            }
        }
        try {
            // The subject names the realm the way Keycloak's templating does for the body's ${realmName}.
            KeycloakCompat.sendEmail(email.setRealm(realm), user, subjectKey, List.<Object>of(emailRealmName(realm)), template,
                    all, address);
        } catch (EmailException e) {
            throw emailFailure(e);
        }
    }

    /** Fails fast, naming the fix, where Keycloak would try localhost:25 or report "Invalid sender address 'null'". */
    private static void checkSmtpSettings(RealmModel realm) throws DeliveryException {
        Map<String, String> smtp = realm.getSmtpConfig();
        if (smtp == null || isBlank(smtp.get("host")) || isBlank(smtp.get("from"))) {
            throw DeliveryException.configuration(Channel.EMAIL, "realm '" + realm.getName()
                    + "' has no SMTP server or sender address: set them in Realm settings > Email (smtpServer host and "
                    + "from), or realm attribute dropin.email.delivery=log for development");
        }
    }

    /**
     * A refused recipient is the user's to fix (like an invalid phone number); everything else (connection,
     * authentication, TLS, templates) is the service's. Keycloak has already logged the SMTP failure in full.
     */
    static DeliveryException emailFailure(EmailException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            boolean refused = cause instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                    && failed.getInvalidAddresses().length > 0;
            // Keycloak's own check of the address ("Invalid address '...'") carries no cause.
            boolean malformed = cause instanceof AddressException
                    || (cause instanceof EmailException && cause.getMessage() != null
                    && cause.getMessage().startsWith("Invalid address"));
            if (refused || malformed) {
                return new DeliveryException(Channel.EMAIL, DeliveryException.Reason.INVALID_RECIPIENT,
                        refused ? "the SMTP server refused the recipient" : "the recipient address is invalid", e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root == e || root.getMessage() == null ? "" : ": " + root.getClass().getSimpleName()
                + " " + truncate(root.getMessage(), 160);
        return new DeliveryException(Channel.EMAIL, DeliveryException.Reason.UNAVAILABLE, emailCategory(e),
                "email could not be sent" + rootMessage, e);
    }

    /** What administrators are told of an SMTP failure: the kind of the first cause that says one, by class only. */
    static DeliveryException.Category emailCategory(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof jakarta.mail.AuthenticationFailedException) {
                return DeliveryException.Category.REJECTED_CREDENTIALS;
            }
            if (cause instanceof java.net.SocketTimeoutException) {
                return DeliveryException.Category.TIMEOUT;
            }
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.NoRouteToHostException || cause instanceof javax.net.ssl.SSLException) {
                return DeliveryException.Category.UNREACHABLE;
            }
        }
        return DeliveryException.Category.PROVIDER_ERROR;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String truncate(String text, int max) {
        String oneLine = text.replace('\r', ' ').replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }

    private SmsSenderProvider sender(RealmModel realm) throws DeliveryException {
        String id = RealmSettings.of(realm, SMS_SCOPE).get(SENDER).orElse(null);
        if (id != null && id.equalsIgnoreCase(LogSmsSenderProviderFactory.PROVIDER_ID)
                && !LogSmsSenderProviderFactory.selectableByRealms()) {
            // The caller logs the WARN and records the error event with this detail.
            throw DeliveryException.configuration(Channel.SMS, "SMS sender 'log' (realm attribute dropin.sms.sender) "
                    + "writes codes to the server log and is refused in production mode: choose twilio or http, or "
                    + "remove the attribute to use the server's default sender");
        }
        SmsSenderProvider sender = id != null
                ? session.getProvider(SmsSenderProvider.class, id)
                : session.getProvider(SmsSenderProvider.class);
        if (sender == null) {
            throw DeliveryException.configuration(Channel.SMS, id == null
                    ? "no SMS sender configured: set --spi-sms-sender--provider-default or realm attribute dropin.sms.sender"
                    : "unknown SMS sender '" + id + "' in realm attribute dropin.sms.sender");
        }
        return sender;
    }

    private String format(RealmModel realm, Theme.Type theme, Channel channel, Locale locale, String key, Object... args)
            throws DeliveryException {
        Properties messages;
        try {
            messages = session.theme().getTheme(theme).getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new DeliveryException(channel, DeliveryException.Reason.MISCONFIGURED, "message bundles unreadable", e);
        }
        String pattern = messages.getProperty(key);
        if (pattern == null) {
            throw DeliveryException.configuration(channel,
                    "message '" + key + "' missing: is dropin-keycloak.jar installed in providers/?");
        }
        return new MessageFormat(pattern, locale).format(args);
    }

    static String realmName(RealmModel realm) {
        String display = realm.getDisplayName();
        return display == null || display.isBlank() ? realm.getName() : display;
    }

    static String emailRealmName(RealmModel realm) {
        return realm.getDisplayName() != null ? realm.getDisplayName() : ObjectUtil.capitalize(realm.getName());
    }

    static long minutes(int seconds) {
        return Math.max(1, (seconds + 59) / 60);
    }
}
