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
    void missingContentTypeMeansEmptyBody() throws ApiError {
        assertThat(parse("{\"a\":1}", null).isEmpty()).isTrue();
    }

    @Test
    void malformedJsonAndUnknownTypesAreClientErrors() {
        assertThat(failure("{\"a\":", "application/json")).startsWith("400 {\"detail\":\"JSON parse error - ");
        assertThat(failure("{\"a\":1} x", "application/json")).startsWith("400 {\"detail\":\"JSON parse error - ");
        assertThat(failure("a", "text/plain")).isEqualTo("415 {\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
        assertThat(failure("a", "text/plain\u0001\u0002")).isEqualTo("415 {\"detail\":\"Unsupported media type \\\"text/plain\\\" in request.\"}");
    }

    /** Found by BadInputIT: Jackson decoded the overlong C0 AF as "/" and the request went through. */
    @Test
    void invalidUtf8IsAParseErrorAsInPythonEvenWhereJacksonWouldDecodeIt() {
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, 'x', '"', '}'};
        assertThat(failure(overlong)).isEqualTo("400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xc0 "
                + "in position 6: invalid start byte\"}");
        byte[] surrogate = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThat(failure(surrogate)).isEqualTo("400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xed "
                + "in position 1: invalid continuation byte\"}");
        byte[] truncated = {'"', (byte) 0xe2, (byte) 0x82};
        assertThat(failure(truncated)).isEqualTo("400 {\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xe2 "
                + "in position 1: unexpected end of data\"}");
        assertThat(BodyReader.invalidUtf8("{\"a\":\"\u00e9\ud83d\ude00\ufeff\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(BodyReader.invalidUtf8("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE))).as("UTF-16 is Jackson's to detect")
                .isNull();
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
