package io.github.dropin.keycloak.shield;

import io.github.dropin.keycloak.code.RateLimitedException;

/**
 * A realm-wide budget: at most {@link #limit} events per fixed window (a clock hour, a UTC day, ...), counted by
 * {@link Budgets}. Fixed windows, not sliding ones, so that a spent budget tells exactly when it resumes (the next
 * window) and refusing costs one store read.
 *
 * @param name          which budget, in store keys, the WARN and the admin event's resource path, e.g.
 *                      {@code sms/hourly}, {@code sms/prefix/+49151}, {@code token-auth/verify-failures}
 * @param what          what it counts, for people: {@code SMS}, {@code failed verify-user guesses}
 * @param limit         events per window; 0 switches the budget off
 * @param windowSeconds the window's length; windows start at multiples of it since the epoch
 * @param kind          the limit a refusal reports to callers and events
 */
public record Budget(String name, String what, int limit, int windowSeconds, RateLimitedException.Limit kind) {

    public Budget {
        if (windowSeconds <= 0) {
            throw new IllegalArgumentException("a budget's window must be positive");
        }
    }

    public boolean isOff() {
        return limit <= 0;
    }
}
