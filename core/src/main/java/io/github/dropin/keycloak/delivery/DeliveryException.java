package io.github.dropin.keycloak.delivery;

/**
 * A message that could not be delivered, by SMS or by email. Callers map {@link #isRecipientProblem()} to a
 * validation error on the phone or email field and everything else to 503; {@link #detail()} goes into the event and
 * the log, never to the user.
 */
public class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why sending failed, from the caller's point of view. */
    public enum Reason {
        /** The provider says the recipient is invalid or cannot receive messages. The user can fix it. */
        INVALID_RECIPIENT,
        /** The recipient opted out or is blocked by the provider. The user cannot fix it with this address. */
        RECIPIENT_UNREACHABLE,
        /** Credentials, sender or templates rejected or missing: an operator must act. */
        MISCONFIGURED,
        /** The provider throttled us. */
        PROVIDER_RATE_LIMITED,
        /** Timeout, connection failure or a 5xx from the provider. */
        UNAVAILABLE
    }

    private final Channel channel;
    private final Reason reason;
    private final String detail;

    public DeliveryException(Channel channel, Reason reason, String detail, Throwable cause) {
        super(channel.id() + " delivery failed: " + reason + " (" + detail + ")", cause);
        this.channel = channel;
        this.reason = reason;
        this.detail = detail;
    }

    /** An SMS sender's failure. */
    public static DeliveryException sms(Reason reason, String detail) {
        return new DeliveryException(Channel.SMS, reason, detail, null);
    }

    /** An SMS sender's failure, with the exception behind it (for the log). */
    public static DeliveryException sms(Reason reason, String detail, Throwable cause) {
        return new DeliveryException(Channel.SMS, reason, detail, cause);
    }

    public Channel channel() {
        return channel;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    public boolean isRecipientProblem() {
        return reason == Reason.INVALID_RECIPIENT || reason == Reason.RECIPIENT_UNREACHABLE;
    }
}
