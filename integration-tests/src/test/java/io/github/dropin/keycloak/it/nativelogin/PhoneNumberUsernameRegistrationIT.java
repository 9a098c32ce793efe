package io.github.dropin.keycloak.it.nativelogin;

import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.OidcClient;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 10 of the security review in Keycloak's own registration ("dropin registration"): a username that is a
 * phone number is accepted only when it is the number the account registers with.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneNumberUsernameRegistrationIT {

    private static final By SUBMIT = By.cssSelector("#kc-form-buttons [type=submit]");
    private static final By USERNAME_ERROR = By.id("input-error-username");
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

    private void register(String username, String phone) {
        browser.open(app.authorization().url());
        browser.find(PHONE);
        browser.clickAndWait(By.id("dropin-register"));
        browser.find(By.id("kc-register-form"));
        browser.type(USERNAME, username);
        browser.type(PASSWORD, PASSWORD_VALUE);
        browser.type(PASSWORD_CONFIRM, PASSWORD_VALUE);
        browser.type(PHONE, phone);
        browser.clickAndWait(SUBMIT);
    }

    @Test
    void someoneElsesNumberAsUsernameIsRefused(TestRealm realm) {
        String victim = Phones.next();
        int users = realm.admin().countUsers();

        register(victim, Phones.next());

        assertThat(realm.admin().userByUsername(victim)).as("an account named after someone else's number").isEmpty();
        assertThat(browser.text(USERNAME_ERROR))
                .isEqualTo("A phone number can only be the username of the account with that phone number.");
        assertThat(realm.admin().countUsers()).isEqualTo(users);
    }

    @Test
    void theAccountsOwnNumberAsUsernameIsFine(TestRealm realm) {
        String own = Phones.next();

        register(own, Phones.spaced(own));

        browser.find(CODE);
        assertThat(realm.admin().userByUsername(own)).isPresent();
    }
}
