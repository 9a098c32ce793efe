package io.github.dropin.keycloak.it.legacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One step of a conformance corpus: either a request sent to both sides, or an action done on both (disable a user,
 * forge a token) that is not itself compared.
 *
 * <p>Requests are templates: {@code ${name}} in the path, a header value or the body is replaced, per side, by that
 * side's value of the variable (an id, a token, a code the side sent); {@code ${n}} by the step's number (the same on
 * both sides, for unique usernames). After the request, {@link #capture} stores top-level fields of the JSON answer
 * as variables, and {@link #code} stores the code the side sent to an address during the step.
 */
final class Step {

    /** Stores the code sent to {@code to} (a template) during this step as variable {@code var}. */
    record CodeCapture(String var, String to) {
    }

    final String label;
    final String method;
    final String path;
    final List<String[]> headers = new ArrayList<>();
    /** The body template, or {@code null} for no body; {@link #rawBody} wins if set. */
    String body;
    byte[] rawBody;
    final Map<String, String> captures = new LinkedHashMap<>();
    final List<CodeCapture> codes = new ArrayList<>();
    final Consumer<Side> action;
    int number;

    private Step(String label, String method, String path, Consumer<Side> action) {
        this.label = label;
        this.method = method;
        this.path = path;
        this.action = action;
    }

    static Step request(String label, String method, String path) {
        return new Step(label, method, path, null);
    }

    static Step action(String label, Consumer<Side> action) {
        return new Step(label, null, null, action);
    }

    boolean isRequest() {
        return action == null;
    }

    Step header(String name, String value) {
        headers.add(new String[]{name, value});
        return this;
    }

    Step json(String json) {
        body = json;
        return header("Content-Type", "application/json");
    }

    Step form(String form) {
        body = form;
        return header("Content-Type", "application/x-www-form-urlencoded");
    }

    Step body(String contentType, String text) {
        body = text;
        return contentType == null ? this : header("Content-Type", contentType);
    }

    Step raw(String contentType, byte[] bytes) {
        rawBody = bytes;
        return contentType == null ? this : header("Content-Type", contentType);
    }

    Step auth(String value) {
        return header("Authorization", value);
    }

    /** After the request, stores the JSON answer's top-level {@code field} as variable {@code var} (if present). */
    Step capture(String var, String field) {
        captures.put(var, field);
        return this;
    }

    /** After a successful request, stores the code the side sent to {@code to} as variable {@code var}. */
    Step code(String var, String to) {
        codes.add(new CodeCapture(var, to));
        return this;
    }

    /** The request as one side sends it: path, headers and body with that side's variables. */
    record Resolved(String method, String path, List<String[]> headers, byte[] body) {
        String describe() {
            StringBuilder text = new StringBuilder(method).append(' ').append(path);
            for (String[] h : headers) {
                text.append("\n    ").append(h[0]).append(": ").append(abbreviate(h[1], 120));
            }
            if (body != null) {
                text.append("\n    ").append(abbreviate(new String(body, StandardCharsets.UTF_8), 300));
            }
            return text.toString();
        }
    }

    Resolved resolve(Side side) {
        List<String[]> resolvedHeaders = new ArrayList<>();
        for (String[] h : headers) {
            resolvedHeaders.add(new String[]{h[0], side.resolve(h[1], number)});
        }
        byte[] bytes = rawBody != null ? rawBody
                : body == null ? null : side.resolve(body, number).getBytes(StandardCharsets.UTF_8);
        return new Resolved(method, side.resolve(path, number), resolvedHeaders, bytes);
    }

    static String abbreviate(String text, int max) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...(" + oneLine.length() + " chars)";
    }

    @Override
    public String toString() {
        return "#" + number + " " + label;
    }
}
