package io.github.dropin.keycloak.service;

import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * Password checks outside Keycloak's login forms (the dialects' logins and "current password" fields), with the
 * same accounting as Keycloak's own login: the lock check from the brute-force detector's failure record, a failure
 * per wrong password, the event error Keycloak's login records, and a dummy hash for unknown or disabled accounts so
 * that response times do not tell which exist.
 */
public final class PasswordCheck {

    private PasswordCheck() {
    }

    /**
     * Whether {@code password} is the user's password. A user the brute-force detector locked is refused without
     * checking; a wrong password counts as a failure for the detector.
     */
    public static boolean matches(KeycloakSession session, RealmModel realm, UserModel user, String password) {
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
     * A login: {@code user} (looked up by the caller, {@code null} when no account matched {@code loginName}) if it is
     * enabled, unlocked and {@code password} is its password. Why not is recorded on {@code event} the way Keycloak's
     * own login records it ({@code user_not_found}, {@code user_disabled}, {@code user_temporarily_disabled},
     * {@code invalid_user_credentials}); callers answer all of them alike, as Django's {@code authenticate()} does.
     */
    public static Optional<UserModel> authenticate(KeycloakSession session, RealmModel realm, UserModel user,
                                                   String loginName, String password, EventBuilder event) {
        event.detail(Details.USERNAME, loginName);
        if (user == null) {
            simulate(session, realm);
            event.error(Errors.USER_NOT_FOUND);
            return Optional.empty();
        }
        event.user(user);
        if (!user.isEnabled()) {
            simulate(session, realm);
            event.error(Errors.USER_DISABLED);
            return Optional.empty();
        }
        String lockError = BruteForce.lockError(session, realm, user);
        if (lockError != null) {
            simulate(session, realm);
            event.error(lockError);
            return Optional.empty();
        }
        if (!matches(session, realm, user, password)) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            return Optional.empty();
        }
        return Optional.of(user);
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
