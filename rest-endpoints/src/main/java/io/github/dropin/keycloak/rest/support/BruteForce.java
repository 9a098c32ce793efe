package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.rest.http.Call;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

import java.util.Set;

/**
 * Keycloak's brute-force detector, fed by the dialects where the realm has it on. Categories are Keycloak's
 * credential type names, the only ones the detector counts: {@code password} for passwords, {@code otp} for
 * one-time codes.
 */
public final class BruteForce {

    public static final Set<String> PASSWORD = Set.of(PasswordCredentialModel.TYPE);
    public static final Set<String> CODE = Set.of(OTPCredentialModel.TYPE);

    private BruteForce() {
    }

    /** Whether the detector currently refuses this user (temporarily or permanently locked). */
    public static boolean isLocked(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(session, realm, user) || protector.isPermanentlyLockedOut(session, realm, user);
    }

    public static void failure(Call call, UserModel user, Set<String> category) {
        if (call.realm().isBruteForceProtected()) {
            call.session().getProvider(BruteForceProtector.class).failedLogin(call.realm(), user,
                    call.session().getContext().getConnection(), call.session().getContext().getUri(), category);
        }
    }

    public static void success(Call call, UserModel user, Set<String> category) {
        if (call.realm().isBruteForceProtected()) {
            call.session().getProvider(BruteForceProtector.class).successfulLogin(call.realm(), user,
                    call.session().getContext().getConnection(), call.session().getContext().getUri(), category);
        }
    }
}
