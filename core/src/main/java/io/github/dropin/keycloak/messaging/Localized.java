package io.github.dropin.keycloak.messaging;

import java.util.List;

/**
 * A message of the pack's bundles with its arguments, as an email template attribute: {@link CodeMessenger} formats
 * it in the recipient's locale before the template runs, so the template prints a finished sentence. Plural forms
 * (<code>{0,choice,...}</code>) need the number itself, which Keycloak 26.4's templating hands to the message
 * formatter only as text; formatted here, they work the same on every Keycloak line.
 */
public record Localized(String key, List<Object> args) {

    public static Localized of(String key, Object... args) {
        return new Localized(key, List.of(args));
    }
}
