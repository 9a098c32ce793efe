package io.github.dropin.keycloak.code;

/**
 * Result of checking a submitted code.
 *
 * @param outcome      what happened
 * @param attemptsLeft tries left on the pending code after this one (0 when none or not applicable)
 * @param guessed      whether the submitted code was compared with the pending one and was wrong: a guess that
 *                     counts towards brute-force detection. Not so for a request turned away because every attempt
 *                     was already claimed by requests still comparing; it learnt nothing about the code, and counting
 *                     it could lock out the one request with the right code among a burst of parallel ones.
 */
public record Verification(Outcome outcome, int attemptsLeft, boolean guessed) {

    public Verification(Outcome outcome, int attemptsLeft) {
        this(outcome, attemptsLeft, outcome == Outcome.INVALID || outcome == Outcome.EXHAUSTED);
    }

    /** What a verification found. */
    public enum Outcome {
        /** The code was right; it is consumed and can never verify again. */
        VALID,
        /** The code was wrong; the pending code stays usable for {@code attemptsLeft} more tries. */
        INVALID,
        /** No pending code: never issued, expired, already used, or issued for another purpose or subject. */
        NOT_FOUND,
        /**
         * No tries are left (per code or per subject and day): the code was wrong and is dead, or (not
         * {@link #guessed()}) every attempt is taken by requests still comparing.
         */
        EXHAUSTED
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }

    static Verification of(Outcome outcome) {
        return new Verification(outcome, 0);
    }
}
