package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakLine;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.OidcClient;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Forgot password?" through "dropin reset credentials" in headless Chromium: the account is chosen by phone number
 * and SMS code, then Keycloak's own update-password page.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class ResetByPhoneIT {

    private static Browser browser;
    private static OidcClient app;

    @BeforeAll
    static void start(TestRealm realm) {
        browser = Browser.start();
        app = OidcClient.start(realm, BROWSER_CLIENT);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void freshBrowser() {
        browser.reset();
    }

    private OidcClient.Authorization toResetPhonePage() {
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        choosePasswordSignIn(browser);
        browser.clickAndWait(FORGOT_PASSWORD);
        browser.find(PHONE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Reset your password");
        return auth;
    }

    private static int passwordGrant(TestRealm realm, String username, String password) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "password-app")
                .formParam("username", username).formParam("password", password)
                .post(realm.realmUrl() + "/protocol/openid-connect/token").statusCode();
    }

    @Test
    void resetByPhoneThenKeycloaksUpdatePassword(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("forgot");
        String userId = createUser(realm, username, phone, true, "Old-Password-1");

        OidcClient.Authorization auth = toResetPhonePage();
        browser.type(PHONE, Phones.spaced(phone));
        browser.clickAndWait(SEND);
        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Enter your reset code");
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.purpose()).isEqualTo("password_reset");
        browser.type(CODE, sms.code());
        browser.clickAndWait(VERIFY);

        browser.type(PASSWORD_NEW, "New-Password-2");
        browser.type(PASSWORD_CONFIRM, "New-Password-2");
        browser.find(By.cssSelector("[type=submit]")).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

        assertPhoneClaims(idClaims(realm, tokens), phone, true);
        assertThat(accessClaims(realm, tokens).path("sub").asText()).isEqualTo(userId);
        assertThat(passwordGrant(realm, username, "New-Password-2")).isEqualTo(200);
        // Keycloak answers a wrong password on the direct grant with invalid_grant (400; 401 on 26.4).
        assertThat(passwordGrant(realm, username, "Old-Password-1")).isEqualTo(KeycloakLine.invalidCredentialsStatus());
        assertThat(latestEvent(realm, "UPDATE_PASSWORD", userId)).isNotNull();
    }

    @Test
    void unknownNumbersGetTheSamePagesAndNoSms(TestRealm realm, SmsInbox inbox) {
        String unknown = Phones.next();
        toResetPhonePage();
        browser.type(PHONE, unknown);
        browser.clickAndWait(SEND);
        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Enter your reset code");
        assertThat(browser.text(CODE_INSTRUCTION)).startsWith("If ").contains("belongs to an account");
        inbox.assertNoSms(realm.name(), unknown, Duration.ofSeconds(2));

        browser.type(CODE, "123456");
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 4.");
        assertThat(realm.admin().events("RESET_PASSWORD_ERROR").get(0).path("error").asText()).isEqualTo("user_not_found");
    }

    @Test
    void wrongCodeKeepsThePasswordAndADifferentNumberCanBeTried(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("keep");
        String userId = createUser(realm, username, phone, true, "Old-Password-1");
        toResetPhonePage();
        browser.type(PHONE, phone);
        browser.clickAndWait(SEND);
        String code = inbox.awaitSms(realm.name(), phone).code();
        browser.type(CODE, code.equals("000000") ? "111111" : "000000");
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 4.");
        awaitBruteForceFailures(realm, userId, 1);
        resetBruteForce(realm, userId);

        browser.clickAndWait(CHANGE_NUMBER);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Reset your password");
        assertThat(browser.attribute(PHONE, "value")).isEmpty();
        assertThat(passwordGrant(realm, username, "Old-Password-1")).isEqualTo(200);
    }
}
