package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.settings.RealmSettings;

/**
 * The rules one kind of code follows. Every number is configurable per realm and per dialect or authenticator
 * (see {@link #from}); a limit of 0 switches that limit off.
 *
 * @param length              digits per code
 * @param lifetimeSeconds     how long a code is valid
 * @param maxAttempts         tries per code (wrong or right); after the last wrong one the code is dead
 * @param resendCooldown      seconds before the same subject may get a new code for the same purpose; lifted
 *                            when the pending code is used successfully
 * @param hourlyLimitPerSubject codes per subject and purpose per hour
 * @param hourlyLimitPerIp    codes per client IP per hour (all subjects and purposes of the realm)
 * @param dailyFailureLimit   wrong codes per subject per 24 h, across codes: a new code does not reset it
 *                            (NIST SP 800-63B); once reached, each further wrong try kills the code it was for
 * @param uniqueAmongPending  whether two pending codes of this purpose may never be equal, so that a code alone
 *                            identifies its subject
 * @param resendBackoffMax    longest wait, in seconds, between new codes for one address and purpose: within an hour
 *                            each new code waits twice as long as the one before (the cooldown, 2x, 4x, ...), up to
 *                            this; 0 switches the back-off off (the cooldown alone applies)
 * @param maxPending          for purposes whose codes are unique among pending ones: how many may be issued per
 *                            lifetime, so that the code space never fills and one guess can hit at most this many
 *                            codes; 0: no cap
 * @param audience            who may verify the code: a code verifies only under a policy of the same audience
 *                            ({@code ""} by default; the direct grant has its own), so that codes of flows with
 *                            different attempt caps are never interchangeable
 */
public record CodePolicy(int length, int lifetimeSeconds, int maxAttempts, int resendCooldown,
                         int hourlyLimitPerSubject, int hourlyLimitPerIp, int dailyFailureLimit,
                         boolean uniqueAmongPending, int resendBackoffMax, int maxPending, String audience) {

    public static final String LENGTH = "codeLength";
    public static final String LIFETIME = "codeLifetime";
    public static final String MAX_ATTEMPTS = "codeMaxAttempts";
    public static final String RESEND_COOLDOWN = "codeResendCooldown";
    public static final String HOURLY_LIMIT_PER_SUBJECT = "codeHourlyLimitPerSubject";
    public static final String HOURLY_LIMIT_PER_IP = "codeHourlyLimitPerIp";
    public static final String DAILY_FAILURE_LIMIT = "codeDailyFailureLimit";
    public static final String RESEND_BACKOFF_MAX = "codeResendBackoffMax";
    public static final String MAX_PENDING = "codeMaxPending";

    /** Default cap of the resend back-off: 15 minutes. */
    public static final int DEFAULT_RESEND_BACKOFF_MAX = 900;
    /** Default cap of pending unique codes: 1 % of the 5-digit code space. */
    public static final int DEFAULT_MAX_PENDING = 1000;

    /** The pack-wide defaults of SPEC §2.2. */
    public static final CodePolicy DEFAULTS = new CodePolicy(6, 300, 5, 60, 5, 20, 20, false);

    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 9;

    public CodePolicy {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("code length must be between " + MIN_LENGTH + " and " + MAX_LENGTH);
        }
        if (lifetimeSeconds <= 0) {
            throw new IllegalArgumentException("code lifetime must be positive");
        }
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("attempts per code must be positive");
        }
        audience = audience == null ? "" : audience;
    }

    /** A policy with the default back-off cap, pending-code cap and audience. */
    public CodePolicy(int length, int lifetimeSeconds, int maxAttempts, int resendCooldown, int hourlyLimitPerSubject,
                      int hourlyLimitPerIp, int dailyFailureLimit, boolean uniqueAmongPending) {
        this(length, lifetimeSeconds, maxAttempts, resendCooldown, hourlyLimitPerSubject, hourlyLimitPerIp,
                dailyFailureLimit, uniqueAmongPending, DEFAULT_RESEND_BACKOFF_MAX, DEFAULT_MAX_PENDING, "");
    }

    /**
     * Reads a policy from settings, starting from {@code defaults} (a dialect's own defaults, e.g. 5 digits).
     * Out-of-range values fall back to the default rather than failing requests.
     */
    public static CodePolicy from(RealmSettings settings, CodePolicy defaults) {
        int length = settings.getInt(LENGTH, defaults.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            length = defaults.length();
        }
        int lifetime = positive(settings.getInt(LIFETIME, defaults.lifetimeSeconds()), defaults.lifetimeSeconds());
        int attempts = positive(settings.getInt(MAX_ATTEMPTS, defaults.maxAttempts()), defaults.maxAttempts());
        return new CodePolicy(length, lifetime, attempts,
                Math.max(0, settings.getInt(RESEND_COOLDOWN, defaults.resendCooldown())),
                Math.max(0, settings.getInt(HOURLY_LIMIT_PER_SUBJECT, defaults.hourlyLimitPerSubject())),
                Math.max(0, settings.getInt(HOURLY_LIMIT_PER_IP, defaults.hourlyLimitPerIp())),
                Math.max(0, settings.getInt(DAILY_FAILURE_LIMIT, defaults.dailyFailureLimit())),
                defaults.uniqueAmongPending(),
                Math.max(0, settings.getInt(RESEND_BACKOFF_MAX, defaults.resendBackoffMax())),
                Math.max(0, settings.getInt(MAX_PENDING, defaults.maxPending())),
                defaults.audience());
    }

    public CodePolicy withLifetime(int seconds) {
        return new CodePolicy(length, seconds, maxAttempts, resendCooldown, hourlyLimitPerSubject,
                hourlyLimitPerIp, dailyFailureLimit, uniqueAmongPending, resendBackoffMax, maxPending, audience);
    }

    /** The same policy for codes only {@code audience} may verify. */
    public CodePolicy withAudience(String audience) {
        return new CodePolicy(length, lifetimeSeconds, maxAttempts, resendCooldown, hourlyLimitPerSubject,
                hourlyLimitPerIp, dailyFailureLimit, uniqueAmongPending, resendBackoffMax, maxPending, audience);
    }

    private static int positive(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
