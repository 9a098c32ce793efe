package io.github.dropin.keycloak.delivery;

import io.github.dropin.keycloak.LowerCaseId;

import java.util.Optional;

/**
 * A message that could not be delivered, by SMS or by email. Callers map {@link #isRecipientProblem()} to a
 * validation error on the phone or email field and everything else to 503; {@link #detail()} goes into the event and
 * the log, never to the user.
 * <p>
 * Administrators who test the delivery (the admin REST endpoint) get the {@link #category()}, a fixed word, and the
 * detail only of a {@link #configuration configuration problem} found before anything was sent: a detail that came
 * from the network (an exception's text, a provider's answer) would make the endpoint a probe of whatever address a
 * realm administrator typed in.
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

    /** What went wrong, in words an administrator may be shown: never the network's or the provider's own text. */
    public enum Category implements LowerCaseId {
        /** No connection: refused, no route, unknown host, TLS failure. */
        UNREACHABLE,
        /** Connected (or trying to), but no answer within the timeouts. */
        TIMEOUT,
        /** The provider refused the credentials. */
        REJECTED_CREDENTIALS,
        /** The provider refused the recipient (invalid, unsubscribed, unreachable). */
        REFUSED_RECIPIENT,
        /** Settings missing or refused, here or by the provider. */
        MISCONFIGURED,
        /** The provider throttled us. */
        THROTTLED,
        /** The provider failed (a 5xx, an answer that makes no sense). */
        PROVIDER_ERROR;

        /** The category a reason falls in when the sender says nothing more precise. */
        public static Category of(Reason reason) {
            return switch (reason) {
                case INVALID_RECIPIENT, RECIPIENT_UNREACHABLE -> REFUSED_RECIPIENT;
                case MISCONFIGURED -> MISCONFIGURED;
                case PROVIDER_RATE_LIMITED -> THROTTLED;
                case UNAVAILABLE -> PROVIDER_ERROR;
            };
        }
    }

    private final Channel channel;
    private final Reason reason;
    private final Category category;
    private final String detail;
    private final boolean configuration;

    public DeliveryException(Channel channel, Reason reason, String detail, Throwable cause) {
        this(channel, reason, Category.of(reason), detail, cause, false);
    }

    public DeliveryException(Channel channel, Reason reason, Category category, String detail, Throwable cause) {
        this(channel, reason, category, detail, cause, false);
    }

    private DeliveryException(Channel channel, Reason reason, Category category, String detail, Throwable cause,
                              boolean configuration) {
        super(channel.id() + " delivery failed: " + reason + " (" + detail + ")", cause);
        this.channel = channel;
        this.reason = reason;
        this.category = category;
        this.detail = detail;
        this.configuration = configuration;
    }

    /**
     * A configuration problem found before anything was sent (a setting missing, refused or not allowed). Its
     * {@code detail} must consist of the pack's own words and setting names only, never a value from the network or
     * a secret: administrators are shown it.
     */
    public static DeliveryException configuration(Channel channel, String detail) {
        return new DeliveryException(channel, Reason.MISCONFIGURED, Category.MISCONFIGURED, detail, null, true);
    }

    /** An SMS sender's failure. */
    public static DeliveryException sms(Reason reason, String detail) {
        return new DeliveryException(Channel.SMS, reason, detail, null);
    }

    /** An SMS sender's failure of a given category. */
    public static DeliveryException sms(Reason reason, Category category, String detail) {
        return new DeliveryException(Channel.SMS, reason, category, detail, null);
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

    public Category category() {
        return category;
    }

    public String detail() {
        return detail;
    }

    /** The detail of a {@link #configuration configuration problem}, which administrators may see; empty otherwise. */
    public Optional<String> configurationProblem() {
        return configuration ? Optional.of(detail) : Optional.empty();
    }

    public boolean isRecipientProblem() {
        return reason == Reason.INVALID_RECIPIENT || reason == Reason.RECIPIENT_UNREACHABLE;
    }
}
