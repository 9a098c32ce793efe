package io.github.dropin.keycloak.service;

/**
 * What {@link CodeService#verifyAndAccount} found, as the caller should tell it. A locked account is told what its
 * code deserves (a right code counts as used up), so that a lock is not told apart from a bad code.
 *
 * @param outcome      what to answer
 * @param attemptsLeft for {@link Outcome#INVALID}: tries left on the code
 * @param locked       whether Keycloak's brute-force detector refuses the account (the caller may answer that
 *                     instead, where its contract has an answer for it)
 */
public record CheckResult(Outcome outcome, int attemptsLeft, boolean locked) {

    /** The answer a check comes to. */
    public enum Outcome {
        /** Right, and consumed: it can never verify again. */
        VALID,
        /** Wrong; the pending code stays usable for {@code attemptsLeft} more tries. */
        INVALID,
        /** No pending code: never sent, expired, already used, or sent for another purpose or subject. */
        EXPIRED,
        /** No tries left (per code or the daily budget), or a right code that may not be used: a new code is needed. */
        EXHAUSTED
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }
}
