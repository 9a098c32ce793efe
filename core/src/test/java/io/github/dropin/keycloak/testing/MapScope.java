package io.github.dropin.keycloak.testing;

import org.keycloak.Config;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * SPI options as Keycloak hands them to a factory, from a map. Written out in full rather than extending
 * {@code Config.AbstractScope}: that base class is not in Keycloak 26.4, and the unit tests run on the 26.4 line too
 * ({@code -Dkeycloak.line=26.4}).
 */
public record MapScope(Map<String, String> values) implements Config.Scope {

    @Override
    public String get(String key) {
        return values.get(key);
    }

    @Override
    public String get(String key, String defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : value;
    }

    @Override
    public String[] getArray(String key) {
        String value = values.get(key);
        return value == null ? null : Arrays.stream(value.split(",")).map(String::trim).toArray(String[]::new);
    }

    @Override
    public Integer getInt(String key) {
        return getInt(key, null);
    }

    @Override
    public Integer getInt(String key, Integer defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : Integer.valueOf(value);
    }

    @Override
    public Long getLong(String key) {
        return getLong(key, null);
    }

    @Override
    public Long getLong(String key, Long defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : Long.valueOf(value);
    }

    @Override
    public Boolean getBoolean(String key) {
        return getBoolean(key, null);
    }

    @Override
    public Boolean getBoolean(String key, Boolean defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : Boolean.valueOf(value);
    }

    @Override
    public Config.Scope scope(String... scope) {
        return this;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Config.Scope root() {
        return this;
    }
}
