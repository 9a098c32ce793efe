package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code http} SMS sender inside a real Keycloak against a gateway on loopback ({@link FakeSmsGateway}),
 * driven by the {@code phone-otp} dialect: the JSON contract, the bearer secret (plain or from the vault), and
 * every kind of refusal.
 */
@KeycloakRealm("realms/delivery.json")
class HttpSmsGatewayIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String VERIFY = "/phone-otp/auth/api/verify/";
    static final String UNAVAILABLE = "{\"error\":\"Service temporarily unavailable, try again later\"}";
    static final String SECRET = "gw-7a9c1e5f0b3d";

    static FakeSmsGateway gateway;

    final TestRealm realm;

    HttpSmsGatewayIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void pointTheRealmAtTheGateway(TestRealm realm, KeycloakServer server) {
        gateway = new FakeSmsGateway();
        realm.admin().updateRealmAttributes(Map.of(
                "dropin.sms.sender", "http",
                "dropin.sms.http.url", server.hostUrl(gateway.port()) + FakeSmsGateway.PATH,
                "dropin.sms.http.secret", SECRET,
                "dropin.sms.http.connectTimeout", "1000",
                "dropin.sms.http.readTimeout", "1500"));
    }

    @AfterAll
    static void stopTheGateway(KeycloakServer server) {
        gateway.close();
        assertThat(server.log().count(java.util.regex.Pattern.compile(SECRET))).as("secret in the log").isZero();
    }

    Response register(String phone) {
        return given().contentType(ContentType.JSON).body(Map.of("phonenumber", phone)).post(realm.realmUrl() + REGISTER);
    }

    JsonNode registerError(String phone) {
        return realm.admin().events("REGISTER_ERROR").stream()
                .filter(e -> phone.equals(e.path("details").path("username").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no REGISTER_ERROR for " + phone));
    }

    @Test
    void postsTheDocumentedJsonWithTheBearerSecret() {
        String phone = Phones.next();
        Response response = register(phone);
        response.then().statusCode(200);

        assertThat(gateway.requestsTo(phone)).hasSize(1);
        FakeSmsGateway.Request request = gateway.requestsTo(phone).get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(FakeSmsGateway.PATH);
        assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(request.authorization()).isEqualTo("Bearer " + SECRET);
        JsonNode body = request.json();
        assertThat(body.fieldNames()).toIterable().containsExactly("to", "text", "realm", "purpose");
        assertThat(body.path("to").asText()).isEqualTo(phone);
        assertThat(body.path("realm").asText()).isEqualTo(realm.name());
        assertThat(body.path("purpose").asText()).isEqualTo("registration");
        assertThat(body.path("text").asText()).startsWith("Acme Delivery: your verification code is ");

        String code = SmsInbox.codeIn(body.path("text").asText().replace("Acme Delivery", ""));
        given().contentType(ContentType.JSON)
                .body(Map.of("code", code, "token", response.path("token"), "phone", phone))
                .post(realm.realmUrl() + VERIFY).then().statusCode(200);
    }

    @Test
    void theSecretMayComeFromTheVaultAndMayBeLeftOut(KeycloakServer server) {
        server.putVaultSecret(realm.name(), "gatewaysecret", "from-the-vault");
        String vaulted = Phones.next();
        Delivery.withAttributes(realm, Map.of("dropin.sms.http.secret", "${vault.gatewaysecret}"),
                () -> register(vaulted).then().statusCode(200));
        assertThat(gateway.requestsTo(vaulted).get(0).authorization()).isEqualTo("Bearer from-the-vault");

        String open = Phones.next();
        Delivery.withAttributes(realm, Map.of("dropin.sms.http.secret", ""), () -> register(open).then().statusCode(200));
        assertThat(gateway.requestsTo(open).get(0).authorization()).isNull();
    }

    @Test
    void aRecipientTheGatewayRefusesWith422IsAnInvalidNumber() {
        String phone = Phones.next();
        gateway.on(phone, 422);

        register(phone).then().statusCode(400).body(equalTo("{\"error\":\"Invalid phone number\"}"));

        assertThat(realm.admin().userByUsername(phone)).isEmpty();
        JsonNode event = registerError(phone);
        assertThat(event.path("error").asText()).isEqualTo("invalid_recipient");
        assertThat(event.path("details").path("reason").asText())
                .isEqualTo("INVALID_RECIPIENT: http gateway answered HTTP 422: recipient refused");
        gateway.on(phone, 200);
        register(phone).then().statusCode(200);
    }

    @ParameterizedTest(name = "HTTP {0} -> 503 {1}")
    @CsvSource({
            "401, MISCONFIGURED: http gateway answered HTTP 401: credentials refused; check realm attribute dropin.sms.http.secret or option --spi-sms-sender--http--secret",
            "404, MISCONFIGURED: http gateway answered HTTP 404; check realm attribute dropin.sms.http.url or option --spi-sms-sender--http--url",
            "302, MISCONFIGURED: http gateway answered HTTP 302; check realm attribute dropin.sms.http.url or option --spi-sms-sender--http--url",
            "429, PROVIDER_RATE_LIMITED: http gateway answered HTTP 429",
            "500, UNAVAILABLE: http gateway answered HTTP 500",
            "503, UNAVAILABLE: http gateway answered HTTP 503",
    })
    void everyOtherRefusalIs503WithTheReasonInTheEvent(int status, String reason) {
        String phone = Phones.next();
        gateway.on(phone, status);

        register(phone).then().statusCode(503).body(equalTo(UNAVAILABLE));

        assertThat(gateway.requestsTo(phone)).as("sent once; redirects not followed").hasSize(1);
        assertThat(realm.admin().userByUsername(phone)).isEmpty();
        assertThat(registerError(phone).path("details").path("reason").asText()).isEqualTo(reason);
        gateway.on(phone, 204);
        register(phone).then().statusCode(200);
    }

    @Test
    void aGatewayThatDoesNotAnswerIsCutOffAtTheTimeout() {
        String phone = Phones.next();
        gateway.on(phone, FakeSmsGateway.HANG);

        register(phone).then().statusCode(503).body(equalTo(UNAVAILABLE));

        assertThat(gateway.isHanging(phone)).as("Keycloak gave up first").isTrue();
        assertThat(registerError(phone).path("details").path("reason").asText())
                .isEqualTo("UNAVAILABLE: http gateway: no answer within 2500 ms");
        assertThat(realm.admin().userByUsername(phone)).isEmpty();
    }
}
