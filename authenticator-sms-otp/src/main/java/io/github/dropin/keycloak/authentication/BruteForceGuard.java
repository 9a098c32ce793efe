package io.github.dropin.keycloak.authentication;

import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

import java.util.Set;

/**
 * Keycloak's brute-force detector as the code authenticators use it.
 * <p>
 * Wrong codes count as {@code otp} failures, the credential category the detector accepts for one-time codes
 * (a category of our own would be ignored). The authenticators' own reference categories are deliberately not
 * {@code otp}, so that the flow engine's automatic failure logging ignores them and each wrong code counts once,
 * here; and so that the account console does not start offering authenticator-app setup.
 */
public final class BruteForceGuard {

    /** The category the detector counts wrong codes under. */
    public static final Set<String> CODE = Set.of(OTPCredentialModel.TYPE);

    private BruteForceGuard() {
    }

    /**
     * The event error if the detector currently refuses this user ({@code user_temporarily_disabled} or, for a
     * permanent lockout, {@code user_disabled}), else {@code null}: Keycloak's own checks of its failure record,
     * without the "login already in progress" refusal its default protector adds.
     * <p>
     * That refusal (Keycloak's guard against parallel password guesses outrunning the failure count) would treat
     * every parallel request of one user as locked, so that of 50 parallel requests with the right code none might
     * get in. Codes need no such guard: the engine claims each attempt atomically before comparing, so parallel
     * guesses cannot exceed the attempt limit whatever the timing.
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

    /** Counts one wrong code for {@code user}, if the realm has brute-force detection on. */
    public static void wrongCode(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user != null && realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user,
                    session.getContext().getConnection(), session.getContext().getUri(), CODE);
        }
    }
}
