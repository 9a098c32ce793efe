package io.github.dropin.keycloak.compat;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The few Keycloak APIs that differ between the Keycloak lines the pack supports (26.4 and 26.7, README
 * "Compatibility"), in one place, so that the rest of the code is the same for every line. Each method says what
 * differs. The build compiles the pack against each line's own jars ({@code -Dkeycloak.line=26.4}), so a call that
 * exists in only one line fails the build of the other rather than a server at run time.
 */
public final class KeycloakCompat {

    /** {@code KeycloakSession.revokedTokens()} (newer than 26.4), or {@code null}. */
    private static final Method REVOKED_TOKENS = method(KeycloakSession.class, "revokedTokens");
    /** {@code RevokedTokenProvider.contains(String)} (newer than 26.4), or {@code null}. */
    private static final Method REVOKED_TOKENS_CONTAINS = REVOKED_TOKENS == null ? null
            : method(REVOKED_TOKENS.getReturnType(), "contains", String.class);
    /** {@code RevokedTokenProvider.put(String, long)} (newer than 26.4), or {@code null}. */
    private static final Method REVOKED_TOKENS_PUT = REVOKED_TOKENS == null ? null
            : method(REVOKED_TOKENS.getReturnType(), "put", String.class, long.class);

    /**
     * {@code org.keycloak.credential.UserCredentialManager(KeycloakSession, RealmModel, UserModel)}: the same class
     * and constructor in every supported line, but in a jar (keycloak-model-storage) that is not published for every
     * release, so it is looked up rather than compiled against.
     */
    private static final Constructor<?> USER_CREDENTIAL_MANAGER = userCredentialManager();

    private KeycloakCompat() {
    }

    /**
     * The credential manager of a user that lives only in memory (e.g. an account-to-be checked against the password
     * policy): what Keycloak's own user adapters return. Keycloak 26.7 also offers it as
     * {@code session.users().getUserCredentialManager(user)}, which 26.4 does not have.
     */
    public static SubjectCredentialManager credentialManager(KeycloakSession session, RealmModel realm, UserModel user) {
        try {
            return (SubjectCredentialManager) USER_CREDENTIAL_MANAGER.newInstance(session, realm, user);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Records a token id as revoked in Keycloak's revoked-token store (the database, checked by
     * {@code TokenManager.TokenRevocationCheck} and by Keycloak's own grants), for {@code lifespanSeconds}.
     * Keycloak 26.7 has {@code session.revokedTokens().put(id, lifespan)}; Keycloak 26.4 records the same through the
     * single-use store under the id with {@link SingleUseObjectProvider#REVOKED_KEY}, which it persists.
     */
    public static void revokeToken(KeycloakSession session, String tokenId, long lifespanSeconds) {
        if (REVOKED_TOKENS_PUT != null) {
            try {
                REVOKED_TOKENS_PUT.invoke(REVOKED_TOKENS.invoke(session), tokenId, lifespanSeconds);
                return;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
        session.singleUseObjects().put(tokenId + SingleUseObjectProvider.REVOKED_KEY, lifespanSeconds, Map.of());
    }

    /** Whether {@link #revokeToken} (or Keycloak's own revocation) recorded {@code tokenId}, in either line. */
    public static boolean isRevoked(KeycloakSession session, String tokenId) {
        if (REVOKED_TOKENS_CONTAINS != null) {
            try {
                return (Boolean) REVOKED_TOKENS_CONTAINS.invoke(REVOKED_TOKENS.invoke(session), tokenId);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
        return session.singleUseObjects().contains(tokenId + SingleUseObjectProvider.REVOKED_KEY);
    }

    /**
     * The user of a bearer token's authentication. Keycloak 26.7 made {@code AuthResult} a record ({@code user()}) and
     * deprecated the getters 26.4 has only; the getters are in both.
     */
    @SuppressWarnings({"deprecation", "removal"})
    public static UserModel user(AuthenticationManager.AuthResult result) {
        return result.getUser();
    }

    /** The user session of a bearer token's authentication (see {@link #user}). */
    @SuppressWarnings({"deprecation", "removal"})
    public static UserSessionModel session(AuthenticationManager.AuthResult result) {
        return result.getSession();
    }

    /** The verified token of a bearer token's authentication (see {@link #user}). */
    @SuppressWarnings({"deprecation", "removal"})
    public static AccessToken token(AuthenticationManager.AuthResult result) {
        return result.getToken();
    }

    private static Constructor<?> userCredentialManager() {
        try {
            return Class.forName("org.keycloak.credential.UserCredentialManager", false, KeycloakCompat.class.getClassLoader())
                    .getConstructor(KeycloakSession.class, RealmModel.class, UserModel.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            // Not in unit tests, which have no Keycloak server; a server always has it.
            return null;
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
