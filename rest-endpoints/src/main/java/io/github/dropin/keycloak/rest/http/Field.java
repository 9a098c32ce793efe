package io.github.dropin.keycloak.rest.http;

/**
 * One input field of a route, with Django REST framework's validation semantics. Routes declare their fields;
 * the dispatcher validates the body against them before a handler runs, and the bad-input test generates
 * malformed values from the same declarations.
 *
 * @param name       the field name as the seed documents it
 * @param kind       its type
 * @param required   whether it must be present ("This field is required.")
 * @param allowBlank whether {@code ""} is accepted ("This field may not be blank.")
 * @param allowNull  whether {@code null} is accepted ("This field may not be null.")
 * @param maxLength  longest accepted string ("Ensure this field has no more than N characters.")
 */
public record Field(String name, Kind kind, boolean required, boolean allowBlank, boolean allowNull, int maxLength) {

    /** Field types, each with DRF's coercion rules. */
    public enum Kind {
        /** CharField: strings, numbers (as text); trimmed. */
        STRING,
        /** CharField with {@code trim_whitespace=False}, for passwords. */
        PASSWORD,
        /** EmailField. */
        EMAIL,
        /** BooleanField. */
        BOOLEAN,
        /** A one-time code: a string of digits or a JSON number (leading zeros may be lost, see Codes). */
        CODE
    }

    public static final int DEFAULT_MAX_LENGTH = 1024;

    public static Field string(String name) {
        return new Field(name, Kind.STRING, true, false, false, DEFAULT_MAX_LENGTH);
    }

    public static Field password(String name) {
        return new Field(name, Kind.PASSWORD, true, false, false, 4096);
    }

    public static Field email(String name) {
        return new Field(name, Kind.EMAIL, true, false, false, Validator.EMAIL_MAX);
    }

    public static Field bool(String name) {
        return new Field(name, Kind.BOOLEAN, true, false, false, 0);
    }

    public static Field code(String name) {
        return new Field(name, Kind.CODE, true, false, false, 32);
    }

    public Field optional() {
        return new Field(name, kind, false, allowBlank, allowNull, maxLength);
    }

    public Field blankAllowed() {
        return new Field(name, kind, required, true, allowNull, maxLength);
    }

    public Field nullAllowed() {
        return new Field(name, kind, required, allowBlank, true, maxLength);
    }

    public Field max(int length) {
        return new Field(name, kind, required, allowBlank, allowNull, length);
    }
}
