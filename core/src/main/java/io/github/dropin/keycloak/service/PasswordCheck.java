package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.EventErrors;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;

/**
 * Password checks outside Keycloak's login forms (the dialects' logins and "current password" fields), with the
 * same accounting as Keycloak's own login: the lock check from the brute-force detector's failure record, a failure
 * per wrong password, the event error Keycloak's login records, and a dummy hash for unknown or disabled accounts so
 * that response times do not tell which exist.
 * <p>
 * On top of that, and whether or not the realm has the detector on, every check goes through the pack's own
 * {@link CredentialThrottle} (per account and per client network): once a budget is spent the check is
 * {@link Outcome#THROTTLED}, without comparing, and callers answer with their throttle response.
 */
public final class PasswordCheck {

    /** What a check found. */
    public enum Outcome {
        VALID, INVALID, THROTTLED
    }

    /**
     * @param user              the account, for {@link Outcome#VALID}
     * @param retryAfterSeconds for {@link Outcome#THROTTLED}: an upper bound of when to try again
     */
    public record Result(Outcome outcome, UserModel user, long retryAfterSeconds) {

        public boolean isValid() {
            return outcome == Outcome.VALID;
        }

        public boolean isThrottled() {
            return outcome == Outcome.THROTTLED;
        }

        static Result invalid() {
            return new Result(Outcome.INVALID, null, 0);
        }
    }

    /** Event detail {@code reason} of a throttled check. */
    public static final String THROTTLED_REASON = "password_throttle";

    private PasswordCheck() {
    }

    /**
     * Whether {@code password} is the user's password (a "current password" field). A user the brute-force detector
     * locked is refused without checking; a wrong password counts as a failure for the detector and the throttle.
     */
    public static Result check(KeycloakSession session, RealmModel realm, UserModel user, String password) {
        CredentialThrottle.Attempt attempt = CredentialThrottle.passwords(session, realm).begin("user:" + user.getId());
        if (!attempt.allowed()) {
            return new Result(Outcome.THROTTLED, null, attempt.retryAfterSeconds());
        }
        if (!compare(session, realm, user, password)) {
            return Result.invalid();
        }
        attempt.succeeded();
        return new Result(Outcome.VALID, user, 0);
    }

    /**
     * A login: {@code user} (looked up by the caller, {@code null} when no account matched {@code loginName}) if it is
     * enabled, unlocked and {@code password} is its password. Why not is recorded on {@code event} the way Keycloak's
     * own login records it ({@code user_not_found}, {@code user_disabled}, {@code user_temporarily_disabled},
     * {@code invalid_user_credentials}, or {@code slow_down} when throttled); callers answer all failures alike, as
     * Django's {@code authenticate()} does, except {@link Outcome#THROTTLED}.
     */
    public static Result authenticate(KeycloakSession session, RealmModel realm, UserModel user,
                                      String loginName, String password, EventBuilder event) {
        event.detail(Details.USERNAME, loginName);
        if (user != null) {
            event.user(user);
        }
        // Claimed for every attempt, known account or not: an unknown name has a budget of its own name, so a
        // throttled answer tells nothing about which accounts exist.
        CredentialThrottle.Attempt attempt = CredentialThrottle.passwords(session, realm)
                .begin(user != null ? "user:" + user.getId() : "name:" + loginName);
        if (!attempt.allowed()) {
            event.detail(Details.REASON, THROTTLED_REASON).error(EventErrors.RATE_LIMITED);
            return new Result(Outcome.THROTTLED, null, attempt.retryAfterSeconds());
        }
        if (user == null) {
            simulate(session, realm);
            event.error(Errors.USER_NOT_FOUND);
            return Result.invalid();
        }
        if (!user.isEnabled()) {
            simulate(session, realm);
            event.error(Errors.USER_DISABLED);
            return Result.invalid();
        }
        String lockError = BruteForce.lockError(session, realm, user);
        if (lockError != null) {
            simulate(session, realm);
            event.error(lockError);
            return Result.invalid();
        }
        if (!compare(session, realm, user, password)) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            return Result.invalid();
        }
        attempt.succeeded();
        return new Result(Outcome.VALID, user, 0);
    }

    /** The comparison with the detector's lock check and accounting. */
    private static boolean compare(KeycloakSession session, RealmModel realm, UserModel user, String password) {
        if (password == null || BruteForce.isLocked(session, realm, user)) {
            return false;
        }
        boolean valid = user.credentialManager().isValid(UserCredentialModel.password(password));
        if (valid) {
            BruteForce.success(session, realm, user, BruteForce.PASSWORD);
        } else {
            BruteForce.failure(session, realm, user, BruteForce.PASSWORD);
        }
        return valid;
    }

    /**
     * Spends the time of one password hash without checking anything, for a login whose account is unknown, disabled
     * or locked, so that response times do not tell them apart from a wrong password (Keycloak's own login does the
     * same for unknown users).
     */
    public static void simulate(KeycloakSession session, RealmModel realm) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordHashProvider hash = policy != null && policy.getHashAlgorithm() != null
                ? session.getProvider(PasswordHashProvider.class, policy.getHashAlgorithm())
                : session.getProvider(PasswordHashProvider.class);
        if (hash != null) {
            hash.encodedCredential("SlightlyLongerDummyPassword", policy != null ? policy.getHashIterations() : -1);
        }
    }
}
