package io.github.dropin.keycloak.rest.http;

import jakarta.ws.rs.core.Response;

/** Serves one operation of a route. Errors are thrown as {@link ApiError}; the dispatcher renders them. */
@FunctionalInterface
public interface Handler {
    Response handle(Call call) throws ApiError;
}
