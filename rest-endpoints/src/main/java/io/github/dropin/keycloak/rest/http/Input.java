package io.github.dropin.keycloak.rest.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated request body: only declared fields, already coerced by their {@link Field.Kind}. Strings are trimmed
 * where their field trims, booleans are {@link Boolean}, codes keep the string or number the client sent.
 * <p>
 * On an operation that collects field errors ({@link Route.Builder#reportsEveryFieldError()}), fields that failed
 * are absent and their failures are in {@link #errors()}, for the handler to report together with its own per-field
 * checks, as a DRF serializer reports every field's failures at once.
 */
public final class Input {

    static final Input EMPTY = new Input(Map.of(), Map.of());

    private final Map<String, Object> values;
    private final Map<String, List<String>> errors;

    Input(Map<String, Object> values, Map<String, List<String>> errors) {
        this.values = values;
        this.errors = errors;
    }

    /** Whether the client sent the field (possibly as {@code null}) and it passed its declared checks. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Whether the field passed its declared checks (present and valid, or absent and optional). */
    public boolean valid(String name) {
        return !errors.containsKey(name);
    }

    /** The declared fields' failures, in declaration order (a copy to add to); empty unless the operation collects them. */
    public Map<String, List<String>> errors() {
        return new LinkedHashMap<>(errors);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    public String str(String name) {
        Object value = values.get(name);
        return value == null ? null : value.toString();
    }

    /** A string field, with an empty string read as absent (DRF forms send "" for fields left empty). */
    public String strOrNull(String name) {
        String value = str(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public boolean bool(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    /** A code as sent: a {@link String} or an integral {@link Number}. */
    public Object code(String name) {
        return values.get(name);
    }
}
