package io.github.dropin.keycloak.code;

/**
 * A request refused by a limit; nothing was sent and nothing was stored.
 * {@link #retryAfterSeconds()} is when the caller may try again (an upper bound for hourly limits).
 */
public class RateLimitedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Which limit was hit. */
    public enum Limit {
        RESEND_COOLDOWN, SUBJECT_HOURLY, IP_HOURLY, IP_VERIFY
    }

    private final Limit limit;
    private final long retryAfterSeconds;

    public RateLimitedException(Limit limit, long retryAfterSeconds) {
        super(limit + " limit reached; retry after " + retryAfterSeconds + " s");
        this.limit = limit;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Limit limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
