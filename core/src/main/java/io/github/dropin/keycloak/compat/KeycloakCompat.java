package io.github.dropin.keycloak.compat;

import jakarta.ws.rs.core.UriInfo;
import org.keycloak.common.ClientConnection;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.UserModelDelegate;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.BruteForceProtector;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * {@code BruteForceProtector.failedLogin}/{@code successfulLogin} with the failure's category
     * ({@code Set<String>}, newer than 26.4), or {@code null}; 26.4 has them without the category.
     */
    private static final Method FAILED_LOGIN_WITH_CATEGORY = method(BruteForceProtector.class, "failedLogin",
            RealmModel.class, UserModel.class, ClientConnection.class, UriInfo.class, Set.class);
    private static final Method SUCCESSFUL_LOGIN_WITH_CATEGORY = method(BruteForceProtector.class, "successfulLogin",
            RealmModel.class, UserModel.class, ClientConnection.class, UriInfo.class, Set.class);
    /** The same without the category (Keycloak 26.4), looked up once. */
    private static final Method FAILED_LOGIN = FAILED_LOGIN_WITH_CATEGORY != null ? null : method(
            BruteForceProtector.class, "failedLogin", RealmModel.class, UserModel.class, ClientConnection.class,
            UriInfo.class);
    private static final Method SUCCESSFUL_LOGIN = SUCCESSFUL_LOGIN_WITH_CATEGORY != null ? null : method(
            BruteForceProtector.class, "successfulLogin", RealmModel.class, UserModel.class, ClientConnection.class,
            UriInfo.class);
    /** {@code EmailTemplateProvider.send(..., String address)} (newer than 26.4), or {@code null}. */
    private static final Method SEND_TO_ADDRESS = method(EmailTemplateProvider.class, "send", String.class, List.class,
            String.class, Map.class, String.class);
    /**
     * Whether this Keycloak has the refresh-token provider SPI (newer than 26.4), through which the pack's
     * {@code LegacyClaims} puts the legacy claims into every refresh token; without it the dialects add them to the
     * refresh tokens they issue ({@code LegacyClaimsMapper.addToRefreshToken}).
     */
    public static final boolean REFRESH_TOKEN_PROVIDERS =
            classExists("org.keycloak.protocol.oidc.refresh.RefreshTokenProviderFactory");

    private KeycloakCompat() {
    }

    /**
     * Reports a failed or a successful login to Keycloak's brute-force detector. Keycloak 26.7 takes the failure's
     * category (e.g. a one-time code apart from passwords); 26.4 counts every failure alike.
     */
    public static void reportLogin(BruteForceProtector protector, boolean success, RealmModel realm, UserModel user,
                                   ClientConnection connection, UriInfo uri, Set<String> category) {
        Method withCategory = success ? SUCCESSFUL_LOGIN_WITH_CATEGORY : FAILED_LOGIN_WITH_CATEGORY;
        if (withCategory != null) {
            invoke(withCategory, protector, realm, user, connection, uri, category);
        } else {
            invoke(success ? SUCCESSFUL_LOGIN : FAILED_LOGIN, protector, realm, user, connection, uri);
        }
    }

    /**
     * Sends a templated email to {@code address}, which need not be the user's own (e.g. a new address being
     * verified). Keycloak 26.7 takes the address; on 26.4 the provider is given a view of the user whose email is
     * {@code address}, which is what Keycloak 26.4 itself does for its update-email verification.
     */
    public static void sendEmail(EmailTemplateProvider provider, UserModel user, String subjectKey,
                                 List<Object> subjectAttributes, String template, Map<String, Object> attributes,
                                 String address) throws EmailException {
        try {
            if (SEND_TO_ADDRESS != null) {
                provider.setUser(user);
                SEND_TO_ADDRESS.invoke(provider, subjectKey, subjectAttributes, template, attributes, address);
                return;
            }
            provider.setUser(new UserModelDelegate(user) {
                @Override
                public String getEmail() {
                    return address;
                }
            });
            provider.send(subjectKey, subjectAttributes, template, attributes);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof EmailException email) {
                throw email;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
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
     * Authenticates a bearer access token as Keycloak's admin and account APIs do ({@code BearerTokenAuthenticator}),
     * or {@code null} when its header names a signature algorithm this Keycloak has no provider for: Keycloak 26.4's
     * verifier fails on those with a NullPointerException (a 500) instead of refusing the token.
     *
     * @throws jakarta.ws.rs.WebApplicationException as the authenticator throws it for other refused tokens
     */
    public static AuthenticationManager.AuthResult authenticateBearer(KeycloakSession session, String token) {
        try {
            String algorithm = new JWSInput(token).getHeader().getRawAlgorithm();
            if (algorithm == null || session.getProvider(SignatureProvider.class, algorithm) == null) {
                return null;
            }
        } catch (JWSInputException malformed) {
            return null;
        }
        return new AppAuthManager.BearerTokenAuthenticator(session).setTokenString(token).authenticate();
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

    private static void invoke(Method method, Object target, Object... arguments) {
        try {
            method.invoke(target, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, KeycloakCompat.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
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
