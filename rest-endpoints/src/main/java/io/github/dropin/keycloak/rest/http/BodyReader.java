package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MultivaluedMap;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request bodies the way Django REST framework's parsers do: JSON, and form-encoded where the dialect
 * allows it; a missing content type means an empty body; anything else is 415. Bodies over
 * {@value #MAX_BYTES} bytes are refused with 413 before they are parsed.
 */
public final class BodyReader {

    public static final int MAX_BYTES = 64 * 1024;

    private static final ObjectReader JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private BodyReader() {
    }

    /** What the dialect accepts. */
    public enum Accepts {
        /** JSON and {@code application/x-www-form-urlencoded} (DRF parsers). */
        JSON_OR_FORM,
        /** JSON only; the dialect answers anything else with its own error. */
        JSON_ONLY
    }

    /** The body's bytes, at most {@link #MAX_BYTES}. */
    static byte[] readLimited(InputStream in, ErrorStyle style) throws ApiError {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw ApiError.of(s -> s.tooLarge(MAX_BYTES));
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.of(s -> s.parseError("could not read the request body"));
        }
    }

    /**
     * @return the parsed body: an object for forms and empty bodies, any JSON value for JSON
     * @throws ApiError 415 for unsupported media types, 400 for malformed JSON
     */
    static JsonNode parse(byte[] body, String contentType, Accepts accepts, ErrorStyle style) throws ApiError {
        String mediaType = mediaType(contentType);
        if (mediaType == null) {
            if (accepts == Accepts.JSON_ONLY) {
                throw ApiError.of(s -> s.unsupportedMediaType(""));
            }
            return JsonNodeFactory.instance.objectNode();
        }
        if (mediaType.equals("application/json")) {
            if (body.length == 0) {
                if (accepts == Accepts.JSON_ONLY) {
                    throw ApiError.of(s -> s.parseError("Expecting value: line 1 column 1 (char 0)"));
                }
                return JsonNodeFactory.instance.objectNode();
            }
            String undecodable = invalidUtf8(body);
            if (undecodable != null) {
                throw ApiError.of(s -> s.parseError(undecodable));
            }
            try {
                JsonNode node = JSON.readTree(body);
                if (node == null || node.isMissingNode()) {
                    throw ApiError.of(s -> s.parseError("Expecting value: line 1 column 1 (char 0)"));
                }
                return node;
            } catch (JsonParseException e) {
                String where = location(e.getLocation());
                throw ApiError.of(s -> s.parseError("Invalid JSON" + where));
            } catch (JsonProcessingException e) {
                throw ApiError.of(s -> s.parseError("Invalid JSON" + location(e.getLocation())));
            } catch (IOException e) {
                throw ApiError.of(s -> s.parseError("Invalid JSON"));
            }
        }
        if (accepts == Accepts.JSON_OR_FORM && mediaType.equals("application/x-www-form-urlencoded")) {
            return parseForm(new String(body, StandardCharsets.UTF_8));
        }
        String shown = printable(contentType);
        throw ApiError.of(s -> s.unsupportedMediaType(shown));
    }

    /**
     * Why {@code body} is not UTF-8, in Python's words, or {@code null} when it is (or is UTF-16/32, which Jackson
     * detects from a byte-order mark or the zero bytes around the first ASCII character, RFC 4627 §3).
     * <p>
     * Jackson decodes some invalid UTF-8 rather than refusing it, overlong forms in particular ({@code C0 AF} becomes
     * {@code /}), so a value could pass the checks of a proxy that reads the bytes and mean something else here. A
     * Django backend decodes strictly and answers 400; so does the dispatcher.
     */
    static String invalidUtf8(byte[] body) {
        if (body.length >= 2 && (body[0] == 0 || body[1] == 0
                || (body[0] == (byte) 0xfe && body[1] == (byte) 0xff) || (body[0] == (byte) 0xff && body[1] == (byte) 0xfe))) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(body.length), true);
        if (!result.isError()) {
            return null;
        }
        int position = in.position();
        int lead = body[position] & 0xff;
        String why;
        if (lead < 0xc2 || lead > 0xf4) {
            why = "invalid start byte";
        } else if (position + result.length() >= body.length) {
            why = "unexpected end of data";
        } else {
            why = "invalid continuation byte";
        }
        return String.format(Locale.ROOT, "'utf-8' codec can't decode byte 0x%02x in position %d: %s", lead, position, why);
    }

    /** The lower-cased type/subtype without parameters, or {@code null} when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /** {@code a=1&b=2}: the last value of a repeated key wins, as in Django's QueryDict. Undecodable parts stay raw. */
    static ObjectNode parseForm(String text) {
        ObjectNode form = JsonNodeFactory.instance.objectNode();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            form.put(key, value);
        }
        return form;
    }

    /**
     * Form parameters already decoded by the HTTP layer, encoded back into a body for {@link #parseForm} (so that
     * size limits and parsing are the same whoever read the body first). Each key's last value is kept.
     */
    static byte[] encodeForm(MultivaluedMap<String, String> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return new byte[0];
        }
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            List<String> values = entry.getValue();
            String value = values == null || values.isEmpty() ? "" : values.get(values.size() - 1);
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8));
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return part;
        }
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return ": line " + location.getLineNr() + " column " + location.getColumnNr()
                + " (char " + Math.max(0, location.getCharOffset()) + ")";
    }

    /** The content type as the client sent it, safe to echo (bounded, no control characters). */
    static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        value.codePoints().limit(100).filter(c -> c >= 0x20 && c != 0x7f).forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
