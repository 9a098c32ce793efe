package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.OidcClient;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Drop-in tab under Realm settings of Keycloak's own admin console (issue 16), in the tests' Chromium: a realm
 * administrator (a user of the realm with {@code view-realm} and {@code manage-realm}, not a server administrator)
 * signs in, opens the tab, sees a value the realm JSON set, changes the code lifetime, the SMS sender and an SMS
 * budget, and saves; a dialect call and a sign-in through the login pages then run with the new values. A wrong value
 * shows the form's error and changes no attribute; an administrator without {@code manage-realm} cannot save.
 * Screenshots of the tab go to {@code docs/images/admin-tab*.png}.
 */
@KeycloakRealm("realms/admin-tab.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminTabIT {

    private static final Path IMAGES = Path.of(System.getProperty("dropin.repoRoot", "..")).resolve("docs/images");
    private static final String PHONE_OTP_LOGIN = "/phone-otp/auth/api/login/";
    private static final By SAVE = By.cssSelector("[data-testid='save']");
    private static final By ALERT = By.cssSelector(".pf-v5-c-alert, .pf-v6-c-alert, [class*='c-alert__title']");

    private static Browser browser;
    private static FakeSmsGateway gateway;

    private final TestRealm realm;
    private final KeycloakServer server;

    AdminTabIT(TestRealm realm, KeycloakServer server) {
        this.realm = realm;
        this.server = server;
    }

    @BeforeAll
    static void start(TestRealm realm) {
        gateway = new FakeSmsGateway();
        browser = Browser.start();
        // Wide enough for the tab bar to show the Drop-in tab in the screenshots.
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
        // The realm's browser flow starts with the phone page; the console's administrators sign in with a password.
        String builtIn = realm.admin().request().get("/authentication/flows").then().statusCode(200).extract()
                .jsonPath().getString("find { it.alias == 'browser' }.id");
        JsonNode console = realm.admin().clients("security-admin-console").get(0);
        realm.admin().request().body(Map.of("authenticationFlowBindingOverrides", Map.of("browser", builtIn)))
                .put("/clients/" + console.path("id").asText()).then().statusCode(204);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void aRealmAdministratorConfiguresTheRealmInTheTabAndTheValuesAreInForce() {
        RealmAdmin admin = RealmAdmin.create(realm, "view-realm", "manage-realm");
        String gatewayUrl = server.hostUrl(gateway.port()) + FakeSmsGateway.PATH;
        server.putVaultSecret(realm.name(), "gateway-secret", "from-the-vault-42");

        openTab(admin);
        // A value the realm JSON set (not through the tab) is shown.
        assertThat(input("codeHourlyLimitPerIp").getDomProperty("value")).isEqualTo("10000");
        WebElement title = browser.find(By.xpath(
                "//*[@role='tab' or self::a or self::button][normalize-space()='Drop-in']"));
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].scrollIntoView({block: 'nearest', inline: 'center'})", title);
        screenshot("admin-tab.png");

        set("codeLifetime", "120");
        choose("sms/sender", "http");
        set("sms/http/url", gatewayUrl);
        set("sms/http/secret", "${vault.gateway-secret}");
        set("shield/smsHourlyBudget", "2");
        browser.find(SAVE).click();
        assertThat(awaitAlert()).doesNotContain("Could not").doesNotContain("rror");

        Map<String, String> attributes = attributes();
        assertThat(attributes).containsEntry("dropin.codeLifetime", "120")
                .containsEntry("dropin.sms.sender", "http")
                .containsEntry("dropin.sms.http.url", gatewayUrl)
                .containsEntry("dropin.sms.http.secret", "${vault.gateway-secret}")
                .containsEntry("dropin.shield.smsHourlyBudget", "2")
                .containsEntry("dropin.codeHourlyLimitPerIp", "10000");
        // Read back, the secret's field shows the vault reference (which is no secret), as Keycloak shows any.
        assertThat(tabComponent().path("config").path("sms/http/secret").get(0).asText())
                .isEqualTo("${vault.gateway-secret}");

        // A sign-in through the login pages: the code goes through the http sender, with the vault's secret.
        String phone = Phones.next();
        createUser("jane", phone);
        browser.reset();
        try (OidcClient app = OidcClient.start(realm, "native-app")) {
            browser.open(app.authorization().url());
            browser.type(By.id("phoneNumber"), phone);
            browser.clickAndWait(By.id("dropin-send"));
            browser.find(By.id("code"));
            // The login pages send after their transaction commits: the request may land just after the page.
            List<FakeSmsGateway.Request> sent = browser.waitFor(d -> gateway.requestsTo(phone).isEmpty() ? null
                    : gateway.requestsTo(phone));
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).authorization()).isEqualTo("Bearer from-the-vault-42");
            String code = SmsInbox.codeIn(FakeSmsGateway.JSON.readTree(sent.get(0).body()).path("text").asText());
            browser.type(By.id("code"), code);
            browser.find(By.id("dropin-verify")).click();
            browser.awaitUrlStartingWith(app.redirectUri());
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        // A dialect call: phone-otp says the code lifetime in force, and its SMS is the budget's second.
        String second = Phones.next();
        createUser("joe", second);
        given().contentType(ContentType.JSON).body(Map.of("phone", second)).post(realm.realmUrl() + PHONE_OTP_LOGIN)
                .then().statusCode(200);
        assertThat(gateway.requestsTo(second)).hasSize(1);

        // The budget of 2 SMS per hour is spent: the third number gets nothing.
        String third = Phones.next();
        createUser("ann", third);
        server.log().mark();
        given().contentType(ContentType.JSON).body(Map.of("phone", third)).post(realm.realmUrl() + PHONE_OTP_LOGIN)
                .then().statusCode(429);
        assertThat(gateway.requestsTo(third)).isEmpty();
        server.log().awaitLine(Pattern.compile("shield budget sms/hourly is spent \\(2 SMS per 3600 s\\)"),
                Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void theCodeLifetimeInForceIsTheTabs() {
        // phone-otp's answer names the lifetime of the code it sent; a new realm-wide budget lets it send. A secret
        // set in clear through the admin REST API shows in the tab masked, never in clear.
        realm.admin().updateRealmAttributes(Map.of("dropin.shield.smsHourlyBudget", "0",
                "dropin.sms.twilio.authToken", "plain-token-in-clear"));
        assertThat(tabComponent().path("config").path("shield/smsHourlyBudget").get(0).asText()).isEqualTo("0");
        assertThat(tabComponent().path("config").path("sms/twilio/authToken").get(0).asText()).isEqualTo("**********");
        String phone = Phones.next();
        String userId = createUser("kim", phone);
        String body = given().contentType(ContentType.JSON).body(Map.of("phone", phone))
                .post(realm.realmUrl() + PHONE_OTP_LOGIN).then().statusCode(200).extract().asString();
        assertThat(body).isEqualTo("{\"expire_time\":\"120\",\"message\":\"Code Send to user\",\"user_id\":\""
                + userId + "\"}");
    }

    @Test
    @Order(3)
    void aWrongValueShowsTheFormsErrorAndChangesNothing() {
        RealmAdmin admin = RealmAdmin.create(realm, "view-realm", "manage-realm");
        Map<String, String> before = attributes();
        // Set through the admin REST API, not the tab: the tab shows it too.
        assertThat(before).containsEntry("dropin.shield.smsHourlyBudget", "0");

        openTab(admin);
        assertThat(input("shield/smsHourlyBudget").getDomProperty("value")).isEqualTo("0");
        set("codeLifetime", "5");
        set("phone/allowedRegions", "DE, XX");
        set("sms/http/secret", "plain-secret");
        browser.find(SAVE).click();
        String alert = awaitAlert();
        assertThat(alert).contains("must be a whole number from 10 to 86400")
                .contains("'XX' is not an ISO 3166 region code")
                .contains("must be a vault reference");
        screenshot("admin-tab-error.png");

        assertThat(attributes()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void anAdministratorWithoutManageRealmCannotSave() {
        RealmAdmin viewer = RealmAdmin.create(realm, "view-realm");
        Map<String, String> before = attributes();

        openTab(viewer);
        set("shield/smsDailyBudget", "7");
        browser.find(SAVE).click();
        assertThat(awaitAlert()).containsIgnoringCase("could not");
        assertThat(attributes()).isEqualTo(before);

        JsonNode tab = tabComponent();
        Map<String, Object> update = new HashMap<>();
        update.put("id", tab.path("id").asText());
        update.put("name", tab.path("name").asText());
        update.put("providerId", tab.path("providerId").asText());
        update.put("providerType", tab.path("providerType").asText());
        update.put("parentId", tab.path("parentId").asText());
        update.put("config", Map.of("shield/smsDailyBudget", List.of("7")));
        viewer.request().body(update).put("/components/" + tab.path("id").asText()).then().statusCode(403);
        assertThat(attributes()).isEqualTo(before);
    }

    private void openTab(RealmAdmin admin) {
        browser.reset();
        browser.open(realm.serverUrl() + "/admin/" + realm.name() + "/console/#/" + realm.name()
                + "/realm-settings/dropin");
        browser.type(By.id("username"), admin.username());
        browser.type(By.id("password"), RealmAdmin.PASSWORD);
        browser.clickAndWait(By.id("kc-login"));
        try {
            input("codeLifetime");
        } catch (RuntimeException e) {
            dumpPage("admin-tab-failure.html");
            throw e;
        }
    }

    private static WebElement input(String name) {
        return browser.find(By.cssSelector("[data-testid='" + name + "'], input[id='" + name + "'], input[name='config."
                + name + "']"));
    }

    /** Replaces a field's value as a person would (select all, type), so that React sees the change. */
    private static void set(String name, String value) {
        WebElement field = input(name);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        field.sendKeys(value);
    }

    private static void choose(String name, String option) {
        browser.find(By.cssSelector("[id='" + name + "']")).click();
        browser.find(By.xpath("//*[@role='option'][normalize-space()='" + option + "']")).click();
    }

    private static String awaitAlert() {
        return browser.waitFor(d -> {
            String text = d.findElements(ALERT).stream().map(WebElement::getText).filter(t -> !t.isBlank())
                    .reduce((a, b) -> a + "\n" + b).orElse(null);
            return text;
        });
    }

    private static void screenshot(String file) {
        browser.screenshot(IMAGES.resolve(file));
    }

    private static void dumpPage(String file) {
        try {
            Files.writeString(Path.of("target").resolve(file), browser.driver().getPageSource());
        } catch (IOException | RuntimeException ignored) {
            // a diagnostic only
        }
    }

    private Map<String, String> attributes() {
        Map<String, String> attributes = new HashMap<>();
        realm.admin().realm().path("attributes").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("dropin.")) {
                attributes.put(e.getKey(), e.getValue().asText());
            }
        });
        return attributes;
    }

    private JsonNode tabComponent() {
        for (JsonNode component : realm.admin().request().queryParam("type", "org.keycloak.services.ui.extend.UiTabProvider")
                .get("/components").then().statusCode(200).extract().as(JsonNode.class)) {
            if ("Drop-in".equals(component.path("providerId").asText())) {
                return component;
            }
        }
        throw new AssertionError("no Drop-in tab component in realm " + realm.name());
    }

    private String createUser(String prefix, String phone) {
        return realm.admin().createUser(Map.of("username", prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                "enabled", true, "attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(phone),
                        Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of("true"))));
    }
}
