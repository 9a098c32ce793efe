package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

import java.util.Set;

/**
 * Keycloak's brute-force detector as every part of the pack uses it: the lock check before a code, password or PIN
 * is looked at, and one failure per wrong guess.
 * <p>
 * Wrong codes count as {@code otp} failures, wrong passwords and PINs as {@code password} failures: the categories the
 * detector accepts ({@code DefaultBruteForceProtector.ALLOWED_AUTHENTICATION_CATEGORIES}); a category of our own
 * would be ignored. Each wrong code counts once, here: the native authenticators refuse with
 * {@code context.challenge}, never {@code failureChallenge}, whose automatic failure logging Keycloak 26.4 does not
 * filter by category (26.7 drops it for their reference categories, which are deliberately not {@code otp}, also so
 * that the account console does not start offering authenticator-app setup).
 */
public final class BruteForce {

    /** The category the detector counts wrong codes under. */
    public static final Set<String> CODE = Set.of(OTPCredentialModel.TYPE);
    /** The category the detector counts wrong passwords (and PINs, which are passwords of a kind) under. */
    public static final Set<String> PASSWORD = Set.of(PasswordCredentialModel.TYPE);

    private BruteForce() {
    }

    /**
     * The event error if the detector currently refuses this user ({@code user_temporarily_disabled} or, for a
     * permanent lockout, {@code user_disabled}), else {@code null}: Keycloak's own checks of its failure record,
     * without the "login already in progress" refusal its default protector adds.
     * <p>
     * That refusal (Keycloak's guard against parallel password guesses outrunning the failure count, active whenever
     * an authentication session is bound to the request) would treat every parallel request of one user as locked,
     * so that of 50 parallel requests with the right code none might get in. The pack needs no such guard: codes and
     * PINs claim each attempt atomically before comparing, so parallel guesses cannot exceed the attempt limit
     * whatever the timing; and the dialects' password checks run without an authentication session, where Keycloak's
     * protector does not apply it either.
     */
    public static String lockError(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null || !realm.isBruteForceProtected()) {
            return null;
        }
        if (!user.isEnabled() && BruteForceProtector.DISABLED_BY_PERMANENT_LOCKOUT.equals(
                user.getFirstAttribute(UserModel.DISABLED_REASON))) {
            return Errors.USER_DISABLED;
        }
        UserLoginFailureModel failures = session.loginFailures().getUserLoginFailure(realm, user.getId());
        if (failures == null) {
            return null;
        }
        if (realm.isPermanentLockout() && failures.getNumTemporaryLockouts() > realm.getMaxTemporaryLockouts()) {
            return Errors.USER_DISABLED;
        }
        return Time.currentTime() < failures.getFailedLoginNotBefore() ? Errors.USER_TEMPORARILY_DISABLED : null;
    }

    public static boolean isLocked(KeycloakSession session, RealmModel realm, UserModel user) {
        return lockError(session, realm, user) != null;
    }

    /** Counts one wrong guess of {@code category} for {@code user}, if the realm has brute-force detection on. */
    public static void failure(KeycloakSession session, RealmModel realm, UserModel user, Set<String> category) {
        if (user != null && realm.isBruteForceProtected()) {
            KeycloakCompat.reportLogin(session.getProvider(BruteForceProtector.class), false, realm, user,
                    session.getContext().getConnection(), session.getContext().getUri(), category);
        }
    }

    /** Records a successful check, which clears the user's failure count, if the realm has detection on. */
    public static void success(KeycloakSession session, RealmModel realm, UserModel user, Set<String> category) {
        if (user != null && realm.isBruteForceProtected()) {
            KeycloakCompat.reportLogin(session.getProvider(BruteForceProtector.class), true, realm, user,
                    session.getContext().getConnection(), session.getContext().getUri(), category);
        }
    }
}
