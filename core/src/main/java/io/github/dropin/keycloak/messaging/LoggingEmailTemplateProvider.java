package io.github.dropin.keycloak.messaging;

import org.jboss.logging.Logger;
import org.keycloak.email.freemarker.FreeMarkerEmailTemplateProvider;
import org.keycloak.models.KeycloakSession;

import java.util.Map;

/**
 * Keycloak's own email rendering (theme, locale, templates) with the SMTP step replaced by one INFO log line:
 * {@code DROPIN-EMAIL realm=<realm> to=<address> purpose=<purpose> subject=<subject> text=<plain text>}.
 * Used only for realms whose {@code dropin.email.delivery} is {@code log} (development and demos).
 */
class LoggingEmailTemplateProvider extends FreeMarkerEmailTemplateProvider {

    private static final Logger LOG = Logger.getLogger(LoggingEmailTemplateProvider.class);

    private final String purpose;

    LoggingEmailTemplateProvider(KeycloakSession session, String purpose) {
        super(session);
        this.purpose = purpose;
    }

    @Override
    protected void send(Map<String, String> config, String subject, String textBody, String htmlBody, String address) {
        String to = address != null ? address : (user != null ? user.getEmail() : null);
        LOG.infof("DROPIN-EMAIL realm=%s to=%s purpose=%s subject=%s text=%s", realm.getName(), to, purpose,
                escape(subject), escape(textBody));
    }

    private static String escape(String text) {
        return text == null ? "" : text.strip().replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n");
    }
}
