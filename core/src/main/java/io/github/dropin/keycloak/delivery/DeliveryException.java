package io.github.dropin.keycloak.delivery;

import io.github.dropin.keycloak.sms.SmsException;

/**
 * A code that could not be delivered. Callers map {@link #isRecipientProblem()} to a validation error on the
 * phone or email field and everything else to 503; {@link #detail()} goes into the event, never to the user.
 */
public class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String channel;
    private final SmsException.Reason reason;
    private final String detail;

    public DeliveryException(String channel, SmsException.Reason reason, String detail, Throwable cause) {
        super(channel + " delivery failed: " + reason + " (" + detail + ")", cause);
        this.channel = channel;
        this.reason = reason;
        this.detail = detail;
    }

    /** {@code sms} or {@code email}. */
    public String channel() {
        return channel;
    }

    public SmsException.Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    public boolean isRecipientProblem() {
        return reason == SmsException.Reason.INVALID_RECIPIENT || reason == SmsException.Reason.RECIPIENT_UNREACHABLE;
    }
}
