package io.github.dropin.keycloak.rest.http;

import java.util.Map;

/**
 * A validated request body: only declared fields, already coerced by their {@link Field.Kind}. Strings are trimmed
 * (passwords excepted), booleans are {@link Boolean}, codes keep the string or number the client sent.
 */
public final class Input {

    static final Input EMPTY = new Input(Map.of());

    private final Map<String, Object> values;

    Input(Map<String, Object> values) {
        this.values = values;
    }

    /** Whether the client sent the field (possibly as {@code null}). */
    public boolean has(String name) {
        return values.containsKey(name);
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
