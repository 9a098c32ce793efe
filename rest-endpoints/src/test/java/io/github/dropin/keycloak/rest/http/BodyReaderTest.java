package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BodyReaderTest {

    static JsonNode parse(String body, String contentType) throws ApiError {
        return BodyReader.parse(body.getBytes(StandardCharsets.UTF_8), contentType, BodyReader.Accepts.JSON_OR_FORM, ErrorStyle.DRF);
    }

    static String failure(String body, String contentType) {
        ApiError error = catchThrowableOfType(ApiError.class, () -> parse(body, contentType));
        Response response = error.render(ErrorStyle.DRF);
        return response.getStatus() + " " + new String((byte[]) response.getEntity(), StandardCharsets.UTF_8);
    }

    @Test
    void parsesJsonWithCharsetParameter() throws ApiError {
        assertThat(parse("{\"a\":1}", "application/json; charset=utf-8").get("a").asInt()).isEqualTo(1);
        assertThat(parse("{\"a\":1}", "Application/JSON").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void formsAlreadyDecodedByTheHttpLayerRoundTrip() throws ApiError {
        jakarta.ws.rs.core.MultivaluedMap<String, String> decoded = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        decoded.add("email", "a+b@example.test");
        decoded.add("note", "x&y=z é");
        decoded.add("a", "1");
        decoded.add("a", "2");
        JsonNode form = parse(new String(BodyReader.encodeForm(decoded), StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
        assertThat(form.get("email").asText()).isEqualTo("a+b@example.test");
        assertThat(form.get("note").asText()).isEqualTo("x&y=z é");
        assertThat(form.get("a").asText()).as("the last value wins, as in Django").isEqualTo("2");
        assertThat(BodyReader.encodeForm(new jakarta.ws.rs.core.MultivaluedHashMap<>())).isEmpty();
    }

    @Test
    void parsesFormsLikeDjango() throws ApiError {
        JsonNode form = parse("a=1&b=x%20y&a=2&c&d=%zz&e=%C3%A9", "application/x-www-form-urlencoded");
        assertThat(form.get("a").asText()).isEqualTo("2");
        assertThat(form.get("b").asText()).isEqualTo("x y");
        assertThat(form.get("c").asText()).isEmpty();
        assertThat(form.get("d").asText()).isEqualTo("%zz");
        assertThat(form.get("e").asText()).isEqualTo("é");
    }

    @Test
    void aBodyWithoutContentTypeIs415AsInDrfButNoBodyIsAnEmptyForm() throws ApiError {
        assertThat(failure("{\"a\":1}", null)).isEqualTo("415 {\"detail\":\"Unsupported media type \\\"\\\" in request.\"}");
        assertThat(failure("{\"a\":1}", " ")).isEqualTo("415 {\"detail\":\"Unsupported media type \\\" \\\" in request.\"}");
        assertThat(parse("", null).isEmpty()).isTrue();
        assertThat(parse("", "text/plain").isEmpty()).as("DRF reads no stream without a body, whatever the type").isTrue();
    }

    @Test
    void wildcardTypesPickTheFirstParserThatMatchesAsDrfDoes() throws ApiError {
        assertThat(parse("{\"a\":1}", "*/*").get("a").asInt()).isEqualTo(1);
        assertThat(parse("{\"a\":1}", "application/*").get("a").asInt()).isEqualTo(1);
        assertThat(BodyReader.isForm("*/*")).isFalse();
        assertThat(BodyReader.isForm("multipart/form-data; boundary=x")).isTrue();
        assertThat(BodyReader.isForm("application/x-www-form-urlencoded")).isTrue();
    }

    @Test
    void multipartFieldsAsDjangoReadsThem() throws ApiError {
        String body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n"
                + "--XyZ\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n\r\n\u0089PNG\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\nkept as text\r\n"
                + "--XyZ\r\nContent-Type: text/plain\r\n\r\nno name: skipped\r\n"
                + "--XyZ--\r\nepilogue";
        JsonNode form = parse(body, "multipart/form-data; boundary=\"XyZ\"");
        assertThat(form.get("username").asText()).isEqualTo("alice");
        assertThat(form.get("note").asText()).isEqualTo("line 1\r\nline 2");
        assertThat(form.get("a").asText()).as("the last value wins, as in a QueryDict").isEqualTo("2");
        assertThat(form.get("avatar").isObject()).as("a file is no string").isTrue();
        assertThat(form.get("empty").asText()).isEqualTo("kept as text");
        assertThat(form.size()).isEqualTo(5);
    }

    @Test
    void multipartWithoutAValidBoundaryIsDjangosParseError() {
        assertThat(failure("--x\r\n", "multipart/form-data")).isEqualTo(
                "400 {\"detail\":\"Multipart form parse error - Invalid boundary in multipart: None\"}");
        assertThat(failure("--x\r\n", "Multipart/Form-Data; boundary=x")).isEqualTo(
                "400 {\"detail\":\"Multipart form parse error - Invalid Content-Type: Multipart/Form-Data; boundary=x\"}");
    }

    @Test
    void malformedJsonAndUnknownTypesAreClientErrors() {
        assertThat(failure("{\"a\":", "application/json")).startsWith("400 {\"detail\":\"JSON parse error - ");
        assertThat(failure("{\"a\":1} x", "application/json")).startsWith("400 {\"detail\":\"JSON parse error - ");
        assertThat(failure("a", "text/plain")).isEqualTo("415 {\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
        assertThat(failure("a", "text/plain\u0001\u0002")).isEqualTo("415 {\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
    }

    /**
     * Found by BadInputIT: Jackson decoded the overlong C0 AF as "/" and the request went through. Expected texts are
     * DRF's JSONParser's on Debian's Python 3.11 (Django's codecs stream reader, then json).
     */
    @Test
    void invalidUtf8IsAParseErrorInPythonsWordsEvenWhereJacksonWouldDecodeIt() {
        assertThat(failure(bytes('{', '"', 'a', '"', ':', '"', 0xc0, 0xaf, 'x', '"', '}'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xc0 in position 6: invalid start byte\"}");
        assertThat(failure(bytes('"', 0xed, 0xa0, 0x80, '"'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte\"}");
        assertThat(failure(bytes('"', 0xe2, 0x82, '"'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode bytes in position 1-2: invalid continuation byte\"}");
        assertThat(failure(bytes('"', 0xf0, 0x9f, 0x98, '"'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode bytes in position 1-3: invalid continuation byte\"}");
        assertThat(failure(bytes('"', 0xf4, 0x90, 0x80, 0x80, '"'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xf4 in position 1: invalid continuation byte\"}");
        assertThat(failure(bytes('{', '"', 'a', '"', ':', ' ', '"', 0xff, 0xfe, '"', '}'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xff in position 7: invalid start byte\"}");
        assertThat(BodyReader.invalidUtf8("{\"a\":\"\u00e9\ud83d\ude00\ufeff\"}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void aCutOffLastCharacterIsDroppedAsPythonsStreamReaderDoes() {
        assertThat(failure(bytes('"', 0xe2, 0x82))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - Unterminated string starting at: line 1 column 1 (char 0)\"}");
        assertThat(failure(bytes(0xe2, 0x82))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - Expecting value: line 1 column 1 (char 0)\"}");
    }

    @Test
    void theCharsetParameterDecidesTheEncodingAsInDjango() throws ApiError {
        assertThat(failure(bytes(0xef, 0xbb, 0xbf, '{', '}'))).isEqualTo(
                "400 {\"detail\":\"JSON parse error - Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)\"}");
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        assertThat(failure(utf16)).as("UTF-16 read as UTF-8").isEqualTo(
                "400 {\"detail\":\"JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\"}");
        assertThat(BodyReader.parse(utf16, "application/json; charset=utf-16le", BodyReader.Accepts.JSON_OR_FORM, ErrorStyle.DRF)
                .get("a").asInt()).isEqualTo(1);
        assertThat(BodyReader.parse("{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), "application/json; charset=latin1",
                BodyReader.Accepts.JSON_OR_FORM, ErrorStyle.DRF).get("a").asText()).isEqualTo("\u00e9");
    }

    @Test
    void flaskTakesJsonTypesAndDetectsTheEncoding() throws ApiError {
        assertThat(BodyReader.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE), "application/vnd.api+json",
                BodyReader.Accepts.JSON_ONLY, ErrorStyle.DRF).get("a").asInt()).isEqualTo(1);
        ApiError notJson = catchThrowableOfType(ApiError.class, () -> BodyReader.parse(new byte[]{'{', '}'}, "text/json",
                BodyReader.Accepts.JSON_ONLY, ErrorStyle.DRF));
        assertThat(notJson.render(ErrorStyle.DRF).getStatus()).isEqualTo(415);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static String failure(byte[] body) {
        ApiError error = catchThrowableOfType(ApiError.class,
                () -> BodyReader.parse(body, "application/json", BodyReader.Accepts.JSON_OR_FORM, ErrorStyle.DRF));
        Response response = error.render(ErrorStyle.DRF);
        return response.getStatus() + " " + new String((byte[]) response.getEntity(), StandardCharsets.UTF_8);
    }

    @Test
    void emptyJsonBodyIsAnEmptyObjectForDrf() throws ApiError {
        assertThat(parse("", "application/json").isObject()).isTrue();
    }

    @Test
    void bodiesOverTheLimitAre413() {
        byte[] big = new byte[BodyReader.MAX_BYTES + 1];
        ApiError error = catchThrowableOfType(ApiError.class,
                () -> BodyReader.readLimited(new ByteArrayInputStream(big), ErrorStyle.DRF));
        assertThat(error.render(ErrorStyle.DRF).getStatus()).isEqualTo(413);
    }

    @Test
    void bodiesAtTheLimitAreRead() throws ApiError {
        byte[] exact = new byte[BodyReader.MAX_BYTES];
        assertThat(BodyReader.readLimited(new ByteArrayInputStream(exact), ErrorStyle.DRF)).hasSize(BodyReader.MAX_BYTES);
    }
}
