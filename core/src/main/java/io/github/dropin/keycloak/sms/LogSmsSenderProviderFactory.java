package io.github.dropin.keycloak.sms;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Development sender: writes each message, code included, as one INFO log line and sends nothing.
 * <p>
 * Line format (text last, line breaks escaped) so that people and test harnesses can read it:
 * {@code DROPIN-SMS realm=<realm> to=<E.164> purpose=<purpose> text=<text>}.
 * It announces itself at start-up because a production realm must never use it.
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

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (PROVIDER_ID.equals(Config.getDefaultProvider(SmsSenderSpi.NAME))
                || PROVIDER_ID.equals(Config.getProvider(SmsSenderSpi.NAME))) {
            LOG.warn("SMS sender 'log' is the server default: text messages, one-time codes included, are written "
                    + "to the log and never delivered. Use it for development and demos only.");
        } else {
            LOG.info("SMS sender 'log' is available to realms that select it (development and demos only: it writes "
                    + "codes to the log).");
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
