package io.github.dropin.keycloak.credential;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.service.CredentialThrottle;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.store.SlotLimiter;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;

/**
 * Attempt-limited PIN checks. A 4-digit PIN has 10,000 values, so the limit is what protects it: at most
 * {@link Limits#maxAttempts()} wrong PINs per user within {@link Limits#lockSeconds()}; then every check is refused
 * until a failure ages out of the window or a new PIN is set.
 * <p>
 * Each check claims an attempt slot in Keycloak's single-use store <em>before</em> comparing (cluster-atomic
 * {@code putIfAbsent}, see {@link SlotLimiter#claimNext}), so parallel guesses cannot exceed the limit on any node;
 * a right PIN clears the slots again.
 * <p>
 * Guessing many accounts' PINs from one network is capped too: at most {@value #DEFAULT_MAX_PER_NETWORK} wrong PINs
 * (realm attribute {@code dropin.pin.maxFailuresPerNetwork}) per client network within the same window
 * ({@link CredentialThrottle}). Neither limit needs Keycloak's brute-force detector.
 */
public final class PinAttempts {

    /** Realm settings scope ({@code dropin.pin.<key>}). */
    public static final String SCOPE = "pin";
    public static final String MAX_ATTEMPTS = "pinMaxAttempts";
    public static final String LOCK_SECONDS = "pinLockSeconds";
    /** Wrong PINs per client network per window, across accounts. */
    public static final int DEFAULT_MAX_PER_NETWORK = 50;

    /**
     * @param maxAttempts wrong PINs allowed per window
     * @param lockSeconds the window: a wrong PIN counts for this long
     */
    public record Limits(int maxAttempts, int lockSeconds) {

        public static final Limits DEFAULTS = new Limits(5, 900);

        /** Realm attributes {@code dropin.pin.pinMaxAttempts} / {@code dropin.pin.pinLockSeconds}, else the defaults. */
        public static Limits of(RealmModel realm) {
            RealmSettings settings = RealmSettings.of(realm, SCOPE);
            int attempts = settings.getInt(MAX_ATTEMPTS, DEFAULTS.maxAttempts());
            int lock = settings.getInt(LOCK_SECONDS, DEFAULTS.lockSeconds());
            return new Limits(attempts > 0 ? attempts : DEFAULTS.maxAttempts(), lock > 0 ? lock : DEFAULTS.lockSeconds());
        }
    }

    /** What a check found. */
    public enum Outcome {
        VALID, INVALID, LOCKED, NOT_SET
    }

    /**
     * @param attemptsLeft wrong PINs still allowed in the window (for {@link Outcome#INVALID})
     * @param retryAfterSeconds when a locked user may try again, an upper bound (for {@link Outcome#LOCKED})
     */
    public record Result(Outcome outcome, int attemptsLeft, long retryAfterSeconds) {
        public boolean isValid() {
            return outcome == Outcome.VALID;
        }
    }

    private PinAttempts() {
    }

    /** Checks {@code pin} against the user's PIN under the limits. A malformed PIN is the caller's to refuse first. */
    public static Result check(KeycloakSession session, RealmModel realm, UserModel user, String pin, Limits limits) {
        if (!user.credentialManager().isConfiguredFor(PinCredentialProvider.TYPE)) {
            return new Result(Outcome.NOT_SET, 0, 0);
        }
        // The network's budget first (the account's own count is below): one network guessing many accounts.
        CredentialThrottle.Attempt network = CredentialThrottle.of(session, realm, SCOPE,
                CredentialThrottle.Limits.of(realm, SCOPE, new CredentialThrottle.Limits(0, DEFAULT_MAX_PER_NETWORK,
                        limits.lockSeconds()))).begin(null);
        if (!network.allowed()) {
            return new Result(Outcome.LOCKED, 0, network.retryAfterSeconds());
        }
        SlotLimiter limiter = new SlotLimiter(session.singleUseObjects());
        int attempt = limiter.claimNext(key(realm, user), limits.maxAttempts(), limits.lockSeconds());
        if (attempt < 0) {
            network.succeeded();
            return new Result(Outcome.LOCKED, 0, limits.lockSeconds());
        }
        boolean valid = user.credentialManager().isValid(new UserCredentialModel(null, PinCredentialProvider.TYPE, pin));
        if (valid) {
            network.succeeded();
            clear(session, realm, user, limits);
            return new Result(Outcome.VALID, limits.maxAttempts(), 0);
        }
        return new Result(Outcome.INVALID, limits.maxAttempts() - attempt, 0);
    }

    /** Forgets the user's wrong attempts (after a right PIN or when a new PIN is set). */
    public static void clear(KeycloakSession session, RealmModel realm, UserModel user, Limits limits) {
        SingleUseObjectProvider store = session.singleUseObjects();
        String key = key(realm, user);
        for (int i = 1; i <= limits.maxAttempts(); i++) {
            store.remove(key + "#" + i);
        }
    }

    private static String key(RealmModel realm, UserModel user) {
        return Dropin.STORE_PREFIX + "pin-try:" + realm.getId() + ":" + user.getId();
    }
}
