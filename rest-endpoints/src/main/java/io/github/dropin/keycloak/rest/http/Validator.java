package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a parsed body against a route's {@link Field}s with Django REST framework's rules and messages, so that
 * apps see the validation errors their original backend sent.
 */
public final class Validator {

    private static final Set<String> TRUE_VALUES = Set.of("t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True",
            "TRUE", "on", "On", "ON", "1");
    private static final Set<String> FALSE_VALUES = Set.of("f", "F", "n", "N", "no", "No", "NO", "false", "False",
            "FALSE", "off", "Off", "OFF", "0");

    // Django's EmailValidator (ASCII part): dot-atom local part, hostname labels, a TLD of letters/digits/hyphens.
    private static final Pattern EMAIL_USER = Pattern.compile(
            "^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern EMAIL_DOMAIN = Pattern.compile(
            "^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\\.)+)(?:[A-Z0-9-]{2,63}(?<!-))$", Pattern.CASE_INSENSITIVE);

    public static final String REQUIRED = "This field is required.";
    public static final String NOT_NULL = "This field may not be null.";
    public static final String NOT_BLANK = "This field may not be blank.";
    public static final String NOT_A_STRING = "Not a valid string.";
    public static final String NOT_A_BOOLEAN = "Must be a valid boolean.";
    public static final String INVALID_EMAIL = "Enter a valid email address.";
    public static final String NULL_CHARACTERS = "Null characters are not allowed.";

    private Validator() {
    }

    /**
     * @param form whether the body came as a form (a missing boolean then means {@code false}, as for HTML checkboxes)
     */
    public static Input validate(JsonNode body, List<Field> fields, boolean form) throws ApiError {
        if (body == null || body.isNull()) {
            throw ApiError.nonField("No data provided");
        }
        if (!body.isObject()) {
            throw ApiError.nonField("Invalid data. Expected a dictionary, but got " + pythonType(body) + ".");
        }
        if (fields.isEmpty()) {
            return Input.EMPTY;
        }
        Map<String, Object> values = new HashMap<>();
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Field field : fields) {
            JsonNode node = body.get(field.name());
            try {
                if (node == null) {
                    if (field.kind() == Field.Kind.BOOLEAN && form) {
                        values.put(field.name(), Boolean.FALSE);
                    } else if (field.required()) {
                        throw new Invalid(REQUIRED);
                    }
                    continue;
                }
                values.put(field.name(), coerce(field, node));
            } catch (Invalid e) {
                errors.put(field.name(), List.of(e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.fields(errors);
        }
        return new Input(values);
    }

    private static Object coerce(Field field, JsonNode node) throws Invalid {
        if (node.isNull()) {
            if (field.allowNull()) {
                return null;
            }
            throw new Invalid(NOT_NULL);
        }
        if (field.kind() == Field.Kind.BOOLEAN) {
            return toBoolean(node);
        }
        Object codeNumber = null;
        String text;
        if (node.isTextual()) {
            text = node.textValue();
        } else if (node.isNumber()) {
            text = node.asText();
            if (field.kind() == Field.Kind.CODE && node.isIntegralNumber()) {
                codeNumber = node.bigIntegerValue();
            }
        } else {
            throw new Invalid(NOT_A_STRING);
        }
        if (text.indexOf('\0') >= 0) {
            throw new Invalid(NULL_CHARACTERS);
        }
        int surrogate = loneSurrogate(text);
        if (surrogate >= 0) {
            throw new Invalid(String.format("Surrogate characters are not allowed: U+%X.", surrogate));
        }
        if (field.kind() != Field.Kind.PASSWORD) {
            text = text.strip();
        }
        if (text.isEmpty()) {
            if (field.allowBlank()) {
                return "";
            }
            throw new Invalid(NOT_BLANK);
        }
        if (text.codePointCount(0, text.length()) > field.maxLength()) {
            throw new Invalid("Ensure this field has no more than " + field.maxLength() + " characters.");
        }
        if (field.kind() == Field.Kind.EMAIL && !isValidEmail(text)) {
            throw new Invalid(INVALID_EMAIL);
        }
        return codeNumber != null ? codeNumber : text;
    }

    private static Boolean toBoolean(JsonNode node) throws Invalid {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (node.bigIntegerValue().equals(java.math.BigInteger.ONE)) {
                return true;
            }
            if (node.bigIntegerValue().signum() == 0) {
                return false;
            }
        }
        if (node.isTextual()) {
            String text = node.textValue().strip();
            if (TRUE_VALUES.contains(text)) {
                return true;
            }
            if (FALSE_VALUES.contains(text)) {
                return false;
            }
        }
        throw new Invalid(NOT_A_BOOLEAN);
    }

    /** Longest local part an SMTP server must accept (RFC 5321 §4.5.3.1.1). */
    public static final int EMAIL_LOCAL_PART_MAX = 64;
    /** Longest address that fits an SMTP forward path of 256 octets with its angle brackets (RFC 5321, RFC 3696 errata). */
    public static final int EMAIL_MAX = 254;

    /**
     * Django's EmailValidator, ASCII addresses only, and what SMTP servers will take: a local part of at most 64
     * characters and at most 254 in all. Beyond the seeds (Django accepts 320): an address the mail server refuses
     * fails the request after its other messages (an SMS) went out, and such a request could be repeated for free.
     */
    public static boolean isValidEmail(String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1 || value.length() > EMAIL_MAX || at > EMAIL_LOCAL_PART_MAX) {
            return false;
        }
        String user = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (!EMAIL_USER.matcher(user).matches()) {
            return false;
        }
        return EMAIL_DOMAIN.matcher(domain).matches() || domain.equalsIgnoreCase("localhost");
    }

    /** The code point of the first unpaired surrogate, or -1. */
    private static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return c;
            }
            if (Character.isLowSurrogate(c)) {
                return c;
            }
        }
        return -1;
    }

    private static String pythonType(JsonNode node) {
        if (node.isArray()) {
            return "list";
        }
        if (node.isTextual()) {
            return "str";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isIntegralNumber()) {
            return "int";
        }
        if (node.isNumber()) {
            return "float";
        }
        return "NoneType";
    }

    /** A field's validation failure, collected per field. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
