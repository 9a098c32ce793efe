package io.github.dropin.keycloak.authentication;

import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
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
     * permanent lockout, {@code user_disabled}), else {@code null}.
     */
    public static String lockError(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null || !realm.isBruteForceProtected()) {
            return null;
        }
        return AuthenticatorUtils.getDisabledByBruteForceEventError(session.getProvider(BruteForceProtector.class),
                session, realm, user);
    }

    /** Counts one wrong code for {@code user}, if the realm has brute-force detection on. */
    public static void wrongCode(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user != null && realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user,
                    session.getContext().getConnection(), session.getContext().getUri(), CODE);
        }
    }
}
