package io.github.dropin.keycloak.rest.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a dialect writes errors, and the other answers its framework gives by itself (OPTIONS). The defaults are Django
 * REST framework's (SPEC §4.6); a dialect built on another framework overrides what differs.
 */
public interface ErrorStyle {

    /** DRF's own shapes, unchanged. */
    ErrorStyle DRF = new ErrorStyle() {
    };

    /** Serializer validation errors: {@code {"field": ["message"]}}, 400. */
    default Response fieldErrors(Map<String, List<String>> errors) {
        return Json.response(400, errors);
    }

    /** {@code {"detail": message}} with the given status. */
    default Response detail(int status, String message) {
        return Json.response(status, Json.object("detail", message));
    }

    default Response notFound() {
        return detail(404, "Not found.");
    }

    default Response parseError(String problem) {
        return detail(400, "JSON parse error - " + problem);
    }

    default Response unsupportedMediaType(String contentType) {
        return detail(415, "Unsupported media type \"" + contentType + "\" in request.");
    }

    default Response tooLarge(int limitBytes) {
        return detail(413, "Request body exceeds the limit of " + limitBytes + " bytes.");
    }

    default Response methodNotAllowed(String method, Set<String> allowed) {
        return Response.fromResponse(detail(405, "Method \"" + method + "\" not allowed."))
                .header(HttpHeaders.ALLOW, allowHeader(allowed)).build();
    }

    default Response throttled(long seconds) {
        String unit = seconds == 1 ? "second" : "seconds";
        return Response.fromResponse(detail(429, "Request was throttled. Expected available in " + seconds + " " + unit + "."))
                .header("Retry-After", Long.toString(seconds)).build();
    }

    default Response unavailable() {
        return detail(503, "Service temporarily unavailable, try again later.");
    }

    /** A 500 that reveals nothing; the cause is in the server log. */
    default Response serverError() {
        return detail(500, "A server error occurred.");
    }

    /**
     * The answer to {@code OPTIONS}: DRF's metadata, reduced to what a seed could rely on (the view's name, what it
     * renders and parses), with {@code Allow}.
     *
     * @param name    the route's path
     * @param allowed the route's methods
     * @param parses  the media types its bodies may have
     */
    default Response options(String name, Set<String> allowed, List<String> parses) {
        return Response.fromResponse(Json.ok(Json.object("name", name, "renders", List.of("application/json"),
                "parses", parses))).header(HttpHeaders.ALLOW, allowHeader(allowed)).build();
    }

    static String allowHeader(Set<String> allowed) {
        Set<String> all = new TreeSet<>(allowed);
        all.add("OPTIONS");
        if (all.contains("GET")) {
            all.add("HEAD");
        }
        return String.join(", ", all);
    }
}
