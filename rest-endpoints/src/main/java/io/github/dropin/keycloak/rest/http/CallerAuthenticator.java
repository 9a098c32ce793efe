package io.github.dropin.keycloak.rest.http;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;

/**
 * Authenticates the caller of a protected route from the {@code Authorization} header, answering with the
 * dialect's framework's 401 bodies when it cannot.
 */
@FunctionalInterface
public interface CallerAuthenticator {

    CallerAuthenticator NONE = call -> {
        throw new IllegalStateException("dialect has no authenticated routes");
    };

    Principal authenticate(Call call) throws ApiError;
}
