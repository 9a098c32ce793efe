package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dropin.keycloak.it.badinput.RawHttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An answer reduced to what is compared: the status, the body with ids, tokens and timestamps replaced by
 * placeholders, and the headers a client reads.
 *
 * <p>Placeholders: a value equal to a variable of the side ({@code ${alice.key}}) becomes {@code <alice.key>}, so
 * that the same token or id in two places is still checked to be the same; otherwise a JWT becomes {@code <jwt>}, the
 * value of a token field ({@code token}, {@code key}, {@code access}, {@code refresh}, {@code access_token},
 * {@code refresh_token}) {@code <token>}, of an id field ({@code id}, {@code user_id}, {@code pk}) {@code <id>}, an
 * ISO-8601 timestamp {@code <time>}, and the seconds in DRF's throttle message {@code <n>}. Base URLs in text bodies
 * become {@code <base>}.
 *
 * <p>Headers: {@code WWW-Authenticate} and {@code Content-Type} as sent (the latter only when there is a body);
 * {@code Allow} as a set of methods, and only on a 405 or an answer to OPTIONS (Django REST framework sends it on every
 * answer; a client reads it on those); {@code Retry-After} as present or absent (its value depends on the clock).
 */
record Normalized(int status, String body, Map<String, String> headers) {

    static final Set<String> TOKEN_FIELDS = Set.of("token", "key", "access", "refresh", "access_token", "refresh_token");
    static final Set<String> ID_FIELDS = Set.of("id", "user_id", "pk");
    private static final Pattern JWT = Pattern.compile("^[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+$");
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?$");
    private static final Pattern THROTTLE_SECONDS = Pattern.compile("available in \\d+ seconds?");

    static Normalized of(RawHttp.Answer answer, String method, Side side) {
        Map<String, String> byValue = side.varsByValue();
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        String body;
        JsonNode json = json(answer);
        if (json != null) {
            body = normalize(json, null, byValue).toString();
        } else {
            body = text.replace(side.baseUrl(), "<base>").replaceAll("http://127\\.0\\.0\\.1:\\d+", "<base>");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String auth = answer.header("www-authenticate");
        if (auth != null) {
            headers.put("www-authenticate", auth.strip());
        }
        String allow = answer.header("allow");
        if (allow != null && (answer.status() == 405 || method.equals("OPTIONS"))) {
            headers.put("allow", new TreeSet<>(Arrays.stream(allow.split(","))
                    .map(m -> m.strip().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).collect(Collectors.toSet()))
                    .toString());
        }
        if (answer.header("retry-after") != null) {
            headers.put("retry-after", "<present>");
        }
        String contentType = answer.header("content-type");
        if (contentType != null && answer.body().length > 0) {
            headers.put("content-type", contentType.strip().toLowerCase(Locale.ROOT).replace("; ", ";"));
        }
        return new Normalized(answer.status(), body, headers);
    }

    /** The body as JSON when it is JSON (by content type or by parsing), else {@code null}. */
    private static JsonNode json(RawHttp.Answer answer) {
        if (answer.body().length == 0) {
            return null;
        }
        String type = String.valueOf(answer.header("content-type")).toLowerCase(Locale.ROOT);
        if (!type.contains("json")) {
            return null;
        }
        try {
            return LegacyBackend.JSON.readTree(answer.body());
        } catch (IOException notJson) {
            return null;
        }
    }

    private static JsonNode normalize(JsonNode node, String field, Map<String, String> byValue) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            // Keys sorted: clients read JSON objects by name, and DRF, Flask and the dialects order them differently.
            new TreeSet<>(names(node.fieldNames()))
                    .forEach(key -> copy.set(key, normalize(node.get(key), key, byValue)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            // Elements of a list are not the field's value itself: ["This field is required."] under "token" is a
            // message, not a token.
            node.forEach(element -> copy.add(normalize(element, null, byValue)));
            return copy;
        }
        if (node.isTextual() || node.isNumber()) {
            String value = node.asText();
            boolean idField = field != null && ID_FIELDS.contains(field);
            String var = byValue.get(value);
            if (var != null && (node.isTextual() && value.length() >= 8 || idField)) {
                return JsonNodeFactory.instance.textNode("<" + var + ">");
            }
            if (node.isTextual() && JWT.matcher(value).matches()) {
                return JsonNodeFactory.instance.textNode("<jwt>");
            }
            if (field != null && TOKEN_FIELDS.contains(field) && node.isTextual()) {
                return JsonNodeFactory.instance.textNode("<token>");
            }
            if (idField) {
                return JsonNodeFactory.instance.textNode("<id>");
            }
            if (node.isTextual() && TIMESTAMP.matcher(value).matches()) {
                return JsonNodeFactory.instance.textNode("<time>");
            }
            if (node.isTextual() && THROTTLE_SECONDS.matcher(value).find()) {
                return JsonNodeFactory.instance.textNode(THROTTLE_SECONDS.matcher(value).replaceAll("available in <n> seconds"));
            }
        }
        return node;
    }

    private static java.util.List<String> names(java.util.Iterator<String> names) {
        java.util.List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** One line: status, headers, body. */
    String summary() {
        return status + " " + body + (headers.isEmpty() ? "" : "  " + headers);
    }

    /** The value of one compared aspect: {@code status}, {@code body} or a header name ("" when absent). */
    String aspect(String name) {
        return switch (name) {
            case "status" -> Integer.toString(status);
            case "body" -> body;
            default -> headers.getOrDefault(name, "");
        };
    }

    static final java.util.List<String> ASPECTS = java.util.List.of("status", "body", "www-authenticate", "allow",
            "retry-after", "content-type");
}
