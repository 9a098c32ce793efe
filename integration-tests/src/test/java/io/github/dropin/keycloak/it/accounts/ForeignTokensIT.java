package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 4 of the security review: a token another app of the realm leaked must not become a takeover. users-api
 * and the JWT dialects accept only access tokens their own client was issued (a realm setting may add others); an
 * email change needs the current password; profile writes follow the realm's user profile; reset tokens and
 * recovery codes die when the account's email changes.
 */
@KeycloakRealm("realms/accounts.json")
class ForeignTokensIT {

    static final String USERS = "/users-api/api/v1/users/";
    static final String DRF_INVALID_TOKEN = "{\"detail\":\"Invalid token.\"}";
    static final String SIMPLE_JWT_INVALID = "{\"detail\":\"Given token not valid for any token type\","
            + "\"code\":\"token_not_valid\",\"messages\":[{\"token_class\":\"AccessToken\",\"token_type\":\"access\","
            + "\"message\":\"Token is invalid or expired\"}]}";
    static final Pattern RESET_TOKEN = Pattern.compile("(?m)^\\s*([A-Za-z0-9]{40})\\s*$");

    final TestRealm realm;
    final MailServer mail;
    final Callers callers;

    ForeignTokensIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
        this.callers = new Callers(realm);
    }

    Response usersApi(String method, String id, String authorization, Object body) {
        var request = given().header("Authorization", authorization);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(method, realm.realmUrl() + USERS + id + "/");
    }

    @Nested
    class TokensOfOtherClients {

        @Test
        void aJwtAuthAccessTokenNeitherReadsNorChangesAUserThroughUsersApi() {
            Map<String, String> account = callers.jwtAuthAccount();
            String bearer = "Bearer " + account.get("access");

            Response read = usersApi("GET", account.get("id"), bearer, null);
            Response change = usersApi("PATCH", account.get("id"), bearer, Map.of("email", Callers.newEmail()));

            assertThat(read.statusCode()).as("GET with a jwt-auth token: %s", read.asString()).isEqualTo(401);
            assertThat(read.asString()).isEqualTo(DRF_INVALID_TOKEN);
            assertThat(change.statusCode()).as("PATCH with a jwt-auth token: %s", change.asString()).isEqualTo(401);
            assertThat(realm.admin().user(account.get("id")).path("email").isMissingNode()).isTrue();
        }

        @Test
        void emailSignupRefusesAJwtAuthTokenAndJwtAuthRefusesAnEmailSignupToken() {
            String jwtAuthToken = callers.jwtAuthAccount().get("access");
            String emailSignupToken = callers.emailSignupAccount(mail).get("access");

            Response me = given().header("Authorization", "Bearer " + jwtAuthToken)
                    .get(realm.realmUrl() + Callers.SIGNUP + "users/me/");
            Response getUser = given().header("Authorization", "Bearer " + emailSignupToken)
                    .get(realm.realmUrl() + "/jwt-auth/auth/getuser");
            Response verify = callers.post("/jwt-auth/auth/token/verify", Map.of("token", emailSignupToken));

            assertThat(me.asString()).as("email-signup users/me with a jwt-auth token").isEqualTo(SIMPLE_JWT_INVALID);
            assertThat(me.statusCode()).isEqualTo(401);
            assertThat(getUser.asString()).as("jwt-auth getuser with an email-signup token").isEqualTo(SIMPLE_JWT_INVALID);
            assertThat(getUser.statusCode()).isEqualTo(401);
            assertThat(verify.statusCode()).as("jwt-auth token/verify with an email-signup token").isEqualTo(401);
        }

        @Test
        void aRealmSettingAddsFurtherClients() {
            Map<String, String> account = callers.jwtAuthAccount();
            realm.admin().updateRealmAttributes(Map.of("dropin.users-api.acceptedClients", "phone-app, jwt-auth"));
            try {
                usersApi("GET", account.get("id"), "Bearer " + account.get("access"), null).then().statusCode(200);
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.users-api.acceptedClients", ""));
            }
            usersApi("GET", account.get("id"), "Bearer " + account.get("access"), null).then().statusCode(401);
        }
    }

    @Nested
    class EmailChanges {

        @Test
        void changingTheEmailNeedsTheCurrentPassword() {
            Map<String, String> account = callers.usersApiAccount(Callers.newEmail());
            String key = "Token " + account.get("key");
            String next = Callers.newEmail();

            Response without = usersApi("PATCH", account.get("id"), key, Map.of("email", next));
            Response wrong = usersApi("PATCH", account.get("id"), key, Map.of("email", next, "current_password", "nope-nope-1"));

            assertThat(without.asString()).as("email change without current_password")
                    .isEqualTo("{\"current_password\":[\"This field is required.\"]}");
            assertThat(without.statusCode()).isEqualTo(400);
            assertThat(wrong.asString()).isEqualTo("{\"current_password\":[\"Wrong password.\"]}");
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(realm.admin().user(account.get("id")).path("email").asText()).isEqualTo(account.get("email"));

            usersApi("PATCH", account.get("id"), key, Map.of("email", next, "current_password", Callers.PASSWORD))
                    .then().statusCode(200);
            assertThat(realm.admin().user(account.get("id")).path("email").asText()).isEqualTo(next);
            assertThat(realm.admin().user(account.get("id")).path("emailVerified").asBoolean()).isFalse();
            // Names alone still change without it.
            usersApi("PATCH", account.get("id"), key, Map.of("first_name", "Augusta")).then().statusCode(200);
        }

        @Test
        void profileWritesFollowTheRealmsUserProfile() {
            Map<String, String> account = callers.usersApiAccount(Callers.newEmail());

            Response response = usersApi("PATCH", account.get("id"), "Token " + account.get("key"),
                    Map.of("first_name", "Ada<script>"));

            assertThat(response.asString()).as("first_name the realm's person-name rule refuses")
                    .isEqualTo("{\"first_name\":[\"Value contains invalid character.\"]}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(realm.admin().user(account.get("id")).path("firstName").asText()).isEqualTo("Ada");
        }

        @Test
        void aUsersApiResetTokenDiesWhenTheEmailChanges() {
            String first = Callers.newEmail();
            Map<String, String> account = callers.usersApiAccount(first);
            callers.post("/users-api/api/password_reset/", Map.of("email", first)).then().statusCode(200);
            Matcher token = RESET_TOKEN.matcher(Callers.email(mail, first, 1).text());
            assertThat(token.find()).isTrue();

            realm.admin().updateUser(account.get("id"), Map.of("email", Callers.newEmail()));
            Response confirm = callers.post("/users-api/api/password_reset/confirm/",
                    Map.of("token", token.group(1), "password", "Another-Horse-7"));

            assertThat(confirm.statusCode()).as("confirm after the email changed: %s", confirm.asString()).isEqualTo(404);
        }

        @Test
        void anEmailSignupRecoveryCodeDiesWhenTheEmailChanges() {
            Map<String, String> account = callers.emailSignupAccount(mail);
            String email = account.get("email");
            callers.post(Callers.SIGNUP + "recovery-request/", Map.of("email", email)).then().statusCode(200);
            String code = Callers.email(mail, email, 2).code();
            callers.post(Callers.SIGNUP + "verify-code/", Map.of("email", email, "code", code,
                    "purpose", "password_recovery")).then().statusCode(200);

            String moved = Callers.newEmail();
            realm.admin().updateUser(account.get("id"), Map.of("email", moved));
            Response reset = callers.post(Callers.SIGNUP + "recovery-reset-password/", Map.of("email", moved,
                    "code", code, "password", "Another-Horse-7", "password2", "Another-Horse-7"));

            assertThat(reset.asString()).as("recovery with a code sent to the previous address")
                    .isEqualTo("{\"code\":[\"Invalid or expired code.\"]}");
            assertThat(reset.statusCode()).isEqualTo(400);
        }
    }
}
