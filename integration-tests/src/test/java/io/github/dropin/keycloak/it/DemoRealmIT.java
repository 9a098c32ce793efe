package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo realm ({@code docker/import/demo-realm.json}, what {@code ./run.sh} imports) on the test server, under
 * a unique name: its phone sign-in flows are bound and work, the account console signs in through them, and the
 * {@code phone-app} client gets tokens by direct grant with a texted code.
 */
@ExtendWith(KeycloakExtension.class)
class DemoRealmIT {

    private static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
    private static final String ALICE_PHONE = "+4915100000001";

    private static TestRealm demo;
    private static Browser browser;

    @BeforeAll
    static void importDemo(KeycloakServer server) throws IOException {
        String json = Files.readString(ROOT.resolve("docker/import/demo-realm.json"));
        RealmFixture.Prepared prepared = RealmFixture.prepare(json, "demo", UUID.randomUUID().toString().substring(0, 6));
        AdminApi.expect(RestAssured.given().baseUri(server.serverUrl()).auth().oauth2(server.adminToken())
                .contentType(ContentType.JSON).body(prepared.json()).post("/admin/realms"), 201, "import demo realm");
        demo = new TestRealm(server, prepared.name());
        browser = Browser.start();
    }

    @AfterAll
    static void cleanUp() {
        if (browser != null) {
            browser.close();
        }
        if (demo != null) {
            demo.admin().deleteRealm();
        }
    }

    @BeforeEach
    void freshBrowser() {
        browser.reset();
    }

    @Test
    void phoneFlowsAreTheRealmsFlows() {
        JsonNode realm = demo.admin().realm();
        assertThat(realm.path("browserFlow").asText()).isEqualTo("dropin browser");
        assertThat(realm.path("registrationFlow").asText()).isEqualTo("dropin registration");
        assertThat(realm.path("resetCredentialsFlow").asText()).isEqualTo("dropin reset credentials");
        assertThat(realm.path("registrationAllowed").asBoolean()).isTrue();
        assertThat(realm.path("loginTheme").asText()).isEqualTo("dropin");
        JsonNode phoneApp = demo.admin().clients("phone-app").get(0);
        assertThat(phoneApp.path("directAccessGrantsEnabled").asBoolean()).isTrue();
        assertThat(phoneApp.path("authenticationFlowBindingOverrides").path("direct_grant").asText()).isNotEmpty();
    }

    @Test
    void bruteForceDetectionIsOn() {
        // The pack's own password and PIN throttles work without it, but a realm that shows the pack should also show
        // Keycloak's detector at work (it also locks accounts for Keycloak's own login pages).
        assertThat(demo.admin().realm().path("bruteForceProtected").asBoolean()).isTrue();
    }

    @Test
    void theAccountConsoleSignsInByPhoneAndCode(SmsInbox inbox) {
        browser.open(demo.realmUrl() + "/account");
        browser.type(By.id("phoneNumber"), ALICE_PHONE);
        browser.clickAndWait(By.id("dropin-send"));
        String code = inbox.awaitSms(demo.name(), ALICE_PHONE).code();
        browser.type(By.id("code"), code);
        browser.find(By.id("dropin-verify")).click();
        browser.awaitUrlStartingWith(demo.realmUrl() + "/account");
        // The account console (a single-page app) shows Alice's profile.
        browser.waitFor(d -> browser.pageText().contains("Personal info") ? true : null);
        JsonNode alice = demo.admin().userByUsername("alice").orElseThrow();
        assertThat(demo.admin().userSessions(alice.path("id").asText())).isNotEmpty();
    }

    @Test
    void phoneAppGetsTokensByDirectGrant(SmsInbox inbox) {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", "phone-app").formParam("phone_number", ALICE_PHONE)
                .post(demo.realmUrl() + "/sms-code/request").then().statusCode(200);
        String code = inbox.awaitSms(demo.name(), ALICE_PHONE).code();
        String body = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "phone-app")
                .formParam("phone_number", ALICE_PHONE).formParam("code", code)
                .post(demo.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().asString();
        JsonNode claims;
        try {
            claims = Jwts.verifiedPayload(demo, AdminApi.JSON.readTree(body).path("access_token").asText());
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
        assertThat(claims.path("phone_number").asText()).isEqualTo(ALICE_PHONE);
        assertThat(claims.path("phone_number_verified").asBoolean()).isTrue();
    }
}
