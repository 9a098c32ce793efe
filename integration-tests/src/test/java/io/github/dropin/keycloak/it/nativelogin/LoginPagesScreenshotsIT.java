package io.github.dropin.keycloak.it.nativelogin;

import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.OidcClient;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.nio.file.Path;
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's screenshots, taken in the same headless Chromium as the tests. Runs only when asked:
 * <pre>mvn -B verify -Dit.test=LoginPagesScreenshotsIT -Ddropin.screenshots=$PWD/docs/screenshots</pre>
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class LoginPagesScreenshotsIT {

    @Test
    void screenshots(TestRealm realm, SmsInbox inbox) {
        String target = System.getProperty("dropin.screenshots", "");
        assumeTrue(!target.isBlank(), "set -Ddropin.screenshots=<directory> to take the README's screenshots");
        Path dir = Path.of(target);

        String phone = Phones.next();
        String username = uniqueName("jane");
        createUser(realm, username, phone, true, "Screenshot-1");
        try (Browser browser = Browser.start(); OidcClient app = OidcClient.start(realm, BROWSER_CLIENT)) {
            browser.driver().manage().window().setSize(new Dimension(960, 860));

            // Phone sign-in: phone page, code page, a wrong code.
            browser.open(app.authorization().url());
            browser.type(PHONE, Phones.spaced(phone));
            browser.screenshot(dir.resolve("phone-sign-in.png"));
            browser.clickAndWait(SEND);
            String code = inbox.awaitSms(realm.name(), phone).code();
            browser.find(CODE);
            browser.screenshot(dir.resolve("sms-code.png"));
            browser.type(CODE, code.equals("000000") ? "111111" : "000000");
            browser.clickAndWait(VERIFY);
            browser.find(CODE_ERROR);
            browser.screenshot(dir.resolve("sms-code-wrong.png"));
            browser.type(CODE, code);
            browser.find(VERIFY).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            // Update phone number (application-initiated), with the SSO session of the sign-in above.
            browser.open(app.authorization(Map.of("kc_action", "dropin-update-phone-number")).url());
            browser.find(PHONE);
            browser.screenshot(dir.resolve("update-phone.png"));

            // Password, then the SMS code as second factor.
            browser.reset();
            browser.open(app.authorization().url());
            choosePasswordSignIn(browser);
            browser.type(USERNAME, username);
            browser.type(PASSWORD, "Screenshot-1");
            browser.clickAndWait(LOGIN);
            browser.find(CODE);
            browser.screenshot(dir.resolve("second-factor.png"));

            // Registration with a phone number, then its verification.
            browser.reset();
            inbox.mark();
            browser.open(app.authorization().url());
            browser.clickAndWait(By.id("dropin-register"));
            String newPhone = Phones.next();
            browser.type(USERNAME, uniqueName("new"));
            browser.type(PASSWORD, "Register-Me-42");
            browser.type(PASSWORD_CONFIRM, "Register-Me-42");
            browser.type(PHONE, Phones.spaced(newPhone));
            browser.screenshot(dir.resolve("registration.png"));
            browser.clickAndWait(By.cssSelector("#kc-form-buttons [type=submit]"));
            browser.find(CODE);
            inbox.awaitSms(realm.name(), newPhone);
            browser.screenshot(dir.resolve("verify-phone.png"));

            // Reset password by phone.
            browser.reset();
            browser.open(app.authorization().url());
            choosePasswordSignIn(browser);
            browser.clickAndWait(FORGOT_PASSWORD);
            browser.find(PHONE);
            browser.screenshot(dir.resolve("reset-by-phone.png"));

            // Right to left: the code page in Arabic.
            browser.reset();
            String arabic = Phones.next();
            createUser(realm, uniqueName("rtl"), arabic, true, null);
            browser.open(app.authorization(Map.of("ui_locales", "ar")).url());
            browser.type(PHONE, arabic);
            browser.clickAndWait(SEND);
            browser.find(CODE);
            browser.screenshot(dir.resolve("sms-code-ar.png"));
        }
    }
}
