package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MultivaluedMap;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request bodies the way the original frameworks' parsers do.
 * <p>
 * Django REST framework ({@link Accepts#JSON_OR_FORM}): the parser is chosen by matching the {@code Content-Type}
 * against JSON, form-encoded and multipart in that order (wildcard types included); an empty body is an empty
 * form whatever its type; a body without a content type, or of a type no parser takes, is 415. JSON is decoded with
 * the {@code charset} parameter (UTF-8 by default) and checked by {@link PythonJson}, so that malformed JSON gets
 * Python's decoder message and position. Flask ({@link Accepts#JSON_ONLY}): {@code request.is_json} types only,
 * decoded as {@code json.loads} detects the encoding.
 * <p>
 * Bodies over {@value #MAX_BYTES} bytes are refused with 413 before they are parsed.
 */
public final class BodyReader {

    public static final int MAX_BYTES = 64 * 1024;

    public static final String JSON_TYPE = "application/json";
    public static final String FORM_TYPE = "application/x-www-form-urlencoded";
    public static final String MULTIPART_TYPE = "multipart/form-data";
    /** DRF's default parsers, in the order it tries them. */
    private static final List<String> DRF_PARSERS = List.of(JSON_TYPE, FORM_TYPE, MULTIPART_TYPE);

    /** Python reads integers of up to 4300 digits and floats of any length; Jackson's defaults stop at 1000. */
    private static final ObjectReader JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(MAX_BYTES).maxNestingDepth(PythonJson.MAX_DEPTH + 1).build())
            .build()).reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private BodyReader() {
    }

    /** What the dialect accepts. */
    public enum Accepts {
        /** DRF's default parsers: JSON, {@code application/x-www-form-urlencoded} and {@code multipart/form-data}. */
        JSON_OR_FORM,
        /** JSON only (Flask's {@code request.is_json}); the dialect answers anything else with its own error. */
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
     * @throws ApiError 415 for unsupported media types, 400 for malformed bodies
     */
    static JsonNode parse(byte[] body, String contentType, Accepts accepts, ErrorStyle style) throws ApiError {
        ContentType type = ContentType.parse(contentType);
        if (accepts == Accepts.JSON_ONLY) {
            if (type == null || !type.isFlaskJson()) {
                String shown = printable(contentType == null ? "" : contentType);
                throw ApiError.of(s -> s.unsupportedMediaType(shown));
            }
            return json(decodeDetected(body));
        }
        if (body.length == 0) {
            // DRF reads no stream when there is no body: an empty form, whatever the content type says.
            return JsonNodeFactory.instance.objectNode();
        }
        String parser = type == null ? null : DRF_PARSERS.stream().filter(type::matches).findFirst().orElse(null);
        if (parser == null) {
            String shown = printable(contentType == null ? "" : contentType);
            throw ApiError.of(s -> s.unsupportedMediaType(shown));
        }
        Charset charset = type.charset();
        return switch (parser) {
            case JSON_TYPE -> json(decode(body, charset));
            case FORM_TYPE -> parseForm(new String(body, charset));
            default -> Multipart.parse(body, contentType, charset);
        };
    }

    /** Whether DRF reads this content type as an HTML form (where a missing checkbox means {@code false}). */
    static boolean isForm(String contentType) {
        ContentType type = ContentType.parse(contentType);
        return type != null && (type.matches(FORM_TYPE) || type.matches(MULTIPART_TYPE)) && !type.matches(JSON_TYPE);
    }

    /** Whether the body is {@code application/x-www-form-urlencoded}, which Keycloak's HTTP layer reads first. */
    static boolean isFormEncoded(String contentType) {
        ContentType type = ContentType.parse(contentType);
        return type != null && type.type().equals("application") && type.subtype().equals("x-www-form-urlencoded");
    }

    /** Python's verdict on the text first, so that malformed JSON gets its words; then Jackson reads what it accepted. */
    private static JsonNode json(String text) throws ApiError {
        String problem = PythonJson.error(text);
        if (problem != null) {
            throw ApiError.of(s -> s.parseError(problem));
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            // Python accepted what Jackson did not (a limit of Jackson's): still the client's malformed body.
            throw ApiError.of(s -> s.parseError("Invalid JSON"));
        }
    }

    /**
     * The body as text, decoded as Django decodes it for DRF's JSONParser: with the request's charset through a
     * {@code codecs} stream reader, which refuses invalid bytes with Python's message and drops an incomplete
     * sequence at the very end.
     */
    static String decode(byte[] body, Charset charset) throws ApiError {
        if (charset.equals(StandardCharsets.UTF_8)) {
            String problem = invalidUtf8(body);
            if (problem != null) {
                throw ApiError.of(s -> s.parseError(problem));
            }
            return pythonUtf8(body);
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            String problem = "'" + charset.name().toLowerCase(Locale.ROOT) + "' codec can't decode the body";
            throw ApiError.of(s -> s.parseError(problem));
        }
    }

    /** {@code json.loads(bytes)} (Flask): the encoding detected from the first bytes, as {@code json.detect_encoding}. */
    static String decodeDetected(byte[] b) throws ApiError {
        String name;
        int skip = 0;
        if (startsWith(b, 0, 0, 0xfe, 0xff) || startsWith(b, 0xff, 0xfe, 0, 0)) {
            name = "UTF-32";
        } else if (startsWith(b, 0xfe, 0xff) || startsWith(b, 0xff, 0xfe)) {
            name = "UTF-16";
        } else if (startsWith(b, 0xef, 0xbb, 0xbf)) {
            name = "UTF-8";
            skip = 3;
        } else if (b.length >= 4 && b[0] == 0) {
            name = b[1] != 0 ? "UTF-16BE" : "UTF-32BE";
        } else if (b.length >= 4 && b[1] == 0) {
            name = b[2] != 0 || b[3] != 0 ? "UTF-16LE" : "UTF-32LE";
        } else if (b.length == 2 && b[0] == 0) {
            name = "UTF-16BE";
        } else if (b.length == 2 && b[1] == 0) {
            name = "UTF-16LE";
        } else {
            name = "UTF-8";
        }
        byte[] body = skip == 0 ? b : Arrays.copyOfRange(b, skip, b.length);
        try {
            return Charset.forName(name).newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.of(s -> s.parseError("'" + name.toLowerCase(Locale.ROOT) + "' codec can't decode the body"));
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code body} is not UTF-8, in the words of Python's decoder, or {@code null} when it is. As DRF reads the body
     * through a {@code codecs} stream reader, an incomplete sequence at the very end is not an error (it is dropped,
     * {@link #pythonUtf8}); every other invalid byte is, with the position of the bytes that cannot be decoded.
     * <p>
     * Strict on purpose: Jackson would decode some invalid UTF-8, overlong forms in particular ({@code C0 AF} as
     * {@code /}), so a value could pass the checks of a proxy that reads the bytes and mean something else here.
     */
    static String invalidUtf8(byte[] body) {
        int i = 0;
        while (i < body.length) {
            int lead = body[i] & 0xff;
            int need = utf8Length(lead);
            if (need == 0) {
                return utf8Error(body, i, i, "invalid start byte");
            }
            for (int k = 1; k < need; k++) {
                if (i + k >= body.length) {
                    return null;
                }
                if (!utf8Continues(lead, k, body[i + k] & 0xff)) {
                    return utf8Error(body, i, i + k - 1, "invalid continuation byte");
                }
            }
            i += need;
        }
        return null;
    }

    /** UTF-8 as Python's stream reader decodes it: valid (see {@link #invalidUtf8}), a cut-off last character dropped. */
    static String pythonUtf8(byte[] body) {
        int end = body.length;
        for (int back = 1; back <= 3 && body.length - back >= 0; back++) {
            int lead = body[body.length - back] & 0xff;
            if (lead >= 0xc0) {
                if (utf8Length(lead) > back) {
                    end = body.length - back;
                }
                break;
            }
            if (lead < 0x80) {
                break;
            }
        }
        return new String(body, 0, end, StandardCharsets.UTF_8);
    }

    /** Bytes of the sequence a lead byte starts (1 to 4), or 0 for a byte no sequence starts with. */
    private static int utf8Length(int lead) {
        if (lead < 0x80) {
            return 1;
        }
        if (lead >= 0xc2 && lead <= 0xdf) {
            return 2;
        }
        if (lead >= 0xe0 && lead <= 0xef) {
            return 3;
        }
        return lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    }

    /** Whether {@code b} may be byte {@code k} of a sequence led by {@code lead} (no overlong forms, surrogates or beyond U+10FFFF). */
    private static boolean utf8Continues(int lead, int k, int b) {
        int low = 0x80;
        int high = 0xbf;
        if (k == 1) {
            if (lead == 0xe0) {
                low = 0xa0;
            } else if (lead == 0xed) {
                high = 0x9f;
            } else if (lead == 0xf0) {
                low = 0x90;
            } else if (lead == 0xf4) {
                high = 0x8f;
            }
        }
        return b >= low && b <= high;
    }

    private static String utf8Error(byte[] body, int start, int end, String why) {
        return start == end
                ? String.format(Locale.ROOT, "'utf-8' codec can't decode byte 0x%02x in position %d: %s", body[start] & 0xff, start, why)
                : String.format(Locale.ROOT, "'utf-8' codec can't decode bytes in position %d-%d: %s", start, end, why);
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

    /** The content type as the client sent it, safe to echo (bounded, no control characters). */
    static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        value.codePoints().limit(100).filter(c -> c >= 0x20 && c != 0x7f).forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
