package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.OidcClient;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in in a real headless Chromium through the realm's "dropin browser" flow and an OIDC authorization-code flow
 * with PKCE: phone number + SMS code (first factor), password + SMS code (second factor), and the negative paths.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneSignInIT {

    private static final String FLOW_PHONE = "dropin phone sign-in";
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

    /** Opens the authorization URL and walks to the code page of the phone sign-in. */
    private OidcClient.Authorization toCodePage(String phone) {
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        browser.type(PHONE, Phones.spaced(phone));
        browser.clickAndWait(SEND);
        browser.find(CODE);
        return auth;
    }

    @Test
    void phoneNumberAndCodeSignInEndWithPhoneClaims(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("phone"), phone, true, null);

        OidcClient.Authorization auth = toCodePage(phone);
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.purpose()).isEqualTo("login");
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Enter your code");
        assertThat(browser.text(CODE_INSTRUCTION)).contains("6-digit code").contains(phone.substring(phone.length() - 2));
        assertThat(browser.attribute(CODE, "autocomplete")).isEqualTo("one-time-code");
        assertThat(browser.attribute(CODE, "inputmode")).isEqualTo("numeric");

        // Reloading the code page must not text another code.
        inbox.mark();
        browser.driver().navigate().refresh();
        browser.find(CODE);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));

        browser.type(CODE, sms.code());
        browser.find(VERIFY).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

        assertPhoneClaims(idClaims(realm, tokens), phone, true);
        assertPhoneClaims(accessClaims(realm, tokens), phone, true);
        assertThat(accessClaims(realm, tokens).path("sub").asText()).isEqualTo(userId);
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
        assertThat(latestEvent(realm, "LOGIN", userId).path("details").path("username").asText()).isNotEmpty();
    }

    @Test
    void passwordThenSmsCodeForUsersWithAVerifiedPhone(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("pw");
        String userId = createUser(realm, username, phone, true, "Correct-Horse-1");

        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        choosePasswordSignIn(browser);
        browser.type(USERNAME, username);
        browser.type(PASSWORD, "Correct-Horse-1");
        browser.clickAndWait(LOGIN);
        browser.find(CODE);
        // Second factor: the number is masked, as someone with the password alone must not learn it.
        assertThat(browser.text(CODE_INSTRUCTION)).doesNotContain(phone).contains(phone.substring(phone.length() - 2));
        String code = inbox.awaitSms(realm.name(), phone).code();

        // Keycloak re-runs the flow from its start on a reload; the code page comes back and nothing is sent.
        inbox.mark();
        browser.driver().navigate().refresh();
        browser.find(CODE);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));

        browser.type(CODE, code);
        browser.find(VERIFY).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

        assertPhoneClaims(idClaims(realm, tokens), phone, true);
        assertThat(accessClaims(realm, tokens).path("preferred_username").asText()).isEqualTo(username);
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
    }

    @Test
    void passwordAloneForUsersWithoutAVerifiedPhone(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String username = uniqueName("unverified");
        createUser(realm, username, phone, false, "Correct-Horse-1");

        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        choosePasswordSignIn(browser);
        browser.type(USERNAME, username);
        browser.type(PASSWORD, "Correct-Horse-1");
        browser.find(LOGIN).click();
        JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

        assertPhoneClaims(idClaims(realm, tokens), phone, false);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(1));
    }

    @Test
    void reAuthenticationOfAPasswordUserWithoutPhoneFallsBackToThePassword(TestRealm realm) {
        String username = uniqueName("nophone");
        String userId = createUser(realm, username, null, false, "Correct-Horse-1");
        OidcClient.Authorization first = app.authorization();
        browser.open(first.url());
        choosePasswordSignIn(browser);
        browser.type(USERNAME, username);
        browser.type(PASSWORD, "Correct-Horse-1");
        browser.find(LOGIN).click();
        app.exchange(first, browser.awaitUrlStartingWith(app.redirectUri()));

        // prompt=login: Keycloak knows the user; the phone sub-flow steps aside and the password is asked again.
        OidcClient.Authorization again = app.authorization(Map.of("prompt", "login"));
        browser.open(again.url());
        browser.type(PASSWORD, "Correct-Horse-1");
        browser.find(LOGIN).click();
        JsonNode tokens = app.exchange(again, browser.awaitUrlStartingWith(app.redirectUri()));
        assertThat(accessClaims(realm, tokens).path("sub").asText()).isEqualTo(userId);
    }

    @Test
    void wrongCodeShowsAttemptsLeftAndCountsForBruteForce(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("wrong"), phone, true, null);
        toCodePage(phone);
        String code = inbox.awaitSms(realm.name(), phone).code();

        browser.type(CODE, wrong(code));
        browser.clickAndWait(VERIFY);

        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 2.");
        assertThat(browser.attribute(CODE, "aria-invalid")).isEqualTo("true");
        JsonNode error = latestEvent(realm, "LOGIN_ERROR", userId);
        assertThat(error.path("error").asText()).isEqualTo("invalid_user_credentials");
        awaitBruteForceFailures(realm, userId, 1);

        // The right code still works after a wrong one.
        browser.type(CODE, code);
        browser.find(VERIFY).click();
        browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
    }

    @Test
    void attemptsExhaustedKillsTheCode(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("exhausted"), phone, true, null);
        toCodePage(phone);
        String code = inbox.awaitSms(realm.name(), phone).code();

        browser.type(CODE, wrong(code));
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 2.");
        browser.type(CODE, wrong(code));
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 1.");
        browser.type(CODE, wrong(code));
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Too many wrong codes. Request a new code.");

        // Dead: even the right code no longer signs in.
        browser.type(CODE, code);
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("This code has expired or has already been used. Request a new code.");
        assertThat(realm.admin().userSessions(userId)).isEmpty();
        awaitBruteForceFailures(realm, userId, 3);
        resetBruteForce(realm, userId);
    }

    @Test
    void lockedAccountsCannotUseEvenTheRightCode(TestRealm realm, SmsInbox inbox) {
        realm.admin().updateRealm(Map.of("failureFactor", 2));
        // No cooldown, so that the second visit below issues a code and only the lock keeps it from being texted.
        JsonNode previous = updateExecutionConfig(realm, FLOW_PHONE, "dropin-sms-code-form",
                Map.of("codeMaxAttempts", "3", "codeResendCooldown", "0"));
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("locked"), phone, true, null);
        try {
            toCodePage(phone);
            String code = inbox.awaitSms(realm.name(), phone).code();
            browser.type(CODE, wrong(code));
            browser.clickAndWait(VERIFY);
            browser.type(CODE, wrong(code));
            browser.clickAndWait(VERIFY);
            awaitBruteForceFailures(realm, userId, 2);
            assertThat(bruteForce(realm, userId).path("disabled").asBoolean()).isTrue();

            browser.type(CODE, code);
            browser.clickAndWait(VERIFY);
            // Told what a wrong code is told; the lock is not revealed, and no session.
            assertThat(browser.text(CODE_ERROR)).isEqualTo("Too many wrong codes. Request a new code.");
            assertThat(latestEvent(realm, "LOGIN_ERROR", userId).path("error").asText()).isEqualTo("user_temporarily_disabled");
            assertThat(realm.admin().userSessions(userId)).isEmpty();

            // A locked account is not texted either.
            browser.reset();
            inbox.mark();
            toCodePage(phone);
            assertThat(browser.present(ALERT)).as("no cooldown message: a code was issued").isFalse();
            inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));
        } finally {
            restoreExecutionConfig(realm, previous);
            realm.admin().updateRealm(Map.of("failureFactor", 30));
            resetBruteForce(realm, userId);
        }
    }

    @Test
    void resendTooSoonIsRefusedAndSendsNothing(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        createUser(realm, uniqueName("resend"), phone, true, null);
        toCodePage(phone);
        inbox.awaitSms(realm.name(), phone);
        assertThat(browser.find(RESEND_HINT).isDisplayed()).isTrue();

        inbox.mark();
        browser.clickAndWait(RESEND);

        assertThat(browser.text(ALERT)).matches("Please wait \\d+ seconds before requesting a new code\\.");
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));
        assertThat(realm.admin().events("LOGIN_ERROR").get(0).path("error").asText()).isEqualTo("slow_down");
    }

    @Test
    void anSmsThatCannotBeSentIsReportedAndCanBeRetriedAtOnce(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("outage"), phone, true, null);
        withRealmAttribute(realm, "dropin.sms.sender", "no-such-sender", () -> {
            toCodePage(phone);
            assertThat(browser.text(ALERT)).isEqualTo("We could not send the text message. Please try again later.");
            assertThat(latestEvent(realm, "LOGIN_ERROR", userId).path("error").asText()).isEqualTo("sms_send_failed");
        });
        // No cooldown was used up by the failed send.
        browser.clickAndWait(RESEND);
        assertThat(browser.text(ALERT)).isEqualTo("We have sent you a new code.");
        browser.type(CODE, inbox.awaitSms(realm.name(), phone).code());
        browser.find(VERIFY).click();
        browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
    }

    @Test
    void expiredCodeIsRefused(TestRealm realm, SmsInbox inbox, KeycloakServer server) {
        JsonNode previous = updateExecutionConfig(realm, FLOW_PHONE, "dropin-sms-code-form",
                Map.of("codeLifetime", "60", "codeResendCooldown", "0"));
        try {
            String phone = Phones.next();
            String userId = createUser(realm, uniqueName("expired"), phone, true, null);
            toCodePage(phone);
            String code = inbox.awaitSms(realm.name(), phone).code();
            server.moveClock(Duration.ofSeconds(61)); // past the configured lifetime (60 s)
            browser.type(CODE, code);
            browser.clickAndWait(VERIFY);

            assertThat(browser.text(CODE_ERROR)).isEqualTo("This code has expired or has already been used. Request a new code.");
            assertThat(latestEvent(realm, "LOGIN_ERROR", userId).path("error").asText()).isEqualTo("expired_code");
            assertThat(realm.admin().userSessions(userId)).isEmpty();

            // A new code (no cooldown in this configuration) signs in.
            inbox.mark();
            browser.clickAndWait(RESEND);
            assertThat(browser.text(ALERT)).isEqualTo("We have sent you a new code.");
            String fresh = inbox.awaitSms(realm.name(), phone).code();
            browser.type(CODE, fresh);
            browser.find(VERIFY).click();
            browser.awaitUrlStartingWith(app.redirectUri());
            assertThat(realm.admin().userSessions(userId)).hasSize(1);
        } finally {
            restoreExecutionConfig(realm, previous);
        }
    }

    @Test
    void unknownNumberGetsTheSamePagesAndNoSms(TestRealm realm, SmsInbox inbox) {
        String known = Phones.next();
        createUser(realm, uniqueName("known"), known, true, null);
        String unknown = Phones.next();

        toCodePage(known);
        String knownPage = codePageShape();
        browser.reset();
        toCodePage(unknown);
        String unknownPage = codePageShape();

        assertThat(unknownPage).isEqualTo(knownPage);
        inbox.assertNoSms(realm.name(), unknown, Duration.ofSeconds(2));

        browser.type(CODE, "123456");
        browser.clickAndWait(VERIFY);
        assertThat(browser.text(CODE_ERROR)).isEqualTo("Invalid code. Attempts left: 2.");
        JsonNode error = realm.admin().events("LOGIN_ERROR").get(0);
        assertThat(error.path("error").asText()).isEqualTo("user_not_found");
        assertThat(realm.admin().usersByAttribute("phoneNumber", unknown)).isEmpty();
    }

    @Test
    void unverifiedNumbersDoNotSignIn(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        createUser(realm, uniqueName("claimed"), phone, false, null);
        toCodePage(phone);
        inbox.assertNoSms(realm.name(), phone, Duration.ofSeconds(2));
        assertThat(browser.present(CODE)).isTrue();
    }

    @Test
    void useADifferentNumberStartsOver(TestRealm realm, SmsInbox inbox) {
        String first = Phones.next();
        toCodePage(first);
        browser.clickAndWait(CHANGE_NUMBER);
        browser.find(PHONE);
        assertThat(browser.text(PAGE_TITLE)).isEqualTo("Sign in with your phone");

        String second = Phones.next();
        String userId = createUser(realm, uniqueName("second"), second, true, null);
        browser.type(PHONE, second);
        browser.clickAndWait(SEND);
        browser.type(CODE, inbox.awaitSms(realm.name(), second).code());
        browser.find(VERIFY).click();
        browser.awaitUrlStartingWith(app.redirectUri());
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
    }

    @Test
    void invalidNumberStaysOnThePhonePage(TestRealm realm) {
        OidcClient.Authorization auth = app.authorization();
        browser.open(auth.url());
        browser.type(PHONE, "12345");
        browser.clickAndWait(SEND);

        assertThat(browser.text(PHONE_ERROR)).isEqualTo("This is not a valid phone number.");
        assertThat(browser.attribute(PHONE, "type")).isEqualTo("tel");
        assertThat(browser.attribute(PHONE, "aria-invalid")).isEqualTo("true");
        assertThat(realm.admin().events("LOGIN_ERROR").get(0).path("error").asText()).isEqualTo("invalid_phone_number");
    }

    @Test
    void registerOnFirstLoginCreatesAVerifiedAccount(TestRealm realm, SmsInbox inbox) {
        JsonNode previous = updateExecutionConfig(realm, FLOW_PHONE, "dropin-phone-number-form",
                Map.of("registerOnFirstLogin", "true"));
        try {
            String phone = Phones.next();
            OidcClient.Authorization auth = toCodePage(phone);
            String code = inbox.awaitSms(realm.name(), phone).code();
            browser.type(CODE, code);
            browser.find(VERIFY).click();
            JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));

            assertPhoneClaims(idClaims(realm, tokens), phone, true);
            JsonNode user = realm.admin().userByUsername(phone).orElseThrow();
            assertThat(user.path("attributes").path("phoneNumberVerified").get(0).asText()).isEqualTo("true");
            assertThat(latestEvent(realm, "REGISTER", user.path("id").asText()).path("details")
                    .path("register_method").asText()).isEqualTo("dropin-phone-number-form");
        } finally {
            restoreExecutionConfig(realm, previous);
        }
    }

    /**
     * What a person sees of the code page and what the form sends, without the number itself and the seconds of
     * the cooldown countdown (which differ from visit to visit, not from number to number).
     */
    private String codePageShape() {
        String text = browser.pageText()
                .replaceAll("\\+\\d{2}[ \\u00A0]•+\\d{2}", "<masked>")
                .replaceAll("\\+\\d{8,15}", "<number>")
                .replaceAll("\\d+ seconds", "<n> seconds");
        Object fields = browser.driver() instanceof org.openqa.selenium.JavascriptExecutor js
                ? js.executeScript("return Array.from(document.querySelectorAll('input, button, a'))"
                        + ".map(e => e.tagName + '#' + e.id + '[' + (e.name || '') + ']').join(' ')")
                : "";
        return text + "\n" + fields;
    }

    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }
}
