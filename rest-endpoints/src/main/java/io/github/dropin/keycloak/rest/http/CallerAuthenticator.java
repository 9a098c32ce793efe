package io.github.dropin.keycloak.rest.http;

import java.util.List;

/**
 * Authenticates the caller of a protected route from the {@code Authorization} header, answering with the
 * dialect's framework's 401 bodies when it cannot.
 * <p>
 * {@link #schemes()} and {@link #missingCredentials()} describe it for the dialect's OpenAPI description; the
 * authenticator answers a request without credentials with that same error, so the description cannot drift.
 */
@FunctionalInterface
public interface CallerAuthenticator {

    CallerAuthenticator NONE = call -> {
        throw new IllegalStateException("dialect has no authenticated routes");
    };

    Principal authenticate(Call call) throws ApiError;

    /** The {@code Authorization} schemes accepted, the one a 401 announces first. */
    default List<AuthScheme> schemes() {
        return List.of();
    }

    /**
     * The answer to a request without credentials (401, with its {@code WWW-Authenticate}); by default DRF's
     * {@code NotAuthenticated} in the dialect's style.
     */
    default ApiError missingCredentials() {
        return ApiError.detail(401, "Authentication credentials were not provided.");
    }
}
