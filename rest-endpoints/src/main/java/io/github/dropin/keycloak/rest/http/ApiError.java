package io.github.dropin.keycloak.rest.http;

import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An error answer, rendered in the dialect's own {@link ErrorStyle} by the dispatcher, which also rolls the
 * request's transaction back so that nothing the request did persists. Cheap to throw (no stack trace): these
 * are expected outcomes, not bugs.
 */
public final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Function<ErrorStyle, Response> renderer;

    private ApiError(Function<ErrorStyle, Response> renderer) {
        super(null, null, false, false);
        this.renderer = renderer;
    }

    public Response render(ErrorStyle style) {
        return renderer.apply(style);
    }

    /** Validation errors for several fields. */
    public static ApiError fields(Map<String, List<String>> errors) {
        Map<String, List<String>> copy = new LinkedHashMap<>(errors);
        return new ApiError(style -> style.fieldErrors(copy));
    }

    /** One validation error on one field. */
    public static ApiError field(String field, String message) {
        return fields(Map.of(field, List.of(message)));
    }

    /** A validation error not tied to a field ({@code non_field_errors}). */
    public static ApiError nonField(String message) {
        return field("non_field_errors", message);
    }

    /** {@code {"detail": message}} (or the dialect's equivalent) with a status. */
    public static ApiError detail(int status, String message) {
        return new ApiError(style -> style.detail(status, message));
    }

    /** An exact body, for responses a seed documents word for word. */
    public static ApiError body(int status, Object body) {
        return new ApiError(style -> Json.response(status, body));
    }

    /** A ready response (for headers such as {@code WWW-Authenticate}). */
    public static ApiError response(Response response) {
        return new ApiError(style -> response);
    }

    public static ApiError of(Function<ErrorStyle, Response> renderer) {
        return new ApiError(renderer);
    }

    public static ApiError throttled(long seconds) {
        return new ApiError(style -> style.throttled(seconds));
    }

    public static ApiError notFound() {
        return new ApiError(ErrorStyle::notFound);
    }

    public static ApiError unavailable() {
        return new ApiError(ErrorStyle::unavailable);
    }
}
