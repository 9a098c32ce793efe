package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.AuthScheme;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.CallerAuthenticator;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Principal;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Django REST framework's {@code TokenAuthentication}: {@code Authorization: Token <key>} with its exact 401 bodies
 * and {@code WWW-Authenticate: Token}. The key is a {@link SessionKeys} key, or, while the realm accepts them, a key
 * the legacy backend issued ({@link LegacyKeys}).
 */
public final class DrfTokenAuthentication {

    public static final String NOT_PROVIDED = "Authentication credentials were not provided.";
    public static final String INVALID = "Invalid token.";
    public static final String INACTIVE = "User inactive or deleted.";

    private DrfTokenAuthentication() {
    }

    /**
     * @param noteName the user-session note holding the key's hash
     * @param keywords the accepted schemes, case-insensitive (DRF: {@code Token}); the first is announced
     */
    public static CallerAuthenticator authenticator(String noteName, String... keywords) {
        String[] schemes = keywords.length == 0 ? new String[]{"Token"} : keywords;
        return new CallerAuthenticator() {
            @Override
            public Principal authenticate(Call call) throws ApiError {
                // As DRF's TokenAuthentication.authenticate(), which words each refusal where it raises it.
                String[] parts = split(call.header(HttpHeaders.AUTHORIZATION));
                if (parts.length == 0 || !accepted(parts[0], schemes)) {
                    throw missingCredentials();
                }
                if (parts.length == 1) {
                    throw unauthorized(schemes[0], "Invalid token header. No credentials provided.");
                }
                if (parts.length > 2) {
                    throw unauthorized(schemes[0], "Invalid token header. Token string should not contain spaces.");
                }
                Principal own = SessionKeys.verify(call.session(), call.realm(), parts[1], noteName).orElse(null);
                if (own != null) {
                    return own;
                }
                if (LegacyKeys.candidate(parts[1])) {
                    LegacyKeys.Result legacy = LegacyKeys.verify(call, parts[1]);
                    if (legacy.outcome() == LegacyKeys.Outcome.ACCEPTED) {
                        return legacy.principal();
                    }
                    throw unauthorized(schemes[0], legacy.outcome() == LegacyKeys.Outcome.INACTIVE ? INACTIVE : INVALID);
                }
                throw unauthorized(schemes[0],
                        SessionKeys.isOfDisabledUser(call.session(), call.realm(), parts[1], noteName) ? INACTIVE : INVALID);
            }

            @Override
            public List<AuthScheme> schemes() {
                return Arrays.stream(schemes).map(DrfTokenAuthentication::scheme).toList();
            }

            @Override
            public ApiError missingCredentials() {
                return unauthorized(schemes[0], NOT_PROVIDED);
            }
        };
    }

    /** How a session key is presented with {@code keyword}. */
    public static AuthScheme scheme(String keyword) {
        return AuthScheme.keyword(keyword, "Django REST framework token authentication: `" + keyword
                + " <key>`, the key from the dialect's sign-in endpoint.");
    }

    /** The header split on whitespace, as Python's {@code bytes.split()} does. */
    public static String[] split(String header) {
        if (header == null || header.isBlank()) {
            return new String[0];
        }
        return header.strip().split("\\s+");
    }

    private static boolean accepted(String scheme, String[] schemes) {
        for (String s : schemes) {
            if (s.toLowerCase(Locale.ROOT).equals(scheme.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    public static ApiError unauthorized(String scheme, String detail) {
        return ApiError.response(Response.fromResponse(Json.response(401, Json.object("detail", detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, scheme).build());
    }

    /** For handlers that read the key of the current request (logout, change password). */
    public static String presentedKey(Call call) {
        String[] parts = split(call.header(HttpHeaders.AUTHORIZATION));
        return parts.length == 2 ? parts[1] : null;
    }
}
