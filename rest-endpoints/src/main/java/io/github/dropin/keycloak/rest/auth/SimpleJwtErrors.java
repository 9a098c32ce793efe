package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.tokens.JwtTokens;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.util.TokenUtil;

import java.util.List;
import java.util.Optional;

/**
 * djangorestframework-simplejwt 5.2's error answers, for the dialects built on it: its token views' 401s (with
 * {@code WWW-Authenticate: Bearer realm="api"}), {@code TokenVerifySerializer}'s 400 for a blacklisted token, and
 * {@code JWTAuthentication}'s 401s, each with the message SimpleJWT gives for the reason a token is refused
 * ({@link JwtTokens.Refusal}).
 */
public final class SimpleJwtErrors {

    public static final String NO_ACTIVE_ACCOUNT = "No active account found with the given credentials";
    public static final String INVALID_OR_EXPIRED = "Token is invalid or expired";

    private SimpleJwtErrors() {
    }

    /** {@code TokenObtainPairView} when the credentials are wrong or the account inactive. */
    public static ApiError noActiveAccount() {
        return unauthorized(Json.object("detail", NO_ACTIVE_ACCOUNT));
    }

    /** {@code TokenRefreshView}: {@code InvalidToken} with the token's message. */
    public static ApiError refreshRefused(JwtTokens.Refusal refusal) {
        return unauthorized(Json.object("detail", message(refusal), "code", "token_not_valid"));
    }

    /**
     * {@code TokenVerifyView}: an intact token that is blacklisted fails the serializer (400
     * {@code non_field_errors}); any other refusal is the view's 401.
     */
    public static ApiError verifyRefused(JwtTokens.Refusal refusal) {
        if (refusal == JwtTokens.Refusal.BLACKLISTED) {
            return ApiError.nonField(message(refusal));
        }
        return unauthorized(Json.object("detail", INVALID_OR_EXPIRED, "code", "token_not_valid"));
    }

    /**
     * {@code JWTAuthentication}: the token tried as each of {@code AUTH_TOKEN_CLASSES} (the access token), then its
     * user looked up.
     */
    public static ApiError authenticationRefused(JwtTokens.Refusal refusal) {
        return switch (refusal) {
            case USER_NOT_FOUND -> unauthorized(Json.object("detail", "User not found", "code", "user_not_found"));
            case USER_INACTIVE -> unauthorized(Json.object("detail", "User is inactive", "code", "user_inactive"));
            default -> unauthorized(Json.object(
                    "detail", "Given token not valid for any token type",
                    "code", "token_not_valid",
                    "messages", List.of(Json.object(
                            "token_class", "AccessToken",
                            "token_type", "access",
                            "message", message(refusal)))));
        };
    }

    /** SimpleJWT's {@code TokenError} message for a refusal, worded as its {@code tokens.py} raises them. */
    static String message(JwtTokens.Refusal refusal) {
        return switch (refusal) {
            case WRONG_TYPE -> "Token has wrong type";
            case BLACKLISTED -> "Token is blacklisted";
            default -> INVALID_OR_EXPIRED;
        };
    }

    /** A 401 of SimpleJWT's views, which announce {@code Bearer realm="api"}. */
    public static ApiError unauthorized(Object body) {
        return ApiError.response(Response.fromResponse(Json.response(401, body))
                .header(HttpHeaders.WWW_AUTHENTICATE, SimpleJwtAuthentication.WWW_AUTHENTICATE).build());
    }

    /**
     * SimpleJWT's {@code TokenRefreshView} with {@code ROTATE_REFRESH_TOKENS} and blacklisting, for the dialect's
     * client: new tokens through Keycloak's refresh grant, each refresh token working once; refusals in SimpleJWT's
     * words. The dialects differ only in the order of the answer's keys. A refresh token of the legacy backend is
     * answered once with Keycloak tokens for a new session while the realm accepts them ({@link LegacyRefresh}).
     */
    public static AccessTokenResponse refresh(Call call) throws ApiError {
        ClientModel client = call.client();
        EventBuilder event = call.event(EventType.REFRESH_TOKEN);
        String refresh = call.input().str("refresh");
        if (JwtTokens.verify(call.session(), call.realm(), refresh).filter(JwtTokens::isRefreshToken).isEmpty()) {
            // Perhaps a refresh token of the legacy backend, while the realm accepts them (issue 14).
            Optional<AccessTokenResponse> legacy = LegacyRefresh.redeem(call, refresh, event);
            if (legacy.isPresent()) {
                return legacy.get();
            }
            // Refused before Keycloak's grant runs, so the grant records no event: record it here.
            event.error(Errors.INVALID_TOKEN);
            throw refreshRefused(JwtTokens.refusal(call.session(), call.realm(), refresh, TokenUtil.TOKEN_TYPE_REFRESH,
                    client));
        }
        // Lost a race for the token's single use: by now it is used, so SimpleJWT would call it blacklisted.
        return JwtTokens.refresh(call.session(), call.realm(), client, refresh, event)
                .orElseThrow(() -> refreshRefused(JwtTokens.refusal(call.session(), call.realm(), refresh,
                        TokenUtil.TOKEN_TYPE_REFRESH, client)));
    }
}
