package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Browser;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration through "dropin registration" in headless Chromium: the user-profile attribute {@code phoneNumber}
 * (validated, unique), then the "verify phone number" required action before the account can be used.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneRegistrationIT {

    private static final By SUBMIT = By.cssSelector("#kc-form-buttons [type=submit]");
    private static final String PASSWORD_VALUE = "Register-Me-42";

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

    private OidcClient.Authorization openRegistration() {
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        browser.find(PHONE);
        browser.clickAndWait(By.id("dropin-register"));
        browser.find(By.id("kc-register-form"));
        return auth;
    }

    private void fillAndSubmit(String username, String phone) {
        browser.type(USERNAME, username);
        browser.type(PASSWORD, PASSWORD_VALUE);
        browser.type(PASSWORD_CONFIRM, PASSWORD_VALUE);
        browser.type(PHONE, phone);
        browser.clickAndWait(SUBMIT);
    }

    @Test
    void registrationWithAPhoneNumberVerifiedByCode(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("reg");
        OidcClient.Authorization auth = openRegistration();
        assertThat(browser.attribute(PHONE, "type")).isEqualTo("tel");

        fillAndSubmit(username, Phones.spaced(phone));

        // The account exists, with the number in E.164, unverified, and the verify action pending.
        JsonNode user = realm.admin().userByUsername(username).orElseThrow();
        assertThat(user.path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(phone);
        assertThat(user.path("attributes").path("phoneNumberVerified").get(0).asText()).isEqualTo("false");
        assertThat(user.path("requiredActions").toString()).contains("dropin-verify-phone-number");

        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Verify your phone number");
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.purpose()).isEqualTo("phone_verification");
        browser.type(CODE, sms.code());
        browser.find(VERIFY).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

        assertPhoneClaims(idClaims(realm, tokens), phone, true);
        JsonNode verified = realm.admin().user(user.path("id").asText());
        assertThat(verified.path("attributes").path("phoneNumberVerified").get(0).asText()).isEqualTo("true");
        assertThat(verified.path("requiredActions")).isEmpty();
        assertThat(latestEvent(realm, "REGISTER", user.path("id").asText())).isNotNull();
        assertThat(latestEvent(realm, "CUSTOM_REQUIRED_ACTION", user.path("id").asText()).path("details")
                .path("custom_required_action").asText()).isEqualTo("dropin-verify-phone-number");
    }

    @Test
    void theAccountIsNotUsableBeforeTheNumberIsVerified(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("abandon");
        openRegistration();
        fillAndSubmit(username, phone);
        browser.find(CODE);
        String code = inbox.awaitSms(realm.name(), phone).code();

        // Walk away, come back with the password: the verification comes first. Within the resend cooldown no
        // new code is sent; the one already texted is still good.
        browser.reset();
        inbox.mark();
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        choosePasswordSignIn(browser);
        browser.type(USERNAME, username);
        browser.type(PASSWORD, PASSWORD_VALUE);
        browser.clickAndWait(LOGIN);
        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Verify your phone number");
        assertThat(browser.url()).doesNotStartWith(app.redirectUri());
        assertThat(browser.text(ALERT)).matches("Please wait \\d+ seconds before requesting a new code\\.");
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(1));
        browser.type(CODE, code);
        browser.find(VERIFY).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));
        assertPhoneClaims(idClaims(realm, tokens), phone, true);
    }

    @Test
    void invalidMissingAndTakenNumbersAreRefused(TestRealm realm, SmsInbox inbox) {
        String taken = Phones.next();
        createUser(realm, uniqueName("holder"), taken, true, null);
        int users = realm.admin().countUsers();

        openRegistration();
        fillAndSubmit(uniqueName("bad"), "12345");
        assertThat(browser.text(PHONE_ERROR)).isEqualTo("This is not a valid phone number.");

        fillAndSubmit(uniqueName("bad"), "");
        assertThat(browser.text(PHONE_ERROR)).isEqualTo("Please enter your phone number.");

        fillAndSubmit(uniqueName("bad"), Phones.spaced(taken));
        assertThat(browser.text(PHONE_ERROR)).isEqualTo("This phone number is already in use.");

        assertThat(realm.admin().countUsers()).isEqualTo(users);
        assertThat(realm.admin().events("REGISTER_ERROR")).isNotEmpty();
        inbox.assertNoSms(realm.name(), taken, Duration.ofSeconds(1));
    }
}
