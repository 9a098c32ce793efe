package io.github.dropin.keycloak.it.legacy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Builds a conformance corpus: the documented requests of a seed, written out by each dialect's corpus class, and
 * the generated variants of every endpoint ({@link #variants}, {@link #authVariants}): missing, blank, null,
 * wrong-typed and extra fields, bodies that are not objects, malformed JSON and invalid UTF-8, other content types,
 * other methods, the other trailing-slash form, and every kind of {@code Authorization} header.
 *
 * <p>Labels start with the method and the documented path, so that allow-list entries can select requests by
 * endpoint ({@code "^POST /api/login/"}) and by variant ({@code "malformed JSON"}).
 */
final class Corpus {

    /**
     * One documented endpoint, as its variants need it.
     *
     * @param method  the documented method
     * @param path    the documented path (a template; with or without its trailing slash as the seed writes it)
     * @param fields  a valid body, field by field: name to a JSON value (a template), in the seed's order
     * @param methods every method the endpoint serves (the others are tried as wrong methods)
     * @param auth    the valid {@code Authorization} header value (a template), or {@code null} for public endpoints
     * @param form    whether the framework parses form bodies (DRF does; the phone-otp Flask app does not)
     */
    record Endpoint(String method, String path, Map<String, String> fields, Set<String> methods, String auth,
                    boolean form) {

        Endpoint withFields(Map<String, String> newFields) {
            return new Endpoint(method, path, newFields, methods, auth, form);
        }
    }

    private static final List<String> ALL_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");

    final List<Step> steps = new ArrayList<>();

    /** A request labelled {@code "<METHOD> <path> — <what>"}. */
    Step request(String method, String path, String what) {
        Step step = Step.request(method + " " + path + " \u2014 " + what, method, path);
        steps.add(step);
        return step;
    }

    Step post(String path, String what, String json) {
        return request("POST", path, what).json(json);
    }

    /** An action done on both sides, not compared (disable a user, forge a token into a variable). */
    void action(String what, Consumer<Side> action) {
        steps.add(Step.action(what, action));
    }

    /** A request of {@code endpoint} with {@code body} (JSON), its documented method and a valid Authorization. */
    Step send(Endpoint endpoint, String what, String json) {
        Step step = request(endpoint.method(), endpoint.path(), what);
        if (endpoint.auth() != null) {
            step.auth(endpoint.auth());
        }
        if (json != null) {
            step.json(json);
        }
        return step;
    }

    static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String quote(String text) {
        try {
            return LegacyBackend.JSON.writeValueAsString(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code fields} as a form body (JSON strings unquoted; other JSON values as their text). */
    static String formOf(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + encodeTemplate(unquote(e.getValue())))
                .collect(Collectors.joining("&"));
    }

    /** URL-encodes a template but leaves {@code ${var}} references as they are (variables are URL-safe). */
    private static String encodeTemplate(String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(URLEncoder.encode(value.substring(i), StandardCharsets.UTF_8));
                break;
            }
            int end = value.indexOf('}', start);
            out.append(URLEncoder.encode(value.substring(i, start), StandardCharsets.UTF_8)).append(value, start, end + 1);
            i = end + 1;
        }
        return out.toString();
    }

    private static String unquote(String json) {
        if (json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"")) {
            try {
                return LegacyBackend.JSON.readValue(json, String.class);
            } catch (java.io.IOException e) {
                return json;
            }
        }
        return json;
    }

    private static Map<String, String> with(Map<String, String> fields, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(name, value);
        return copy;
    }

    private static Map<String, String> without(Map<String, String> fields, String name) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.remove(name);
        return copy;
    }

    /**
     * The generated variants of one endpoint's body, method, content type and path. Variant bodies start from
     * {@code endpoint.fields()}, which should be harmless to repeat (unique names with {@code ${n}}, or an account
     * that exists), since every variant the framework accepts really runs.
     */
    void variants(Endpoint e) {
        Map<String, String> valid = e.fields();
        if (!valid.isEmpty()) {
            for (String field : valid.keySet()) {
                send(e, "missing " + field, object(without(valid, field)));
            }
            for (String field : valid.keySet()) {
                send(e, "blank " + field, object(with(valid, field, "\"\"")));
                send(e, "null " + field, object(with(valid, field, "null")));
                send(e, "whitespace " + field, object(with(valid, field, "\"   \"")));
            }
            for (String field : valid.keySet()) {
                send(e, "number " + field, object(with(valid, field, "12345")));
                send(e, "boolean " + field, object(with(valid, field, "true")));
                send(e, "list " + field, object(with(valid, field, "[\"a\"]")));
                send(e, "object " + field, object(with(valid, field, "{\"a\": 1}")));
            }
            send(e, "extra field", object(with(valid, "unexpected_field", "\"surprise\"")));
            send(e, "all fields missing", "{}");
        }
        if (valid.isEmpty()) {
            // An endpoint without a body (GET): whether a body it never reads is parsed anyway.
            send(e, "JSON list body", "[1, 2]");
            send(e, "malformed JSON: open brace", "{");
        } else {
            bodyVariants(e, valid);
        }

        for (String method : ALL_METHODS) {
            if (!e.methods().contains(method)) {
                Step wrong = request(method, e.path(), "wrong method " + method);
                if (e.auth() != null) {
                    wrong.auth(e.auth());
                }
            }
        }
        String other = e.path().endsWith("/") ? e.path().substring(0, e.path().length() - 1) : e.path() + "/";
        Step slash = request(e.method(), other, "other trailing slash form of " + e.path());
        if (e.auth() != null) {
            slash.auth(e.auth());
        }
        if (!valid.isEmpty()) {
            slash.json(object(valid));
        }
    }

    private void bodyVariants(Endpoint e, Map<String, String> valid) {
        send(e, "JSON list body", "[" + object(valid) + "]");
        send(e, "JSON string body", "\"text\"");
        send(e, "JSON number body", "42");
        send(e, "JSON null body", "null");
        send(e, "JSON true body", "true");
        send(e, "malformed JSON: open brace", "{");
        send(e, "malformed JSON: missing value", "{\"a\": }");
        send(e, "malformed JSON: single quotes", "{'a': 'b'}");
        send(e, "malformed JSON: trailing comma", "{\"a\": \"b\",}");
        send(e, "malformed JSON: two documents", object(valid) + " {}");
        send(e, "empty JSON body", null).body("application/json", "");
        Step utf8 = send(e, "invalid UTF-8 in JSON", null);
        utf8.raw("application/json", new byte[]{'{', '"', 'a', '"', ':', ' ', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});

        Step plain = send(e, "text/plain content type", null);
        plain.body("text/plain", object(valid));
        Step none = send(e, "no content type", null);
        none.body(null, object(valid));
        Step xml = send(e, "XML content type", null);
        xml.body("application/xml", "<request/>");
        Step suffix = send(e, "+json content type", null);
        suffix.body("application/vnd.api+json", object(valid));
        Step charset = send(e, "JSON with charset parameter", null);
        charset.body("application/json; charset=utf-8", object(valid));
        Step form = send(e, "form-encoded body", null);
        form.form(formOf(valid));
        Step multipart = send(e, "multipart body", null);
        multipart.body("multipart/form-data; boundary=XyZ", multipart(valid));
    }

    private static String multipart(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--XyZ\r\nContent-Disposition: form-data; name=\"").append(name)
                .append("\"\r\n\r\n").append(unquote(value)).append("\r\n"));
        return body.append("--XyZ--\r\n").toString();
    }

    /**
     * Every kind of {@code Authorization} header on an authenticated endpoint, with its valid body: none, empty, the
     * scheme alone, too many parts, an unknown credential, the scheme in lower case, the other schemes with the valid
     * credential, HTTP Basic, non-ASCII, and the seed's two spaces after the scheme.
     *
     * @param scheme     the endpoint's scheme ({@code Token} or {@code Bearer})
     * @param credential the valid credential (a template)
     * @param unknown    a well-formed credential nobody issued
     */
    void authVariants(Endpoint e, String scheme, String credential, String unknown) {
        String body = e.fields().isEmpty() ? null : object(e.fields());
        List<String[]> variants = List.of(
                new String[]{"no Authorization header", null},
                new String[]{"empty Authorization header", ""},
                new String[]{"scheme without credentials", scheme},
                new String[]{"credentials with a space", scheme + " abc def"},
                new String[]{"unknown credentials", scheme + " " + unknown},
                new String[]{"lower-case scheme", scheme.toLowerCase(java.util.Locale.ROOT) + " " + credential},
                new String[]{"scheme Token", "Token " + credential},
                new String[]{"scheme Bearer", "Bearer " + credential},
                new String[]{"scheme JWT", "JWT " + credential},
                new String[]{"HTTP Basic", "Basic dXNlcjpwYXNzd29yZA=="},
                new String[]{"non-ASCII credentials", scheme + " \u00e4\u00f6\u00fc"},
                new String[]{"two spaces after the scheme", scheme + "  " + credential});
        for (String[] variant : variants) {
            if (variant[1] != null && variant[1].equals(scheme + " " + credential)) {
                continue;
            }
            Step step = request(e.method(), e.path(), "auth: " + variant[0]);
            if (variant[1] != null) {
                step.auth(variant[1]);
            }
            if (body != null) {
                step.json(body);
            }
        }
    }
}
