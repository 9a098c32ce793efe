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
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The required actions "update phone number" and "verify phone number" as application-initiated actions
 * ({@code kc_action}) in headless Chromium.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneActionsIT {

    private static final By CANCEL = By.id("dropin-cancel");
    private static final By CURRENT_PHONE = By.id("dropin-current-phone");

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

    /** Signs in by phone and code, leaving an SSO session in the browser. */
    private void signIn(TestRealm realm, SmsInbox inbox, String phone) {
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        browser.type(PHONE, phone);
        browser.clickAndWait(SEND);
        browser.type(CODE, inbox.awaitSms(realm.name(), phone).code());
        browser.find(VERIFY).click();
        app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));
    }

    private OidcClient.Authorization startUpdate() {
        OidcClient.Authorization auth = app.authorization(Map.of("kc_action", "dropin-update-phone-number"));
        browser.open(auth.url());
        browser.find(PHONE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Update your phone number");
        return auth;
    }

    private static String phoneOf(TestRealm realm, String userId) {
        return realm.admin().user(userId).path("attributes").path("phoneNumber").get(0).asText();
    }

    private static String verifiedOf(TestRealm realm, String userId) {
        return realm.admin().user(userId).path("attributes").path("phoneNumberVerified").get(0).asText();
    }

    @Test
    void updatePhoneNumberVerifiesTheNewNumberBeforeItReplacesTheOldOne(TestRealm realm, SmsInbox inbox) {
        String old = Phones.next();
        String userId = createUser(realm, uniqueName("mover"), old, true, null);
        signIn(realm, inbox, old);

        String fresh = Phones.next();
        inbox.mark();
        OidcClient.Authorization auth = startUpdate();
        assertThat(browser.text(CURRENT_PHONE)).contains(old.substring(old.length() - 2)).doesNotContain(old);
        browser.type(PHONE, Phones.spaced(fresh));
        browser.clickAndWait(SEND);
        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Confirm your new number");
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), fresh);
        assertThat(sms.purpose()).isEqualTo("phone_change");
        inbox.assertNoSms(realm.name(), old, Duration.ofSeconds(1));
        // Until the code comes back, the old number stays.
        assertThat(phoneOf(realm, userId)).isEqualTo(old);

        browser.type(CODE, sms.code());
        browser.find(VERIFY).click();
        String redirect = browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(OidcClient.query(redirect)).containsEntry("kc_action_status", "success");
        JsonNode tokens = app.exchange(auth, redirect);

        assertPhoneClaims(idClaims(realm, tokens), fresh, true);
        assertThat(phoneOf(realm, userId)).isEqualTo(fresh);
        assertThat(verifiedOf(realm, userId)).isEqualTo("true");
        JsonNode event = latestEvent(realm, "UPDATE_PROFILE", userId);
        assertThat(event.path("details").path("previous_phoneNumber").asText()).isEqualTo(old);
        assertThat(event.path("details").path("updated_phoneNumber").asText()).isEqualTo(fresh);
    }

    @Test
    void wrongCodeTakenNumberAndCancelLeaveTheOldNumber(TestRealm realm, SmsInbox inbox) {
        String old = Phones.next();
        String userId = createUser(realm, uniqueName("stayer"), old, true, null);
        String taken = Phones.next();
        createUser(realm, uniqueName("holder"), taken, true, null);
        signIn(realm, inbox, old);

        inbox.mark();
        startUpdate();
        browser.type(PHONE, taken);
        browser.clickAndWait(SEND);
        assertThat(browser.text(PHONE_ERROR)).isEqualTo("This phone number is already in use.");
        inbox.assertNoSms(realm.name(), taken, Duration.ofSeconds(1));

        String fresh = Phones.next();
        browser.type(PHONE, fresh);
        browser.clickAndWait(SEND);
        String code = inbox.awaitSms(realm.name(), fresh).code();
        browser.type(CODE, code.equals("000000") ? "111111" : "000000");
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 4.");
        assertThat(latestEvent(realm, "CUSTOM_REQUIRED_ACTION_ERROR", userId).path("error").asText()).isEqualTo("invalid_code");
        assertThat(phoneOf(realm, userId)).isEqualTo(old);

        browser.find(CANCEL).click();
        String redirect = browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(OidcClient.query(redirect)).containsEntry("kc_action_status", "cancelled");
        assertThat(phoneOf(realm, userId)).isEqualTo(old);
        assertThat(verifiedOf(realm, userId)).isEqualTo("true");
    }

    @Test
    void verifyPhoneNumberAsAnApplicationInitiatedAction(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("verifier");
        String userId = createUser(realm, username, phone, false, "Verify-Me-1");

        OidcClient.Authorization auth = app.authorization(Map.of("kc_action", "dropin-verify-phone-number"));
        browser.open(auth.url());
        choosePasswordSignIn(browser);
        browser.type(USERNAME, username);
        browser.type(PASSWORD, "Verify-Me-1");
        browser.clickAndWait(LOGIN);
        browser.find(CODE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Verify your phone number");
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.purpose()).isEqualTo("phone_verification");

        // Reloading sends nothing more.
        inbox.mark();
        browser.driver().navigate().refresh();
        browser.find(CODE);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));

        browser.type(CODE, sms.code());
        browser.find(VERIFY).click();
        String redirect = browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(OidcClient.query(redirect)).containsEntry("kc_action_status", "success");
        assertPhoneClaims(idClaims(realm, app.exchange(auth, redirect)), phone, true);
        assertThat(verifiedOf(realm, userId)).isEqualTo("true");
    }
}
