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
 */
public record CodePolicy(int length, int lifetimeSeconds, int maxAttempts, int resendCooldown,
                         int hourlyLimitPerSubject, int hourlyLimitPerIp, int dailyFailureLimit,
                         boolean uniqueAmongPending) {

    public static final String LENGTH = "codeLength";
    public static final String LIFETIME = "codeLifetime";
    public static final String MAX_ATTEMPTS = "codeMaxAttempts";
    public static final String RESEND_COOLDOWN = "codeResendCooldown";
    public static final String HOURLY_LIMIT_PER_SUBJECT = "codeHourlyLimitPerSubject";
    public static final String HOURLY_LIMIT_PER_IP = "codeHourlyLimitPerIp";
    public static final String DAILY_FAILURE_LIMIT = "codeDailyFailureLimit";

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
                defaults.uniqueAmongPending());
    }

    public CodePolicy withLifetime(int seconds) {
        return new CodePolicy(length, seconds, maxAttempts, resendCooldown, hourlyLimitPerSubject,
                hourlyLimitPerIp, dailyFailureLimit, uniqueAmongPending);
    }

    private static int positive(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
