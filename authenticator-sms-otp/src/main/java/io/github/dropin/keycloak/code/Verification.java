package io.github.dropin.keycloak.code;

/**
 * Result of checking a submitted code.
 *
 * @param outcome      what happened
 * @param attemptsLeft tries left on the pending code after this one (0 when none or not applicable)
 */
public record Verification(Outcome outcome, int attemptsLeft) {

    /** What a verification found. */
    public enum Outcome {
        /** The code was right; it is consumed and can never verify again. */
        VALID,
        /** The code was wrong; the pending code stays usable for {@code attemptsLeft} more tries. */
        INVALID,
        /** No pending code: never issued, expired, already used, or issued for another purpose or subject. */
        NOT_FOUND,
        /** The code was wrong and no tries are left (per code or per subject and day): it is dead. */
        EXHAUSTED
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }

    static Verification of(Outcome outcome) {
        return new Verification(outcome, 0);
    }
}
