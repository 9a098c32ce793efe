package io.github.dropin.keycloak.it.delivery;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMS texts in the recipient's language (realm internationalisation on, SPEC §2.3), through the {@code phone-otp}
 * dialect and the development {@code log} sender: the user's {@code locale} attribute first, the request's
 * {@code Accept-Language} for someone who has none (a registration), the realm default otherwise.
 */
@KeycloakRealm("realms/delivery.json")
class LocalisedMessagesIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String LOGIN = "/phone-otp/auth/api/login/";

    final TestRealm realm;
    final SmsInbox inbox;

    LocalisedMessagesIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    String register(String phone, String acceptLanguage) {
        given().contentType(ContentType.JSON).header("Accept-Language", acceptLanguage)
                .body(Map.of("phonenumber", phone)).post(realm.realmUrl() + REGISTER).then().statusCode(200);
        return realm.admin().userByUsername(phone).orElseThrow().path("id").asText();
    }

    SmsInbox.Sms login(String phone) {
        inbox.mark();
        given().contentType(ContentType.JSON).body(Map.of("phone", phone)).post(realm.realmUrl() + LOGIN)
                .then().statusCode(200);
        return inbox.awaitSms(realm.name(), phone);
    }

    void setLocale(String userId, String locale) {
        realm.admin().setAttribute(userId, "locale", locale);
    }

    @Test
    void aLoginCodeFollowsEachUsersLocale() {
        String german = Phones.next();
        String english = Phones.next();
        setLocale(register(german, "en"), "de");
        register(english, "en");

        SmsInbox.Sms de = login(german);
        SmsInbox.Sms en = login(english);

        assertThat(de.text()).isEqualTo("Acme Delivery: Ihr Anmeldecode lautet " + de.code()
                + ". Er ist 5 Minuten gültig. Geben Sie ihn nie weiter.");
        assertThat(en.text()).isEqualTo("Acme Delivery: your sign-in code is " + en.code()
                + ". It expires in 5 minutes. Never share it.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "de-DE,de;q=0.9 | Acme Delivery: Ihr Bestätigungscode lautet CODE. Er ist 5 Minuten gültig.",
            "fr             | Acme Delivery : votre code de vérification est CODE. Il expire dans 5 minutes.",
            "es             | Acme Delivery: tu código de verificación es CODE. Caduca en 5 min.",
            "it             | Acme Delivery: il tuo codice di verifica è CODE. Scade tra 5 minuti.",
            "pt-BR          | Acme Delivery: seu código de verificação é CODE. Expira em 5 min.",
            "ja             | 【Acme Delivery】確認コードはCODEです。有効期限は5分です。",
            "ar             | Acme Delivery: رمز التحقق الخاص بك هو CODE. ينتهي خلال ٥ دقائق.",
            "sv,en;q=0.5    | Acme Delivery: your verification code is CODE. It expires in 5 minutes.",
    })
    void aRegistrationCodeFollowsAcceptLanguage(String acceptLanguage, String expected) {
        String phone = Phones.next();
        register(phone, acceptLanguage);
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.text()).isEqualTo(expected.replace("CODE", sms.code()));
    }

    @Test
    void theUsersLocaleWinsOverTheRequestsLanguage() {
        String phone = Phones.next();
        setLocale(register(phone, "en"), "it");
        inbox.mark();
        given().contentType(ContentType.JSON).header("Accept-Language", "fr").body(Map.of("phone", phone))
                .post(realm.realmUrl() + LOGIN).then().statusCode(200);
        assertThat(inbox.awaitSms(realm.name(), phone).text()).startsWith("Acme Delivery: il tuo codice di accesso è ");
    }
}
