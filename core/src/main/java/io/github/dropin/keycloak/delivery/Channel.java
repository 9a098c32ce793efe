package io.github.dropin.keycloak.delivery;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.LowerCaseId;


/** How a code reaches a person. {@link #id()} appears in events, logs and metrics. */
public enum Channel implements LowerCaseId {
    SMS(EventErrors.SMS_SEND_FAILED),
    EMAIL(EventErrors.EMAIL_SEND_FAILED);

    private final String sendFailedError;

    Channel(String sendFailedError) {
        this.sendFailedError = sendFailedError;
    }

    /** The event error of a message on this channel that could not be sent (the service's fault, not the recipient's). */
    public String sendFailedError() {
        return sendFailedError;
    }
}
