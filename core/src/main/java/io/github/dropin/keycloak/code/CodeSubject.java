package io.github.dropin.keycloak.code;

import java.util.Locale;
import java.util.Objects;

/**
 * Whom a code is for: a user, a phone number or an email address. A code verifies only for the subject it
 * was issued to.
 *
 * @param type  {@code user}, {@code phone} or {@code email}
 * @param value user id, E.164 number or lower-cased address
 */
public record CodeSubject(String type, String value) {

    public CodeSubject {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static CodeSubject user(String userId) {
        return new CodeSubject("user", userId);
    }

    public static CodeSubject phone(String e164) {
        return new CodeSubject("phone", e164);
    }

    public static CodeSubject email(String address) {
        return new CodeSubject("email", address.toLowerCase(java.util.Locale.ROOT));
    }
}
