package io.github.dropin.keycloak;

import java.util.Locale;

/**
 * An enum whose constants are known outside the code by their names in lower case ({@code password_reset}): in
 * store and message keys, events, metric labels and answers of the admin REST API.
 */
public interface LowerCaseId {

    /** The constant's name, as {@link Enum#name()}. */
    String name();

    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
