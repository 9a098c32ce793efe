package io.github.dropin.keycloak.sms;

/**
 * A message that could not be sent. The {@link Reason} decides what the caller sees (a validation error for a
 * number the provider refuses, 503 when the provider is unavailable or misconfigured); {@link #detail()} is a
 * short, secret-free description for events and logs (never the message text or a credential).
 */
public class SmsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why sending failed, from the caller's point of view. */
    public enum Reason {
        /** The provider says the recipient number is invalid or cannot receive SMS. The user can fix it. */
        INVALID_RECIPIENT,
        /** The recipient opted out or is blocked by the provider. The user cannot fix it with this number. */
        RECIPIENT_UNREACHABLE,
        /** Credentials or sender configuration rejected by the provider: an operator must act. */
        MISCONFIGURED,
        /** The provider throttled us. */
        PROVIDER_RATE_LIMITED,
        /** Timeout, connection failure or a 5xx from the provider. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String detail;

    public SmsException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public SmsException(Reason reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** True when the user could succeed with another number; false when the service itself failed. */
    public boolean isRecipientProblem() {
        return reason == Reason.INVALID_RECIPIENT || reason == Reason.RECIPIENT_UNREACHABLE;
    }
}
