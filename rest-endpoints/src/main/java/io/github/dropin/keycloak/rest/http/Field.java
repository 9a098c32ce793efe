package io.github.dropin.keycloak.rest.http;

import java.util.List;

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
 * @param trim       whether surrounding whitespace is removed first (DRF's {@code trim_whitespace}), so that a value
 *                   of spaces only is blank
 * @param choices    the accepted values of a {@link Kind#CHOICE}, empty for other kinds
 */
public record Field(String name, Kind kind, boolean required, boolean allowBlank, boolean allowNull, int maxLength,
                    boolean trim, List<String> choices) {

    /** Field types, each with DRF's coercion rules. */
    public enum Kind {
        /** CharField: strings, numbers (as text); trimmed. */
        STRING,
        /** A password: a CharField; by default with {@code trim_whitespace=False}, as DRF's AuthTokenSerializer. */
        PASSWORD,
        /** EmailField. */
        EMAIL,
        /** BooleanField. */
        BOOLEAN,
        /** A one-time code: a string of digits or a JSON number (leading zeros may be lost, see Codes). */
        CODE,
        /** ChoiceField: one of {@link #choices()}, compared as text, not trimmed. */
        CHOICE
    }

    public static final int DEFAULT_MAX_LENGTH = 1024;

    public Field {
        choices = List.copyOf(choices);
    }

    public static Field string(String name) {
        return new Field(name, Kind.STRING, true, false, false, DEFAULT_MAX_LENGTH, true, List.of());
    }

    /** A password taken as sent; {@link #trimmed()} for the serializers that trim it (DRF's default CharField). */
    public static Field password(String name) {
        return new Field(name, Kind.PASSWORD, true, false, false, 4096, false, List.of());
    }

    public static Field email(String name) {
        return new Field(name, Kind.EMAIL, true, false, false, Validator.EMAIL_MAX, true, List.of());
    }

    public static Field bool(String name) {
        return new Field(name, Kind.BOOLEAN, true, false, false, 0, false, List.of());
    }

    public static Field code(String name) {
        return new Field(name, Kind.CODE, true, false, false, 32, true, List.of());
    }

    /** DRF's {@code ChoiceField(choices)}: {@code "<value>" is not a valid choice.} for anything else. */
    public static Field choice(String name, String... choices) {
        int longest = List.of(choices).stream().mapToInt(String::length).max().orElse(0);
        return new Field(name, Kind.CHOICE, true, false, false, longest, false, List.of(choices));
    }

    public Field optional() {
        return new Field(name, kind, false, allowBlank, allowNull, maxLength, trim, choices);
    }

    public Field blankAllowed() {
        return new Field(name, kind, required, true, allowNull, maxLength, trim, choices);
    }

    public Field nullAllowed() {
        return new Field(name, kind, required, allowBlank, true, maxLength, trim, choices);
    }

    public Field max(int length) {
        return new Field(name, kind, required, allowBlank, allowNull, length, trim, choices);
    }

    /** Surrounding whitespace removed (a DRF CharField's default), so that spaces alone are blank. */
    public Field trimmed() {
        return new Field(name, kind, required, allowBlank, allowNull, maxLength, true, choices);
    }
}
