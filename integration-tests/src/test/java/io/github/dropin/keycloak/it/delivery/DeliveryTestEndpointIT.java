package io.github.dropin.keycloak.it.delivery;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Email codes through the realm's SMTP settings, a real SMTP server on loopback ({@link MailServer}) and Keycloak's
 * email templating with the pack's {@code dropin-code.ftl}, exercised through the administrators' delivery test
 * ({@code POST /admin/realms/{realm}/dropin-delivery/test}), which sends exactly what users get. Also the endpoint's
 * own contract: SMS, errors, and that only realm managers may use it.
 */
@KeycloakRealm("realms/delivery.json")
class DeliveryTestEndpointIT {

    final TestRealm realm;
    final MailServer mail;
    final SmsInbox inbox;

    DeliveryTestEndpointIT(TestRealm realm, MailServer mail, SmsInbox inbox) {
        this.realm = realm;
        this.mail = mail;
        this.inbox = inbox;
    }

    /** A user of the realm with a fresh email address (and a phone number), optionally with a locale. */
    String user(String email, String locale) {
        Map<String, Object> attributes = locale == null ? Map.of("phoneNumber", List.of(Phones.next()))
                : Map.of("phoneNumber", List.of(Phones.next()), "locale", List.of(locale));
        return realm.admin().createUser(Map.of("username", "u-" + UUID.randomUUID(), "email", email, "enabled", true,
                "attributes", attributes));
    }

    void restoreSmtp() {
        realm.admin().updateRealm(Map.of("smtpServer", Map.of("host", "127.0.0.1", "port", Integer.toString(mail.port()),
                "from", "noreply@example.test", "fromDisplayName", "Acme Delivery")));
    }

    static String address() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    Response test(Map<String, Object> body, String acceptLanguage) {
        return realm.admin().request().header("Accept-Language", acceptLanguage).body(body).post("/dropin-delivery/test");
    }

    @Nested
    class Email {

        @Test
        void theCodeArrivesThroughTheRealmsSmtpServer() {
            String to = address();
            String userId = user(to, null);

            test(Map.of("channel", "email", "userId", userId, "purpose", "email_verification"), "en")
                    .then().statusCode(200).body(equalTo("{\"channel\":\"email\",\"to\":\"" + to
                            + "\",\"provider\":\"smtp\",\"purpose\":\"email_verification\"}"));

            MailServer.Email email = mail.awaitEmail(to);
            assertThat(email.to()).containsExactly(to);
            assertThat(email.from()).contains("noreply@example.test");
            assertThat(email.subject()).isEqualTo("Verify your email address for Acme Delivery");
            String code = email.code();
            assertThat(code).hasSize(6);
            assertThat(email.text().replace("\r\n", "\n").strip()).isEqualTo("Use this code to verify your email address for Acme Delivery:\n\n"
                    + code + "\n\nThe code expires in 5 minutes. If you did not ask for it, you can ignore this email.");
            assertThat(email.html()).contains("dir=\"ltr\"").contains("lang=\"en\"").contains(">" + code + "<")
                    .contains("Use this code to verify your email address for Acme Delivery:");
        }

        @Test
        void theTextFollowsTheUsersLocaleThenTheRequestsLanguage() {
            String german = address();
            String arabic = address();
            test(Map.of("channel", "email", "userId", user(german, "de"), "purpose", "login"), "en").then().statusCode(200);
            test(Map.of("channel", "email", "userId", user(arabic, null), "purpose", "login"), "ar").then().statusCode(200);

            MailServer.Email de = mail.awaitEmail(german);
            assertThat(de.subject()).isEqualTo("Ihr Anmeldecode für Acme Delivery");
            assertThat(de.text()).contains("Mit diesem Code melden Sie sich bei Acme Delivery an:")
                    .contains("Der Code ist 5 Minuten gültig.");

            MailServer.Email ar = mail.awaitEmail(arabic);
            assertThat(ar.subject()).isEqualTo("رمز الدخول الخاص بك في Acme Delivery");
            assertThat(ar.text()).contains("استخدم هذا الرمز لتسجيل الدخول إلى Acme Delivery:")
                    .contains("تنتهي صلاحية الرمز خلال ٥ دقائق.");
            // Right to left, with the digits of the code kept left to right.
            assertThat(ar.html()).contains("lang=\"ar\"").contains("dir=\"rtl\"")
                    .containsPattern("<p dir=\"ltr\"[^>]*text-align: right;[^>]*>" + ar.code() + "</p>");
        }

        @Test
        void anSmtpServerThatCannotBeReachedIs503WithTheCategoryNotTheNetworksText() {
            String to = address();
            String userId = user(to, null);
            Map<String, Object> smtp = Map.of("host", "127.0.0.1", "port", "1", "from", "noreply@example.test");
            realm.admin().updateRealm(Map.of("smtpServer", smtp));
            try {
                test(Map.of("channel", "email", "userId", userId), "en").then().statusCode(503).body(equalTo(
                        "{\"error\":\"delivery failed\",\"category\":\"unreachable\",\"hint\":\"The mail server could "
                                + "not be reached. The server log has the details.\"}"));
            } finally {
                restoreSmtp();
            }
            assertThat(mail.emailsTo(to)).isEmpty();
        }

        @Test
        void aRealmWithoutSmtpSettingsSaysWhereToSetThem() {
            String userId = user(address(), null);
            realm.admin().updateRealm(Map.of("smtpServer", Map.of()));
            try {
                test(Map.of("channel", "email", "userId", userId), "en").then().statusCode(503)
                        .body("category", equalTo("misconfigured"))
                        .body("hint", org.hamcrest.Matchers.containsString("Realm settings > Email"));
            } finally {
                restoreSmtp();
            }
        }

        @Test
        void logModePrintsTheEmailInsteadOfSendingIt() {
            String to = address();
            String userId = user(to, null);
            Delivery.withAttributes(realm, Map.of("dropin.email.delivery", "log"), () ->
                    test(Map.of("channel", "email", "userId", userId, "purpose", "password_reset"), "en")
                            .then().statusCode(200).body("provider", equalTo("log")));
            SmsInbox.Email printed = inbox.awaitEmail(realm.name(), to);
            assertThat(printed.purpose()).isEqualTo("password_reset");
            assertThat(printed.subject()).isEqualTo("Your Acme Delivery password reset code");
            assertThat(printed.code()).hasSize(6);
            assertThat(mail.emailsTo(to)).isEmpty();
        }
    }

    @Nested
    class Sms {

        @Test
        void sendsTheUsersTextThroughTheRealmsSender() {
            String userId = user(address(), "de");
            String phone = realm.admin().user(userId).path("attributes").path("phoneNumber").path(0).asText();

            test(Map.of("channel", "sms", "userId", userId), "en").then().statusCode(200)
                    .body(equalTo("{\"channel\":\"sms\",\"to\":\"" + phone + "\",\"provider\":\"log\",\"purpose\":\"login\"}"));

            SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
            assertThat(sms.purpose()).isEqualTo("login");
            assertThat(sms.text()).startsWith("Acme Delivery: Ihr Anmeldecode lautet ");
        }

        @Test
        void aRealmMayNameTheLogSenderWhenTheOperatorMadeItTheDefault() {
            // The test server runs in production mode (start --optimized) with log as the server default: a realm
            // that names it explicitly gets what the operator chose (LogSenderInProductionIT: when they chose another).
            String userId = user(address(), null);
            String other = Phones.next();
            Delivery.withAttributes(realm, Map.of("dropin.sms.sender", "log"), () ->
                    test(Map.of("channel", "sms", "userId", userId, "to", other), "en").then().statusCode(200)
                            .body("provider", equalTo("log")));
            assertThat(inbox.awaitSms(realm.name(), other).purpose()).isEqualTo("login");
        }

        @Test
        void anotherNumberMayBeGivenInAnyNotation() {
            String userId = user(address(), null);
            String other = Phones.next();
            test(Map.of("channel", "sms", "userId", userId, "to", Phones.spaced(other)), "en").then().statusCode(200)
                    .body("to", equalTo(other));
            assertThat(inbox.awaitSms(realm.name(), other).text()).startsWith("Acme Delivery: your sign-in code is ");
        }
    }

    @Nested
    class Refusals {

        @Test
        void badRequestsAre400And404() {
            String userId = user(address(), null);
            test(Map.of("userId", userId), "en").then().statusCode(400)
                    .body(equalTo("{\"error\":\"channel and userId are required\"}"));
            test(Map.of("channel", "fax", "userId", userId), "en").then().statusCode(400)
                    .body(equalTo("{\"error\":\"channel must be sms or email\"}"));
            test(Map.of("channel", "sms", "userId", userId, "purpose", "nothing"), "en").then().statusCode(400);
            test(Map.of("channel", "sms", "userId", userId, "to", "12"), "en").then().statusCode(400)
                    .body("error", org.hamcrest.Matchers.startsWith("invalid phone number"));
            test(Map.of("channel", "sms", "userId", UUID.randomUUID().toString()), "en").then().statusCode(404)
                    .body(equalTo("{\"error\":\"user not found\"}"));
            realm.admin().request().body("[").post("/dropin-delivery/test").then().statusCode(400);
        }

        @Test
        void onlyRealmManagersMayUseIt() {
            given().contentType(ContentType.JSON).body(Map.of("channel", "sms", "userId", "x"))
                    .post(realm.serverUrl() + "/admin/realms/" + realm.name() + "/dropin-delivery/test")
                    .then().statusCode(401);

            // A user of the realm without realm-management roles, signed in through the realm's admin-cli client.
            String username = "plain-" + UUID.randomUUID().toString().substring(0, 8);
            String id = realm.admin().createUser(Map.of("username", username, "enabled", true,
                    "email", username + "@example.test", "firstName", "Plain", "lastName", "User"));
            realm.admin().resetPassword(id, "Plain-Passw0rd-1");
            String token = given().formParams(Map.of("grant_type", "password", "client_id", "admin-cli",
                            "username", username, "password", "Plain-Passw0rd-1"))
                    .post(realm.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200)
                    .extract().path("access_token");
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("channel", "sms", "userId", id))
                    .post(realm.serverUrl() + "/admin/realms/" + realm.name() + "/dropin-delivery/test")
                    .then().statusCode(403);
        }
    }
}
