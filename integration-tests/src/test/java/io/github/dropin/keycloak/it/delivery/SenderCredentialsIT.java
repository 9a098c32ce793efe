package io.github.dropin.keycloak.it.delivery;

import io.github.dropin.keycloak.it.FakeTwilio;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.ServerSecrets;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What an administrator of one realm, holding only {@code manage-realm}, can do with the SMS senders' settings
 * (finding 5 of the security review): the server's credentials never go to an endpoint the realm chose, credentials
 * never travel over plain http except to loopback, realms reach only the endpoints the operator allows, and the
 * delivery test endpoint reports a category instead of the network's answer and shows no user's number or address to
 * an administrator who may not view users.
 * <p>
 * The test server has server-wide Twilio and gateway credentials ({@link ServerSecrets}) and allows realms the
 * loopback fakes and one https-only host ({@code ServerOptions}).
 */
@KeycloakRealm("realms/delivery.json")
class SenderCredentialsIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String UNAVAILABLE = "{\"error\":\"Service temporarily unavailable, try again later\"}";
    static final String SENDER = "+15005550006";
    /** Every attribute a test here sets; put back to unset after each test. */
    static final List<String> ATTRIBUTES = List.of("dropin.sms.sender", "dropin.sms.twilio.apiBaseUrl",
            "dropin.sms.twilio.from", "dropin.sms.twilio.accountSid", "dropin.sms.twilio.authToken",
            "dropin.sms.twilio.connectTimeout", "dropin.sms.http.url", "dropin.sms.http.secret",
            "dropin.sms.http.connectTimeout");

    static RealmAdmin realmAdmin;
    static FakeTwilio twilio;
    static FakeSmsGateway gateway;

    final TestRealm realm;
    final KeycloakServer server;

    SenderCredentialsIT(TestRealm realm, KeycloakServer server) {
        this.realm = realm;
        this.server = server;
    }

    @BeforeAll
    static void setUp(TestRealm realm) {
        realmAdmin = RealmAdmin.create(realm, "manage-realm");
        // The realm administrator's own Twilio and gateway: whatever reaches them, the administrator has.
        twilio = FakeTwilio.start();
        gateway = new FakeSmsGateway();
    }

    @AfterAll
    static void tearDown(KeycloakServer server) {
        twilio.close();
        gateway.close();
        assertThat(server.log().count(java.util.regex.Pattern.compile(ServerSecrets.TWILIO_AUTH_TOKEN + "|"
                + ServerSecrets.GATEWAY_SECRET))).as("server secrets in the log").isZero();
    }

    @AfterEach
    void unsetAttributes() {
        Map<String, String> unset = new HashMap<>();
        ATTRIBUTES.forEach(a -> unset.put(a, ""));
        realm.admin().updateRealmAttributes(unset);
    }

    Response register(String phone) {
        return given().contentType(ContentType.JSON).body(Map.of("phonenumber", phone)).post(realm.realmUrl() + REGISTER);
    }

    String registerError(String phone) {
        return realm.admin().events("REGISTER_ERROR").stream()
                .filter(e -> phone.equals(e.path("details").path("username").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no REGISTER_ERROR for " + phone))
                .path("details").path("reason").asText();
    }

    /** A user of the realm with a phone number and an email address, made by the server's administrator. */
    String user(String phone, String email) {
        return realm.admin().createUser(Map.of("username", "u-" + UUID.randomUUID(), "email", email, "enabled", true,
                "attributes", Map.of("phoneNumber", List.of(phone))));
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRealmThatPointsTwilioAtItsOwnUrlGetsNoneOfTheServersCredentials() {
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "twilio",
                "dropin.sms.twilio.apiBaseUrl", twilio.baseUrl(server),
                "dropin.sms.twilio.from", SENDER));
        String phone = Phones.next();

        Response response = register(phone);

        assertThat(twilio.requestsTo(phone)).as("requests the realm administrator's Twilio received").isEmpty();
        response.then().statusCode(503).body(equalTo(UNAVAILABLE));
        assertThat(registerError(phone)).startsWith("MISCONFIGURED: twilio sender: ")
                .contains("must bring its own credentials").contains("dropin.sms.twilio.accountSid")
                .doesNotContain(ServerSecrets.TWILIO_ACCOUNT_SID);
    }

    @Test
    void aRealmWithItsOwnTwilioUrlAndItsOwnAccountSendsThroughIt() {
        FakeTwilio.Account own = twilio.newAccount();
        own.addNumber(SENDER);
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "twilio",
                "dropin.sms.twilio.apiBaseUrl", twilio.baseUrl(server),
                "dropin.sms.twilio.accountSid", own.sid(),
                "dropin.sms.twilio.authToken", own.authToken(),
                "dropin.sms.twilio.from", SENDER));
        String phone = Phones.next();

        register(phone).then().statusCode(200);

        FakeTwilio.Request request = twilio.onlyRequestTo(phone);
        assertThat(request.status()).isEqualTo(201);
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + own.sid() + "/Messages.json");
        assertThat(request.authorization()).isEqualTo(TwilioSmsIT.basic(own.sid(), own.authToken()));
    }

    @Test
    void aRealmThatPointsTheHttpSenderAtItsOwnUrlGetsNotTheServersSecret() {
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "http",
                "dropin.sms.http.url", server.hostUrl(gateway.port()) + FakeSmsGateway.PATH));
        String phone = Phones.next();

        register(phone).then().statusCode(200);

        // The realm brought no secret of its own: the gateway gets none.
        assertThat(gateway.requestsTo(phone)).hasSize(1);
        assertThat(gateway.requestsTo(phone).get(0).authorization()).as("Authorization header the realm's gateway got")
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http", "twilio"})
    void credentialsNeverTravelOverPlainHttpToAHostThatIsNotLoopback(String sender) {
        String url = "http://" + ServerSecrets.HTTPS_ONLY_HOST + ":8080/sms/send";
        realmAdmin.setAttributes(sender.equals("http")
                ? Map.of("dropin.sms.sender", "http", "dropin.sms.http.url", url,
                "dropin.sms.http.secret", "the-realms-own-secret")
                : Map.of("dropin.sms.sender", "twilio", "dropin.sms.twilio.apiBaseUrl", url,
                "dropin.sms.twilio.accountSid", "AC0123456789abcdef0123456789abcdef",
                "dropin.sms.twilio.authToken", "0123456789abcdef0123456789abcdef",
                "dropin.sms.twilio.from", SENDER));
        String phone = Phones.next();

        register(phone).then().statusCode(503).body(equalTo(UNAVAILABLE));

        // Refused before any connection: not "unreachable" (which means it tried).
        assertThat(registerError(phone)).startsWith("MISCONFIGURED: " + sender + " sender: ").contains("https");
    }

    @Test
    void aRealmMayNotPointASenderAtAnEndpointTheOperatorDidNotAllow() {
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "http",
                "dropin.sms.http.url", "https://collector.example.test/sms",
                "dropin.sms.http.secret", "the-realms-own-secret"));
        String phone = Phones.next();

        register(phone).then().statusCode(503).body(equalTo(UNAVAILABLE));

        assertThat(registerError(phone)).startsWith("MISCONFIGURED: http sender: ")
                .contains("--spi-sms-sender--http--allowed-endpoints");
    }

    @Test
    void theDeliveryTestAnswersACategoryNotTheNetworksError() {
        int port = closedPort();
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "http",
                "dropin.sms.http.url", "http://127.0.0.1:" + port + "/anything",
                "dropin.sms.http.connectTimeout", "500"));
        String userId = user(Phones.next(), "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");

        Response response = realmAdmin.deliveryTest(Map.of("channel", "sms", "userId", userId, "to", Phones.next()));

        assertThat(response.asString()).as("what the realm administrator learns about 127.0.0.1:" + port)
                .isEqualTo("{\"error\":\"delivery failed\",\"category\":\"unreachable\",\"hint\":\"The SMS provider "
                        + "could not be reached. The server log has the details.\"}");
        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void theDeliveryTestDoesNotProbeEndpointsTheOperatorDidNotAllow() {
        realmAdmin.setAttributes(Map.of(
                "dropin.sms.sender", "http",
                "dropin.sms.http.url", "http://10.255.255.1:22/",
                "dropin.sms.http.connectTimeout", "500"));
        String userId = user(Phones.next(), "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");

        Response response = realmAdmin.deliveryTest(Map.of("channel", "sms", "userId", userId, "to", Phones.next()));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.<String>path("category")).as(response.asString()).isEqualTo("misconfigured");
        assertThat(response.<String>path("hint")).contains("--spi-sms-sender--http--allowed-endpoints");
    }

    @Test
    void anAdministratorWhoMayNotViewUsersLearnsNoPhoneNumberOrEmail(SmsInbox inbox) {
        String phone = Phones.next();
        String email = "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String userId = user(phone, email);

        Response sms = realmAdmin.deliveryTest(Map.of("channel", "sms", "userId", userId));
        Response mail = realmAdmin.deliveryTest(Map.of("channel", "email", "userId", userId));

        assertThat(sms.asString()).as("SMS test answer").doesNotContain(phone);
        assertThat(mail.asString()).as("email test answer").doesNotContain(email);
        assertThat(sms.statusCode()).isEqualTo(403);
        assertThat(mail.statusCode()).isEqualTo(403);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(1));

        // A number the administrator gives is theirs to see.
        String given = Phones.next();
        realmAdmin.deliveryTest(Map.of("channel", "sms", "userId", userId, "to", given)).then().statusCode(200)
                .body("to", equalTo(given));
    }

    @Test
    void anAdministratorWhoMayViewUsersStillSeesTheRecipient(SmsInbox inbox) {
        RealmAdmin viewer = RealmAdmin.create(realm, "manage-realm", "view-users");
        String phone = Phones.next();
        String userId = user(phone, "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");

        viewer.deliveryTest(Map.of("channel", "sms", "userId", userId)).then().statusCode(200)
                .body("to", equalTo(phone));
        assertThat(inbox.awaitSms(realm.name(), phone).purpose()).isEqualTo("login");
    }
}
