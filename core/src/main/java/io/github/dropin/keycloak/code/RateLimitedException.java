package io.github.dropin.keycloak.code;

/**
 * A request refused by a limit; nothing was sent and nothing was stored.
 * {@link #retryAfterSeconds()} is when the caller may try again (an upper bound for hourly limits).
 */
public class RateLimitedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Which limit was hit. */
    public enum Limit {
        /** The fixed wait between two codes for one subject (or address) and purpose. */
        RESEND_COOLDOWN,
        /** The growing wait between new codes for one address and purpose within an hour. */
        RESEND_BACKOFF,
        /** Codes per subject and purpose per hour. */
        SUBJECT_HOURLY,
        /** Codes per address (phone number, email address) and purpose per hour, whoever the subject. */
        ADDRESS_HOURLY,
        /** Codes per client network per hour. */
        IP_HOURLY,
        /** Verification attempts per client network per hour. */
        IP_VERIFY,
        /** Failed verifications of codes that alone name their account, realm-wide per window. */
        VERIFY_FAILURES,
        /** Pending codes of a purpose whose codes are unique: the code space is as full as it may get. */
        CODE_SPACE,
        /** SMS of the realm per hour. */
        SMS_REALM_HOURLY,
        /** SMS of the realm per day. */
        SMS_REALM_DAILY,
        /** SMS to one destination prefix per hour. */
        SMS_PREFIX_HOURLY
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
