package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.http.FormPartValue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code multipart/form-data} bodies as Django's {@code MultiPartParser} reads them for DRF (browser {@code FormData},
 * many mobile HTTP libraries): each part with a {@code Content-Disposition} name is a field, decoded with the
 * request's charset (undecodable bytes replaced); a part with a non-empty {@code filename} is an uploaded file, which
 * no seed's field takes (it reaches the field as a non-string, which a string field refuses); repeated names keep
 * their last value, as a {@code QueryDict} lookup does. Parts without a header block or without a name are skipped.
 */
final class Multipart {

    /** Python's {@code cgi.valid_boundary}. */
    private static final Pattern VALID_BOUNDARY = Pattern.compile("^[ -~]{0,200}[!-~]$");
    /** Django reads a part's headers from its first 1024 bytes. */
    private static final int MAX_HEADER_SIZE = 1024;

    private Multipart() {
    }

    /**
     * @param contentType the request's {@code Content-Type} as sent (Django checks its raw {@code multipart/} prefix)
     * @throws ApiError 400 {@code Multipart form parse error - ...} where Django's parser fails
     */
    static ObjectNode parse(byte[] body, String contentType, Charset charset) throws ApiError {
        if (!contentType.startsWith("multipart/")) {
            throw error("Invalid Content-Type: " + BodyReader.printable(contentType));
        }
        ContentType type = ContentType.parse(contentType);
        String boundary = type.params().get("boundary");
        if (boundary == null || boundary.isEmpty() || !VALID_BOUNDARY.matcher(boundary).matches()) {
            throw error("Invalid boundary in multipart: " + (boundary == null ? "None" : BodyReader.printable(boundary)));
        }
        byte[] separator = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        int at = indexOf(body, separator, 0);
        while (at >= 0) {
            int partStart = at + separator.length;
            int next = indexOf(body, separator, partStart);
            int partEnd = next < 0 ? body.length : backOverLineBreak(body, partStart, next);
            field(body, partStart, partEnd, charset, fields);
            at = next;
        }
        return fields;
    }

    /**
     * The fields Keycloak's HTTP layer already parsed from a multipart body (it does for POST, PUT and PATCH, leaving
     * the stream empty), with the same rules: the last value of a name, an uploaded file as a non-string.
     */
    static ObjectNode fields(MultivaluedMap<String, FormPartValue> parts) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (parts == null) {
            return fields;
        }
        for (Map.Entry<String, List<FormPartValue>> part : parts.entrySet()) {
            List<FormPartValue> values = part.getValue();
            if (values == null || values.isEmpty()) {
                continue;
            }
            FormPartValue last = values.get(values.size() - 1);
            String text;
            try {
                text = last.asString();
            } catch (RuntimeException file) {
                // Keycloak's FormPartValue refuses asString() for an uploaded file.
                fields.putObject(part.getKey()).put("filename", "");
                continue;
            }
            fields.put(part.getKey(), text == null ? "" : text);
        }
        return fields;
    }

    /** One part: headers up to the first blank line (CRLF CRLF), then the content. */
    private static void field(byte[] body, int start, int end, Charset charset, ObjectNode fields) throws ApiError {
        int headerEnd = indexOf(body, new byte[]{'\r', '\n', '\r', '\n'}, start);
        if (headerEnd < 0 || headerEnd >= end || headerEnd - start > MAX_HEADER_SIZE) {
            return;
        }
        String name = null;
        String filename = null;
        String transferEncoding = null;
        String headers = new String(body, start, headerEnd - start, StandardCharsets.ISO_8859_1);
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            ContentType value = ContentType.parse("x" + line.substring(colon + 1));
            if (header.equals("content-disposition") && value != null) {
                Map<String, String> params = value.params();
                name = params.get("name");
                filename = params.get("filename");
            } else if (header.equals("content-transfer-encoding")) {
                transferEncoding = line.substring(colon + 1).strip();
            }
        }
        if (name == null) {
            return;
        }
        name = new String(name.strip().getBytes(StandardCharsets.ISO_8859_1), charset);
        byte[] content = java.util.Arrays.copyOfRange(body, headerEnd + 4, end);
        if (filename != null && !filename.isEmpty()) {
            fields.putObject(name).put("filename", new String(filename.getBytes(StandardCharsets.ISO_8859_1), charset));
            return;
        }
        if ("base64".equals(transferEncoding)) {
            try {
                content = Base64.getMimeDecoder().decode(content);
            } catch (IllegalArgumentException notBase64) {
                // Django keeps the raw data.
            }
        }
        fields.put(name, new String(content, charset));
    }

    /** Django's {@code _find_boundary}: the part ends before one {@code \n} and then one {@code \r}. */
    private static int backOverLineBreak(byte[] body, int start, int end) {
        int e = end;
        if (e > start && body[e - 1] == '\n') {
            e--;
        }
        if (e > start && body[e - 1] == '\r') {
            e--;
        }
        return e;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static ApiError error(String problem) {
        return ApiError.detail(400, "Multipart form parse error - " + problem);
    }
}
