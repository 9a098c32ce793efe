package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.TestRealm;
import org.openqa.selenium.By;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Keycloak-native login tests share: the fixture {@code realms/native-login.json} (flows "dropin browser",
 * "dropin registration", "dropin reset credentials", "dropin direct grant", clients {@code native-app} for the
 * browser and {@code phone-app} for the direct grant), the elements of the pages, and admin-API shortcuts.
 */
final class NativeLogin {

    static final String FIXTURE = "realms/native-login.json";
    static final String BROWSER_CLIENT = "native-app";

    // Keycloak's pages
    static final By USERNAME = By.id("username");
    static final By PASSWORD = By.id("password");
    static final By LOGIN = By.id("kc-login");
    static final By TRY_ANOTHER_WAY = By.id("try-another-way");
    static final By PAGE_TITLE = By.id("kc-page-title");
    static final By ALERT = By.cssSelector(".pf-v5-c-alert");
    static final By FORGOT_PASSWORD = By.linkText("Forgot Password?");
    static final By REGISTER_LINK = By.linkText("Register");
    static final By PASSWORD_NEW = By.id("password-new");
    static final By PASSWORD_CONFIRM = By.id("password-confirm");

    // The pack's pages
    static final By PHONE = By.id("phoneNumber");
    static final By SEND = By.id("dropin-send");
    static final By CODE = By.id("code");
    static final By VERIFY = By.id("dropin-verify");
    static final By RESEND = By.id("dropin-resend");
    static final By RESEND_HINT = By.id("dropin-resend-hint");
    static final By CHANGE_NUMBER = By.id("dropin-change-number");
    static final By CODE_ERROR = By.id("input-error-code");
    static final By PHONE_ERROR = By.id("input-error-phoneNumber");
    static final By CODE_INSTRUCTION = By.id("dropin-code-instruction");

    private static final ObjectMapper JSON = new ObjectMapper();

    private NativeLogin() {
    }

    /**
     * An option of Keycloak's "Select login method" page: the element that submits it carries the {@code onclick}
     * in every supported line ({@code role="button"} only from Keycloak 26.7 on).
     */
    static By selectAuthenticator(String displayName) {
        return By.xpath("//div[@onclick][.//h2[normalize-space()='" + displayName + "']]");
    }

    /** From the phone page (the first page of "dropin browser") to Keycloak's username/password page. */
    static void choosePasswordSignIn(Browser browser) {
        browser.find(PHONE);
        browser.clickAndWait(TRY_ANOTHER_WAY);
        browser.clickAndWait(selectAuthenticator("Username and password"));
        browser.find(USERNAME);
    }

    /** A user with a phone number ({@code verified} as given) and, if {@code password} is not null, a password. */
    static String createUser(TestRealm realm, String username, String phone, boolean verified, String password) {
        Map<String, Object> user = new HashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        if (phone != null) {
            user.put("attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(phone),
                    Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of(Boolean.toString(verified))));
        }
        String id = realm.admin().createUser(user);
        if (password != null) {
            realm.admin().resetPassword(id, password);
        }
        return id;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Runs {@code action} with one more realm attribute (e.g. {@code dropin.sms.sender}) and restores the realm's
     * attributes afterwards (a realm update replaces all attributes).
     */
    static void withRealmAttribute(TestRealm realm, String name, String value, Runnable action) {
        JsonNode before = realm.admin().realm().path("attributes");
        Map<String, String> original = new HashMap<>();
        before.fields().forEachRemaining(e -> original.put(e.getKey(), e.getValue().asText()));
        Map<String, String> changed = new HashMap<>(original);
        changed.put(name, value);
        realm.admin().updateRealm(Map.of("attributes", changed));
        try {
            action.run();
        } finally {
            realm.admin().updateRealm(Map.of("attributes", original));
        }
    }

    /** Keycloak's brute-force state of a user ({@code numFailures}, {@code disabled}...). */
    static JsonNode bruteForce(TestRealm realm, String userId) {
        return tree(realm.admin().request().get("/attack-detection/brute-force/users/{id}", userId)
                .then().statusCode(200).extract().asString());
    }

    /**
     * Waits until Keycloak's brute-force detector has counted {@code expected} failures for the user: it records them
     * on a background executor, so the count may lag the response by a moment.
     */
    static void awaitBruteForceFailures(TestRealm realm, String userId, int expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        int seen;
        do {
            seen = bruteForce(realm, userId).path("numFailures").asInt();
            if (seen == expected) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("brute-force failures of " + userId + ": expected " + expected + " but saw " + seen);
    }

    static void resetBruteForce(TestRealm realm, String userId) {
        realm.admin().request().delete("/attack-detection/brute-force/users/{id}", userId).then().statusCode(204);
    }

    /** The configuration of the execution of {@code authenticator} in flow {@code flowAlias} (an id and a map). */
    static JsonNode executionConfig(TestRealm realm, String flowAlias, String authenticator) {
        JsonNode executions = tree(realm.admin().request().get("/authentication/flows/{alias}/executions", flowAlias)
                .then().statusCode(200).extract().asString());
        for (JsonNode execution : executions) {
            if (authenticator.equals(execution.path("providerId").asText())) {
                String configId = execution.path("authenticationConfig").asText();
                return tree(realm.admin().request().get("/authentication/config/{id}", configId)
                        .then().statusCode(200).extract().asString());
            }
        }
        throw new AssertionError("No " + authenticator + " in flow " + flowAlias);
    }

    /** Replaces one execution's configuration; returns the previous one, to restore it. */
    static JsonNode updateExecutionConfig(TestRealm realm, String flowAlias, String authenticator, Map<String, String> config) {
        JsonNode previous = executionConfig(realm, flowAlias, authenticator);
        Map<String, Object> updated = new HashMap<>();
        updated.put("id", previous.path("id").asText());
        updated.put("alias", previous.path("alias").asText());
        updated.put("config", config);
        realm.admin().request().body(updated).put("/authentication/config/{id}", previous.path("id").asText())
                .then().statusCode(204);
        return previous;
    }

    static void restoreExecutionConfig(TestRealm realm, JsonNode previous) {
        realm.admin().request().body(previous.toString()).put("/authentication/config/{id}", previous.path("id").asText())
                .then().statusCode(204);
    }

    /** The ID token's claims (signature checked against the realm's JWKS). */
    static JsonNode idClaims(TestRealm realm, JsonNode tokens) {
        return Jwts.verifiedPayload(realm, tokens.path("id_token").asText());
    }

    static JsonNode accessClaims(TestRealm realm, JsonNode tokens) {
        return Jwts.verifiedPayload(realm, tokens.path("access_token").asText());
    }

    static void assertPhoneClaims(JsonNode claims, String phone, boolean verified) {
        assertThat(claims.path("phone_number").asText()).isEqualTo(phone);
        assertThat(claims.path("phone_number_verified").isBoolean()).as("phone_number_verified is a JSON boolean").isTrue();
        assertThat(claims.path("phone_number_verified").asBoolean()).isEqualTo(verified);
    }

    /** The newest stored event of {@code type} for {@code userId} (or for anyone if null). */
    static JsonNode latestEvent(TestRealm realm, String type, String userId) {
        return realm.admin().events(type).stream()
                .filter(e -> userId == null || userId.equals(e.path("userId").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + type + " event for user " + userId));
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
