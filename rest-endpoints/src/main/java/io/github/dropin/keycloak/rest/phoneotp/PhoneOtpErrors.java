package io.github.dropin.keycloak.rest.phoneotp;

import io.github.dropin.keycloak.rest.http.ErrorStyle;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Validator;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Error shapes of seed 001, a plain Django app: {@code {"error": "..."}} everywhere, and
 * {@code {"error": "Only JSON requests are accepted"}} (400) for any request without a JSON object body; OPTIONS as
 * Flask answers it.
 */
final class PhoneOtpErrors implements ErrorStyle {

    static final String ONLY_JSON = "Only JSON requests are accepted";

    static Response error(int status, String message) {
        return Json.response(status, Json.object("error", message));
    }

    @Override
    public Response fieldErrors(Map<String, List<String>> errors) {
        if (errors.containsKey("non_field_errors")) {
            return error(400, ONLY_JSON);
        }
        List<String> missing = errors.entrySet().stream()
                .filter(e -> e.getValue().contains(Validator.REQUIRED) || e.getValue().contains(Validator.NOT_NULL)
                        || e.getValue().contains(Validator.NOT_BLANK))
                .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            return error(400, "Missing parameter" + (missing.size() > 1 ? "s" : "") + ": " + String.join(", ", missing));
        }
        Map.Entry<String, List<String>> first = errors.entrySet().iterator().next();
        return error(400, "Invalid " + first.getKey() + ": " + first.getValue().get(0));
    }

    @Override
    public Response detail(int status, String message) {
        return error(status, message);
    }

    @Override
    public Response notFound() {
        return error(404, "Not found");
    }

    @Override
    public Response parseError(String problem) {
        return error(400, ONLY_JSON);
    }

    @Override
    public Response unsupportedMediaType(String contentType) {
        return error(400, ONLY_JSON);
    }

    @Override
    public Response tooLarge(int limitBytes) {
        return error(413, "Request body too large");
    }

    @Override
    public Response methodNotAllowed(String method, Set<String> allowed) {
        return Response.fromResponse(error(405, "Method " + method + " not allowed"))
                .header(HttpHeaders.ALLOW, ErrorStyle.allowHeader(allowed)).build();
    }

    /** Flask answers OPTIONS itself: 200, the {@code Allow} header, no body. */
    @Override
    public Response options(String name, Set<String> allowed, List<String> parses) {
        return Response.ok().header(HttpHeaders.ALLOW, ErrorStyle.allowHeader(allowed)).build();
    }

    @Override
    public Response throttled(long seconds) {
        return Response.fromResponse(Json.response(429, Json.object("message", "Too many requests, try again later")))
                .header("Retry-After", Long.toString(seconds)).build();
    }

    @Override
    public Response unavailable() {
        return error(503, "Service temporarily unavailable, try again later");
    }

    @Override
    public Response serverError() {
        return error(500, "Server error");
    }
}
