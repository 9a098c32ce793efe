package io.github.dropin.keycloak.rest.tokenauth;

import io.github.dropin.keycloak.rest.http.ErrorStyle;
import io.github.dropin.keycloak.rest.http.Json;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Error shapes of seed 000: validation and business errors are DRF field errors wrapped as
 * {@code {"error_message": {"<field>": ["<message>"]}}} (400); everything the framework answers by itself
 * (parse errors, 401, 404, 405, 413, 415, 429) keeps DRF's {@code {"detail": ...}}.
 */
final class TokenAuthErrors implements ErrorStyle {

    static final String KEY = "error_message";

    @Override
    public Response fieldErrors(Map<String, List<String>> errors) {
        return Json.response(400, Json.object(KEY, errors));
    }
}
