package io.github.dropin.keycloak.sms;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Development sender: writes each message, code included, as one INFO log line and sends nothing.
 * <p>
 * Line format (text last, line breaks escaped) so that people and test harnesses can read it:
 * {@code DROPIN-SMS realm=<realm> to=<E.164> purpose=<purpose> text=<text>}.
 * It announces itself at start-up because a production realm must never use it.
 * <p>
 * Only the operator decides that codes go to the log: a realm may select it ({@code dropin.sms.sender=log}) in
 * development mode ({@code kc.sh start-dev}) or where the operator made it the server's default sender
 * ({@link #selectableByRealms}); otherwise a realm administrator could make a production realm print its users'
 * codes to a log that operators, log shippers and their readers see, and stop delivering them.
 */
public class LogSmsSenderProviderFactory implements SmsSenderProviderFactory {

    public static final String PROVIDER_ID = "log";

    private static final Logger LOG = Logger.getLogger(LogSmsSenderProviderFactory.class);

    @Override
    public SmsSenderProvider create(KeycloakSession session) {
        return message -> LOG.infof("DROPIN-SMS realm=%s to=%s purpose=%s text=%s",
                message.realm().getName(), message.to(), message.purpose(), escape(message.text()));
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    /** Whether a realm may select this sender itself: in development mode, or where it is the server's default. */
    public static boolean selectableByRealms() {
        return Environment.isDevMode() || isServerDefault();
    }

    /** Whether the operator made this sender the server's ({@code --spi-sms-sender--provider-default=log} or {@code --provider}). */
    static boolean isServerDefault() {
        return PROVIDER_ID.equals(Config.getDefaultProvider(SmsSenderSpi.NAME))
                || PROVIDER_ID.equals(Config.getProvider(SmsSenderSpi.NAME));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (isServerDefault()) {
            LOG.warn("SMS sender 'log' is the server default: text messages, one-time codes included, are written "
                    + "to the log and never delivered. Use it for development and demos only.");
        } else if (Environment.isDevMode()) {
            LOG.info("SMS sender 'log' is available to realms that select it (development mode: it writes codes to "
                    + "the log).");
        } else {
            LOG.info("SMS sender 'log' is not available to realms in production mode (realm attribute "
                    + "dropin.sms.sender=log is refused); only the server default --spi-sms-sender--provider-default=log "
                    + "or start-dev enables it.");
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
