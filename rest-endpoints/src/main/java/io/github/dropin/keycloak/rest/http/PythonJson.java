package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;

/**
 * The first error Python 3.11's {@code json} module finds in a document, in its words and at its position, so that a
 * dialect's parse errors read as Django REST framework's do: {@code JSON parse error - Expecting property name
 * enclosed in double quotes: line 1 column 2 (char 1)}.
 * <p>
 * A faithful replay of CPython's C scanner ({@code Modules/_json.c}: {@code scan_once_unicode},
 * {@code _parse_object_unicode}, {@code _parse_array_unicode}, {@code scanstring_unicode},
 * {@code _match_number_unicode}) and of {@code json.decoder.JSONDecoder.decode}, with DRF's strict constants
 * ({@code NaN} and {@code Infinity} refused, {@code rest_framework.utils.json.strict_constant}). Positions count code
 * points, as Python's {@code str} indices do, not UTF-16 units; lines and columns are Python's
 * ({@code JSONDecodeError}: line = newlines before the position + 1, column = distance from the last newline).
 * <p>
 * It only checks; a document it accepts is valid JSON in the strict sense and is then parsed by Jackson.
 */
public final class PythonJson {

    /** CPython's digit limit for {@code int()} from a string (3.11's {@code sys.int_info.default_max_str_digits}). */
    static final int MAX_INT_DIGITS = 4300;
    /** Nesting beyond this fails in Python with a RecursionError (its limit is 1000 frames, some taken by the app). */
    static final int MAX_DEPTH = 1000;

    /** The literals {@code scan_once_unicode} knows, by their first character. */
    private static final Map<Integer, String> LITERALS = Map.of((int) 'n', "null", (int) 't', "true", (int) 'f', "false");
    /** The constants Python's decoder knows and DRF's {@code strict_constant} refuses, by their first character. */
    private static final Map<Integer, String> STRICT_CONSTANTS = Map.of((int) 'N', "NaN", (int) 'I', "Infinity",
            (int) '-', "-Infinity");

    private final int[] s;
    private final int length;
    private int depth;

    private PythonJson(String text) {
        this.s = text.codePoints().toArray();
        this.length = s.length;
    }

    /**
     * @return {@code null} when Python's {@code json.loads} (with DRF's strict constants) accepts {@code text}, else
     * the text of the {@code ValueError} it raises, e.g. {@code Expecting value: line 1 column 1 (char 0)}
     */
    public static String error(String text) {
        PythonJson scanner = new PythonJson(text);
        try {
            scanner.decode();
            return null;
        } catch (DecodeError e) {
            return e.message + ": " + scanner.where(e.position);
        } catch (ValueProblem e) {
            return e.getMessage();
        }
    }

    /**
     * Python's {@code str()} of the value {@code json.loads} makes of {@code node} (a {@code str} as itself, inside
     * containers as its {@code repr}), as DRF puts it into messages such as {@code "<value>" is not a valid choice.}.
     */
    public static String str(JsonNode node) {
        return node.isTextual() ? node.textValue() : repr(node);
    }

    private static String repr(JsonNode node) {
        if (node.isTextual()) {
            return reprString(node.textValue());
        }
        if (node.isNull() || node.isMissingNode()) {
            return "None";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "True" : "False";
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return reprFloat(node.doubleValue());
        }
        StringBuilder text = new StringBuilder();
        if (node.isArray()) {
            text.append('[');
            for (int i = 0; i < node.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(repr(node.get(i)));
            }
            return text.append(']').toString();
        }
        text.append('{');
        boolean first = true;
        for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> entry = it.next();
            text.append(first ? "" : ", ").append(reprString(entry.getKey())).append(": ").append(repr(entry.getValue()));
            first = false;
        }
        return text.append('}').toString();
    }

    /** {@code repr(str)}: single quotes unless the text has one and no double quote; backslash escapes. */
    static String reprString(String value) {
        char quote = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder text = new StringBuilder().append(quote);
        value.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                text.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\r') {
                text.append("\\r");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                text.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                text.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", c) : String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.append(quote).toString();
    }

    /** {@code repr(float)}: the shortest round-trip digits, positional from 1e-4 to below 1e16, else {@code 1e+16}. */
    static String reprFloat(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        java.math.BigDecimal exact = new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = value < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    /** {@code json.loads} and {@code JSONDecoder.decode}: a BOM, one value between optional whitespace. */
    private void decode() {
        if (length > 0 && s[0] == 0xfeff) {
            throw new DecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        }
        int end;
        try {
            end = scanOnce(skipWhitespace(0));
        } catch (StopIteration e) {
            throw new DecodeError("Expecting value", e.position);
        }
        end = skipWhitespace(end);
        if (end != length) {
            throw new DecodeError("Extra data", end);
        }
    }

    /** {@code line L column C (char P)} as {@code JSONDecodeError} computes them. */
    private String where(int position) {
        int line = 1;
        int lastNewline = -1;
        for (int i = 0; i < position && i < length; i++) {
            if (s[i] == '\n') {
                line++;
                lastNewline = i;
            }
        }
        return String.format(Locale.ROOT, "line %d column %d (char %d)", line, position - lastNewline, position);
    }

    private int skipWhitespace(int index) {
        int i = index;
        while (i < length && isWhitespace(s[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private boolean follows(int index, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (s[index + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code scan_once_unicode}: one value at {@code idx}; returns the index after it. */
    private int scanOnce(int idx) {
        if (idx >= length) {
            throw new StopIteration(idx);
        }
        switch (s[idx]) {
            case '"':
                return scanString(idx + 1);
            case '{':
                return nested(() -> parseObject(idx + 1), "object");
            case '[':
                return nested(() -> parseArray(idx + 1), "array");
            default:
                // Not in the switch: scanOnce's frame is on the stack once per nesting level, so it stays small.
                return scanScalar(idx);
        }
    }

    /** The rest of {@code scan_once_unicode}: a literal, a refused constant, or a number at {@code idx}. */
    private int scanScalar(int idx) {
        String literal = LITERALS.get(s[idx]);
        if (literal != null && startsWith(idx, literal)) {
            return idx + literal.length();
        }
        String constant = STRICT_CONSTANTS.get(s[idx]);
        if (constant != null && startsWith(idx, constant)) {
            throw strictConstant(constant);
        }
        return matchNumber(idx);
    }

    /** Whether {@code word} stands at {@code idx}. */
    private boolean startsWith(int idx, String word) {
        return idx + word.length() <= length && follows(idx, word);
    }

    private int nested(java.util.function.IntSupplier parse, String what) {
        if (++depth > MAX_DEPTH) {
            throw new ValueProblem("maximum recursion depth exceeded while decoding a JSON " + what + " from a unicode string");
        }
        try {
            return parse.getAsInt();
        } finally {
            depth--;
        }
    }

    /** DRF's {@code strict_constant}: out-of-range floats are refused where they are met. */
    private static ValueProblem strictConstant(String name) {
        return new ValueProblem("Out of range float values are not JSON compliant: '" + name + "'");
    }

    /** {@code _parse_object_unicode}, {@code idx} just after the {@code {}. */
    private int parseObject(int start) {
        int idx = skipWhitespace(start);
        if (!at(idx, '}')) {
            while (true) {
                expect(idx, '"', "Expecting property name enclosed in double quotes");
                idx = expect(skipWhitespace(scanString(idx + 1)), ':', "Expecting ':' delimiter");
                idx = skipWhitespace(scanOnce(skipWhitespace(idx + 1)));
                if (at(idx, '}')) {
                    break;
                }
                idx = skipWhitespace(expect(idx, ',', "Expecting ',' delimiter") + 1);
            }
        }
        return idx + 1;
    }

    /** {@code _parse_array_unicode}, {@code idx} just after the {@code [}. */
    private int parseArray(int start) {
        int idx = skipWhitespace(start);
        if (!at(idx, ']')) {
            while (true) {
                idx = skipWhitespace(scanOnce(idx));
                if (at(idx, ']')) {
                    break;
                }
                idx = skipWhitespace(expect(idx, ',', "Expecting ',' delimiter") + 1);
            }
        }
        return idx + 1;
    }

    /** Whether the character at {@code idx} is {@code c} (false past the end). */
    private boolean at(int idx, char c) {
        return idx < length && s[idx] == c;
    }

    /** {@code idx}, where the scanner requires {@code c}; else the decoder's {@code message} at {@code idx}. */
    private int expect(int idx, char c, String message) {
        if (!at(idx, c)) {
            throw new DecodeError(message, idx);
        }
        return idx;
    }

    /** {@code scanstring_unicode} (strict), {@code end} just after the opening quote; returns the index after the closing one. */
    private int scanString(int start) {
        int begin = start - 1;
        int end = start;
        while (true) {
            int next = end;
            while (next < length && s[next] != '"' && s[next] != '\\') {
                if (s[next] <= 0x1f) {
                    throw new DecodeError("Invalid control character at", next);
                }
                next++;
            }
            if (next >= length) {
                throw new DecodeError("Unterminated string starting at", begin);
            }
            if (s[next] == '"') {
                return next + 1;
            }
            next++;
            if (next == length) {
                throw new DecodeError("Unterminated string starting at", begin);
            }
            int c = s[next];
            if (c != 'u') {
                end = next + 1;
                if ("\"\\/bfnrt".indexOf(c) < 0) {
                    throw new DecodeError("Invalid \\escape", end - 2);
                }
                continue;
            }
            next++;
            end = next + 4;
            if (end >= length) {
                throw new DecodeError("Invalid \\uXXXX escape", next - 1);
            }
            int unit = 0;
            for (; next < end; next++) {
                if (!isHex(s[next])) {
                    throw new DecodeError("Invalid \\uXXXX escape", end - 5);
                }
                unit = (unit << 4) | Character.digit(s[next], 16);
            }
            // A high surrogate followed by a second \\uXXXX: both escapes are read as a pair (a low surrogate) or
            // the second is read again on its own.
            if (Character.isHighSurrogate((char) unit) && end + 6 < length && s[next] == '\\' && s[next + 1] == 'u') {
                next += 2;
                end += 6;
                int low = 0;
                for (; next < end; next++) {
                    if (!isHex(s[next])) {
                        throw new DecodeError("Invalid \\uXXXX escape", end - 5);
                    }
                    low = (low << 4) | Character.digit(s[next], 16);
                }
                if (!Character.isLowSurrogate((char) low)) {
                    end -= 6;
                }
            }
        }
    }

    /** {@code _match_number_unicode}: a number at {@code start}, or "no value here" (StopIteration). */
    private int matchNumber(int start) {
        int endIdx = length - 1;
        int idx = start;
        boolean negative = s[idx] == '-';
        if (negative) {
            idx++;
            if (idx > endIdx) {
                throw new StopIteration(start);
            }
        }
        if (s[idx] >= '1' && s[idx] <= '9') {
            idx++;
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
        } else if (s[idx] == '0') {
            idx++;
        } else {
            throw new StopIteration(start);
        }
        boolean isFloat = false;
        if (idx < endIdx && s[idx] == '.' && isDigit(s[idx + 1])) {
            isFloat = true;
            idx += 2;
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
        }
        if (idx < endIdx && (s[idx] == 'e' || s[idx] == 'E')) {
            int exponentStart = idx;
            idx++;
            if (idx < endIdx && (s[idx] == '-' || s[idx] == '+')) {
                idx++;
            }
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
            if (isDigit(s[idx - 1])) {
                isFloat = true;
            } else {
                idx = exponentStart;
            }
        }
        int digits = idx - start - (negative ? 1 : 0);
        if (!isFloat && digits > MAX_INT_DIGITS) {
            throw new ValueProblem("Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string conversion: "
                    + "value has " + digits + " digits; use sys.set_int_max_str_digits() to increase the limit");
        }
        return idx;
    }

    /** {@code JSONDecodeError(msg, doc, pos)}. */
    private static final class DecodeError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String message;
        final int position;

        DecodeError(String message, int position) {
            super(message, null, false, false);
            this.message = message;
            this.position = position;
        }
    }

    /** The scanner's {@code StopIteration(idx)}: no value starts here; the caller says "Expecting value". */
    private static final class StopIteration extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int position;

        StopIteration(int position) {
            super(null, null, false, false);
            this.position = position;
        }
    }

    /** A plain {@code ValueError} (no position): strict constants, integer digit limits, nesting. */
    private static final class ValueProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ValueProblem(String message) {
            super(message, null, false, false);
        }
    }
}
