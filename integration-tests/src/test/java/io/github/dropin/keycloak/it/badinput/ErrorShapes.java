package io.github.dropin.keycloak.it.badinput;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a 4xx body of each dialect may look like: the error shapes of the framework the original backend was built
 * on (SPEC §4.6), so that an app's error handling keeps working. A dialect without an entry is held to Django REST
 * framework's shapes, the framework four of the five seeds use; add an entry when a dialect's errors differ.
 */
final class ErrorShapes {

    private ErrorShapes() {
    }

    /**
     * Django REST framework: {@code {"detail": "..."}} (SimpleJWT adds {@code "code"} and {@code "messages"}), or
     * serializer errors {@code {"<field>": ["...", ...], ...}} including {@code non_field_errors}.
     */
    static final Predicate<JsonNode> DRF = body -> detail(body) || fieldErrors(body);

    /**
     * Seed 001, a plain Django app: exactly one of {@code {"error": "..."}} or {@code {"message": "..."}}; not
     * RESTEasy's {@code {"error": "HTTP 405 Method Not Allowed"}}, which has the same form but was not written by the
     * dialect.
     */
    static final Predicate<JsonNode> PHONE_OTP = body -> body.isObject() && body.size() == 1
            && (body.path("error").isTextual() || body.path("message").isTextual())
            && !body.path("error").asText("").matches("HTTP \\d{3} .*");

    /**
     * Seed 000 (DRF with a custom envelope): {@code {"error_message": {"<field>": ["..."]}}} or
     * {@code {"error_message": "..."}}, besides DRF's own shapes for authentication and parsing.
     */
    static final Predicate<JsonNode> TOKEN_AUTH = body -> DRF.test(body) || (body.isObject() && body.size() == 1
            && (body.path("error_message").isTextual() || fieldErrors(body.path("error_message"))));

    private static final Map<String, Predicate<JsonNode>> BY_DIALECT = Map.of(
            "phone-otp", PHONE_OTP,
            "token-auth", TOKEN_AUTH);

    /** DRF's keys of a {@code detail} body (SimpleJWT's included). */
    private static final Set<String> DETAIL_KEYS = Set.of("detail", "code", "messages");

    static Predicate<JsonNode> of(String dialect) {
        return BY_DIALECT.getOrDefault(dialect, DRF);
    }

    static String describe(String dialect) {
        return BY_DIALECT.containsKey(dialect) ? dialect + "'s own shape" : "Django REST framework's shapes";
    }

    private static boolean detail(JsonNode body) {
        if (!body.isObject() || !body.path("detail").isTextual()) {
            return false;
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            if (!DETAIL_KEYS.contains(names.next())) {
                return false;
            }
        }
        return !body.has("code") || body.path("code").isTextual();
    }

    /** {@code {"field": ["message", ...], ...}} with at least one field, every message a non-empty string. */
    private static boolean fieldErrors(JsonNode body) {
        if (!body.isObject() || body.isEmpty()) {
            return false;
        }
        for (JsonNode messages : body) {
            if (!messages.isArray() || messages.isEmpty()) {
                return false;
            }
            for (JsonNode message : messages) {
                if (!message.isTextual() || message.asText().isBlank()) {
                    return false;
                }
            }
        }
        return true;
    }
}
