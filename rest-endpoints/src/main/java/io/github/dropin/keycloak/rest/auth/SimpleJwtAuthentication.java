package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.AuthScheme;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.CallerAuthenticator;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Principal;
import io.github.dropin.keycloak.rest.tokens.JwtTokens;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.TokenUtil;

import java.util.List;

/**
 * djangorestframework-simplejwt's {@code JWTAuthentication} over Keycloak access tokens:
 * {@code Authorization: Bearer <access token>}, verified by Keycloak's own bearer-token check (signature, expiry,
 * live user session, enabled user), with SimpleJWT's 401 bodies. Only tokens issued to the dialect's own client (or a
 * client the realm adds, {@link Call#acceptsTokensOf}) are accepted.
 */
public final class SimpleJwtAuthentication {

    public static final String WWW_AUTHENTICATE = "Bearer realm=\"api\"";

    /** A realm access token, as the dialect's token endpoints issue it. */
    public static final AuthScheme SCHEME = AuthScheme.bearer("JWT",
            "`Bearer <access token>`: the realm's access token from the dialect's token endpoints.");

    private SimpleJwtAuthentication() {
    }

    public static CallerAuthenticator authenticator() {
        return new CallerAuthenticator() {
            @Override
            public Principal authenticate(Call call) throws ApiError {
                String[] parts = DrfTokenAuthentication.split(call.header(HttpHeaders.AUTHORIZATION));
                if (parts.length == 0 || !parts[0].equals("Bearer")) {
                    throw missingCredentials();
                }
                if (parts.length != 2) {
                    throw unauthorized(Json.object("detail", "Authorization header must contain two space-delimited values",
                            "code", "bad_authorization_header"));
                }
                Principal principal = verify(call.session(), parts[1]);
                // Only the dialect's own tokens (and those of clients the realm adds): another app's token is no key here.
                if (!call.acceptsTokensOf(principal.accessToken().getIssuedFor())) {
                    throw invalidToken();
                }
                return principal;
            }

            @Override
            public List<AuthScheme> schemes() {
                return List.of(SCHEME);
            }

            @Override
            public ApiError missingCredentials() {
                return unauthorized(Json.object("detail", DrfTokenAuthentication.NOT_PROVIDED));
            }
        };
    }

    /** Verifies an access token string as Keycloak's admin and account APIs do. */
    static Principal verify(org.keycloak.models.KeycloakSession session, String token) throws ApiError {
        AuthenticationManager.AuthResult result;
        try {
            result = KeycloakCompat.authenticateBearer(session, token);
        } catch (WebApplicationException refused) {
            result = null;
        }
        if (result == null) {
            // SimpleJWT tells why: the token itself, its kind, or its user.
            throw SimpleJwtErrors.authenticationRefused(JwtTokens.refusal(session, session.getContext().getRealm(),
                    token, TokenUtil.TOKEN_TYPE_BEARER, null));
        }
        return new Principal(KeycloakCompat.user(result), KeycloakCompat.session(result), KeycloakCompat.token(result));
    }

    public static ApiError invalidToken() {
        return SimpleJwtErrors.authenticationRefused(JwtTokens.Refusal.INVALID);
    }

    private static ApiError unauthorized(Object body) {
        return ApiError.response(Response.fromResponse(Json.response(401, body))
                .header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE).build());
    }
}
