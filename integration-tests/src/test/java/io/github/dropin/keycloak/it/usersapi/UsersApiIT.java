package io.github.dropin.keycloak.it.usersapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Dialect {@code users-api} (SPEC §4.4, seed 003) against a real Keycloak and a real SMTP server: every row, its
 * errors, who may reach whom, and Keycloak's state afterwards.
 */
@KeycloakRealm("realms/users-api.json")
class UsersApiIT {

    static final String USERS = "/users-api/api/v1/users/";
    static final String TOKEN_AUTH = "/users-api/api-token-auth/";
    static final String RESET = "/users-api/api/password_reset/";
    static final String PASSWORD = "Correct-Horse-9";
    static final String NOT_FOUND = "{\"detail\":\"Not found.\"}";
    static final String CANNOT_LOG_IN = "{\"non_field_errors\":[\"Unable to log in with provided credentials.\"]}";
    static final String INVALID_TOKEN = "{\"detail\":\"The OTP password entered is not valid. Please check and try again.\"}";
    static final String STATUS_OK = "{\"status\":\"OK\"}";
    static final Pattern RESET_TOKEN = Pattern.compile("(?m)^\\s*([A-Za-z0-9]{40})\\s*$");

    final TestRealm realm;
    final MailServer mail;

    UsersApiIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    RequestSpecification auth(String header) {
        return given().header("Authorization", header).contentType(ContentType.JSON);
    }

    String userUrl(String id) {
        return realm.realmUrl() + USERS + id + "/";
    }

    record Account(String id, String username, String email, String password) {
    }

    Account account() {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = name + "@example.test";
        Response response = post(USERS, Map.of("username", name, "password", PASSWORD, "first_name", "Grace",
                "last_name", "Hopper", "email", email));
        response.then().statusCode(201);
        return new Account(response.path("id"), name, email, PASSWORD);
    }

    String key(String username, String password) {
        Response response = post(TOKEN_AUTH, Map.of("username", username, "password", password));
        response.then().statusCode(200);
        return response.path("token");
    }

    String key(Account account) {
        return key(account.username(), account.password());
    }

    /** A Keycloak access token of the realm (from the staff app's password grant), as other apps would hold. */
    String accessToken(String username, String password) {
        return given().formParams(Map.of("grant_type", "password", "client_id", "staff-app", "username", username,
                        "password", password, "scope", "openid"))
                .post(realm.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static String json(Account a, String firstName, String lastName, String email) {
        return "{\"id\":\"" + a.id() + "\",\"username\":\"" + a.username() + "\",\"first_name\":\"" + firstName
                + "\",\"last_name\":\"" + lastName + "\",\"email\":\"" + email + "\"}";
    }

    static String json(Account a) {
        return json(a, "Grace", "Hopper", a.email());
    }

    MailServer.Email email(String to, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<MailServer.Email> emails = mail.emailsTo(to);
            if (emails.size() >= n) {
                return emails.get(n - 1);
            }
            sleep(100);
        }
        throw new AssertionError("no email #" + n + " to " + to);
    }

    void assertEmailCount(String to, int count) {
        sleep(2000);
        assertThat(mail.emailsTo(to)).hasSize(count);
    }

    static String resetToken(MailServer.Email email) {
        Matcher m = RESET_TOKEN.matcher(email.text());
        if (!m.find()) {
            throw new AssertionError("no reset token in " + email.text());
        }
        return m.group(1);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode readTree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<Integer> parallel(int count, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 10));
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    String userId(String username) {
        return realm.admin().userByUsername(username).orElseThrow().path("id").asText();
    }

    // ---- registration --------------------------------------------------------------------------------------------

    @Nested
    class Register {

        @Test
        void createsAKeycloakUserWithAPasswordAndNeverEchoesIt() {
            String name = "ada" + UUID.randomUUID().toString().substring(0, 8);
            Response response = post(USERS, Map.of("username", name, "password", PASSWORD, "first_name", "Ada",
                    "last_name", "Lovelace", "email", name + "@Example.test"));

            response.then().statusCode(201).contentType(ContentType.JSON);
            String id = response.path("id");
            assertThat(response.asString()).isEqualTo("{\"id\":\"" + id + "\",\"username\":\"" + name
                    + "\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"" + name + "@example.test\"}");

            JsonNode user = realm.admin().user(id);
            assertThat(user.path("username").asText()).isEqualTo(name);
            assertThat(user.path("firstName").asText()).isEqualTo("Ada");
            assertThat(user.path("lastName").asText()).isEqualTo("Lovelace");
            assertThat(user.path("email").asText()).isEqualTo(name + "@example.test");
            assertThat(user.path("enabled").asBoolean()).isTrue();
            assertThat(realm.admin().credentials(id)).extracting(c -> c.path("type").asText()).containsExactly("password");
            assertThat(realm.admin().events("REGISTER")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(id);
                assertThat(e.path("clientId").asText()).isEqualTo("users-api");
            });
            assertThat(realm.admin().userSessions(id)).as("registering does not sign in").isEmpty();
            key(name, PASSWORD);
        }

        @Test
        void namesAndEmailAreOptionalAndFormsWork() {
            String name = "min" + UUID.randomUUID().toString().substring(0, 8);
            given().formParams(Map.of("username", name, "password", PASSWORD)).post(realm.realmUrl() + USERS)
                    .then().statusCode(201)
                    .body("first_name", equalTo("")).body("last_name", equalTo("")).body("email", equalTo(""));
            assertThat(realm.admin().userByUsername(name).orElseThrow().path("email").isMissingNode()).isTrue();
        }

        @Test
        void everyProblemIsReportedAtOnceAndNothingIsCreated() {
            Account existing = account();
            int before = realm.admin().countUsers();
            post(USERS, Map.of("username", existing.username(), "password", "1234", "email", existing.email()))
                    .then().statusCode(400).body(equalTo("{\"username\":[\"A user with that username already exists.\"],"
                            + "\"email\":[\"A user with that email already exists.\"],"
                            + "\"password\":[\"This password is too short. It must contain at least 8 characters.\","
                            + "\"This password is entirely numeric.\"]}"));
            post(USERS, Map.of("username", "sam" + UUID.randomUUID().toString().substring(0, 6), "password", "sam")).then()
                    .statusCode(400).body("password", org.hamcrest.Matchers.hasItem("This password is too short. It must contain at least 8 characters."));
            String user = "weak" + UUID.randomUUID().toString().substring(0, 6);
            post(USERS, Map.of("username", user, "password", user)).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"The password is too similar to the username.\"]}"));
            post(USERS, Map.of()).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
        }

        @ParameterizedTest
        @ValueSource(strings = {"has space", "semi;colon", "quote'or'1=1", "<b>", "tab\tname"})
        void djangoUsernameRulesApply(String username) {
            post(USERS, Map.of("username", username, "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"Enter a valid username. This value may contain only letters, numbers, "
                            + "and @/./+/-/_ characters.\"]}"));
        }

        @Test
        void parallelRegistrationsOfOneUsernameCreateExactlyOneUser() throws Exception {
            String name = "race" + UUID.randomUUID().toString().substring(0, 8);
            List<Integer> statuses = parallel(10, () -> post(USERS, Map.of("username", name, "password", PASSWORD)).statusCode());
            assertThat(statuses).containsOnly(201, 400);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(realm.admin().findUsers(Map.of("username", name, "exact", true))).hasSize(1);
        }
    }

    // ---- api-token-auth and who may reach whom ---------------------------------------------------------------------

    @Nested
    class TokenAuth {

        @Test
        void aKeyIsBoundToANewKeycloakSession() {
            Account account = account();
            Response response = post(TOKEN_AUTH, Map.of("username", account.username(), "password", PASSWORD));
            response.then().statusCode(200);
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("token");
            String key = response.path("token");
            List<JsonNode> sessions = realm.admin().userSessions(account.id());
            assertThat(sessions).hasSize(1);
            assertThat(key).startsWith(sessions.get(0).path("id").asText() + ".");
            assertThat(key.length()).isGreaterThan(sessions.get(0).path("id").asText().length() + 30);
            assertThat(sessions.get(0).path("clients").toString()).contains("users-api");
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("clientId").asText()).isEqualTo("users-api");
            });

            given().formParams(Map.of("username", account.username(), "password", PASSWORD))
                    .post(realm.realmUrl() + TOKEN_AUTH).then().statusCode(200).body("token", notNullValue());
        }

        @Test
        void badCredentialsAre400WithDrfsMessage() {
            Account account = account();
            post(TOKEN_AUTH, Map.of("username", account.username(), "password", "Wrong-pass-1"))
                    .then().statusCode(400).body(equalTo(CANNOT_LOG_IN));
            post(TOKEN_AUTH, Map.of("username", "nobody-" + UUID.randomUUID(), "password", PASSWORD))
                    .then().statusCode(400).body(equalTo(CANNOT_LOG_IN));
            post(TOKEN_AUTH, Map.of("username", account.username())).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"This field is required.\"]}"));
            assertThat(realm.admin().userSessions(account.id())).isEmpty();
        }

        @Test
        void failedLoginsCountTowardsBruteForceDetection() {
            Account account = account();
            for (int i = 0; i < 3; i++) {
                post(TOKEN_AUTH, Map.of("username", account.username(), "password", "Wrong-pass-" + i))
                        .then().statusCode(400).body(equalTo(CANNOT_LOG_IN));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean locked = false;
            while (!locked && System.nanoTime() < deadline) {
                locked = readTree(realm.admin().request().get("/attack-detection/brute-force/users/{id}", account.id())
                        .then().statusCode(200).extract().asString()).path("disabled").asBoolean();
                sleep(200);
            }
            assertThat(locked).as("locked by Keycloak's brute-force detector").isTrue();
            post(TOKEN_AUTH, Map.of("username", account.username(), "password", PASSWORD))
                    .then().statusCode(400).body(equalTo(CANNOT_LOG_IN));
            assertThat(realm.admin().events("LOGIN_ERROR")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("error").asText()).isEqualTo("user_temporarily_disabled");
            });
        }

        @Test
        void theKeyWorksAsTokenAndAsBearerAndOnlyForItsOwnUser() {
            Account account = account();
            Account other = account();
            String key = key(account);
            auth("Token " + key).get(userUrl(account.id())).then().statusCode(200).body(equalTo(json(account)));
            auth("Bearer " + key).get(userUrl(account.id())).then().statusCode(200).body(equalTo(json(account)));
            auth("token " + key).get(realm.realmUrl() + USERS + account.id()).then().statusCode(200);
            auth("Token " + key).get(userUrl(other.id())).then().statusCode(404).body(equalTo(NOT_FOUND));
            auth("Token " + key).get(userUrl(UUID.randomUUID().toString())).then().statusCode(404).body(equalTo(NOT_FOUND));
        }

        @Test
        void missingAndBadCredentialsGetDrfs401s() {
            Account account = account();
            String url = userUrl(account.id());
            given().get(url).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .body(equalTo("{\"detail\":\"Authentication credentials were not provided.\"}"));
            auth("Basic dXNlcjpwYXNz").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Authentication credentials were not provided.\"}"));
            auth("Token").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Invalid token header. No credentials provided.\"}"));
            auth("Token a b").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Invalid token header. Token string should not contain spaces.\"}"));
            auth("Token bogus").get(url).then().statusCode(401).body(equalTo("{\"detail\":\"Invalid token.\"}"));
            auth("Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Invalid token.\"}"));
        }

        @Test
        void aKeyDiesWithItsSession() {
            Account account = account();
            String key = key(account);
            realm.admin().logoutUser(account.id());
            auth("Token " + key).get(userUrl(account.id())).then().statusCode(401).body(equalTo("{\"detail\":\"Invalid token.\"}"));
            String second = key(account);
            realm.admin().updateUser(account.id(), Map.of("enabled", false));
            auth("Token " + second).get(userUrl(account.id())).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"User inactive or deleted.\"}"));
        }

        @Test
        void keycloakAccessTokensWorkAsBearerForTheirOwnUser() {
            Account account = account();
            Account other = account();
            String access = accessToken(account.username(), PASSWORD);
            auth("Bearer " + access).get(userUrl(account.id())).then().statusCode(200).body(equalTo(json(account)));
            auth("Bearer " + access).get(userUrl(other.id())).then().statusCode(404).body(equalTo(NOT_FOUND));
            String viewer = accessToken("viewer", "Viewer-pass-1");
            auth("Bearer " + viewer).get(userUrl(other.id())).then().statusCode(404);
        }

        @Test
        void aRealmAdministratorsAccessTokenReachesEveryone() {
            Account account = account();
            String admin = accessToken("user-admin", "Admin-pass-1");
            auth("Bearer " + admin).get(userUrl(account.id())).then().statusCode(200).body(equalTo(json(account)));
            auth("Bearer " + admin).body(Map.of("first_name", "Amazing")).patch(userUrl(account.id())).then().statusCode(200)
                    .body("first_name", equalTo("Amazing"));
            assertThat(realm.admin().events("UPDATE_PROFILE")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("details").path("admin_user_id").asText()).isEqualTo(userId("user-admin"));
            });
            auth("Bearer " + admin).get(userUrl(UUID.randomUUID().toString())).then().statusCode(404);

            // Keys are for the user itself, even an administrator's.
            String adminKey = key("user-admin", "Admin-pass-1");
            auth("Token " + adminKey).get(userUrl(account.id())).then().statusCode(404);

            auth("Bearer " + admin).delete(userUrl(account.id())).then().statusCode(204);
            assertThat(realm.admin().userByUsername(account.username())).isEmpty();
        }
    }

    // ---- the user path ---------------------------------------------------------------------------------------------

    @Nested
    class UserPath {

        @Test
        void putAndPatchUpdateNamesAndEmail() {
            Account account = account();
            String key = key(account);
            realm.admin().updateUser(account.id(), Map.of("emailVerified", true));
            String newEmail = "new-" + account.email();

            // Changing one's own email needs the current password (a key alone must not move the account away).
            auth("Token " + key).body(Map.of("first_name", "Anita", "last_name", "Borg", "email", newEmail.toUpperCase(),
                            "current_password", PASSWORD))
                    .put(userUrl(account.id())).then().statusCode(200).body(equalTo(json(account, "Anita", "Borg", newEmail)));
            JsonNode user = realm.admin().user(account.id());
            assertThat(user.path("firstName").asText()).isEqualTo("Anita");
            assertThat(user.path("email").asText()).isEqualTo(newEmail);
            assertThat(user.path("emailVerified").asBoolean()).as("a new address is unverified").isFalse();
            assertThat(realm.admin().events("UPDATE_PROFILE")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("details").path("updated_email").asText()).isEqualTo(newEmail);
            });

            auth("Bearer " + key).body(Map.of("last_name", "")).patch(userUrl(account.id())).then().statusCode(200)
                    .body(equalTo(json(account, "Anita", "", newEmail)));
            given().header("Authorization", "Token " + key).formParam("first_name", "Frances")
                    .patch(userUrl(account.id())).then().statusCode(200).body("first_name", equalTo("Frances"));
        }

        @Test
        void anEmailOfAnotherUserOrAnInvalidOneIs400() {
            Account account = account();
            Account other = account();
            String key = key(account);
            auth("Token " + key).body(Map.of("email", other.email(), "current_password", PASSWORD)).patch(userUrl(account.id()))
                    .then().statusCode(400).body(equalTo("{\"email\":[\"A user with that email already exists.\"]}"));
            auth("Token " + key).body(Map.of("email", "not-an-email")).put(userUrl(account.id())).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"Enter a valid email address.\"]}"));
            auth("Token " + key).body(Map.of("first_name", "x".repeat(151))).patch(userUrl(account.id())).then().statusCode(400)
                    .body(equalTo("{\"first_name\":[\"Ensure this field has no more than 150 characters.\"]}"));
            assertThat(realm.admin().user(account.id()).path("email").asText()).isEqualTo(account.email());
        }

        @Test
        void deleteRemovesTheKeycloakUser() {
            Account account = account();
            Account other = account();
            String key = key(account);
            auth("Token " + key).delete(userUrl(other.id())).then().statusCode(404);
            assertThat(realm.admin().userByUsername(other.username())).isPresent();

            auth("Token " + key).delete(userUrl(account.id())).then().statusCode(204).body(equalTo(""));
            assertThat(realm.admin().userByUsername(account.username())).isEmpty();
            auth("Token " + key).get(userUrl(account.id())).then().statusCode(401);
            assertThat(realm.admin().events("DELETE_ACCOUNT"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
        }

        @Test
        void postChangesThePasswordAndEndsTheOtherSessions() {
            Account account = account();
            String otherKey = key(account);
            String key = key(account);

            auth("Token " + key).body(Map.of("old_password", "Wrong-pass-1", "new_password", "Fresh-pass-22"))
                    .post(userUrl(account.id())).then().statusCode(400).body(equalTo("{\"old_password\":[\"Wrong password.\"]}"));
            auth("Token " + key).body(Map.of("old_password", PASSWORD, "new_password", "1234"))
                    .post(userUrl(account.id())).then().statusCode(400).body(equalTo("{\"new_password\":[\"This password is too "
                            + "short. It must contain at least 8 characters.\",\"This password is entirely numeric.\"]}"));
            auth("Token " + key).body(Map.of("old_password", PASSWORD)).post(userUrl(account.id())).then().statusCode(400)
                    .body(equalTo("{\"new_password\":[\"This field is required.\"]}"));

            auth("Token " + key).body(Map.of("old_password", PASSWORD, "new_password", "Fresh-pass-22"))
                    .post(userUrl(account.id())).then().statusCode(200)
                    .body(equalTo("{\"status\":\"success\",\"code\":200,\"message\":\"Password updated successfully\",\"data\":[]}"));

            auth("Token " + key).get(userUrl(account.id())).then().statusCode(200);
            auth("Token " + otherKey).get(userUrl(account.id())).then().statusCode(401);
            post(TOKEN_AUTH, Map.of("username", account.username(), "password", PASSWORD)).then().statusCode(400);
            key(account.username(), "Fresh-pass-22");
            assertThat(realm.admin().events("UPDATE_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
        }

        @Test
        void otherMethodsAre405() {
            Account account = account();
            auth("Token " + key(account)).get(realm.realmUrl() + USERS).then().statusCode(405).header("Allow", "OPTIONS, POST")
                    .body(equalTo("{\"detail\":\"Method \\\"GET\\\" not allowed.\"}"));
            given().get(realm.realmUrl() + TOKEN_AUTH).then().statusCode(405);
        }
    }

    // ---- django-rest-passwordreset ---------------------------------------------------------------------------------

    @Nested
    class PasswordReset {

        @Test
        void theTrioResetsThePasswordOnceAndEndsEverySession() {
            Account account = account();
            String key = key(account);

            post(RESET, Map.of("email", account.email().toUpperCase())).then().statusCode(200).body(equalTo(STATUS_OK));
            MailServer.Email sent = email(account.email(), 1);
            assertThat(sent.subject()).isEqualTo("Reset your Users API Test password");
            assertThat(sent.text()).contains("24 hours");
            String token = resetToken(sent);

            post(RESET + "validate_token/", Map.of("token", token)).then().statusCode(200).body(equalTo(STATUS_OK));
            post(RESET + "confirm/", Map.of("token", token, "password", "Brand-new-pass-4")).then().statusCode(200)
                    .body(equalTo(STATUS_OK));

            auth("Token " + key).get(userUrl(account.id())).then().statusCode(401);
            assertThat(realm.admin().userSessions(account.id())).isEmpty();
            assertThat(realm.admin().user(account.id()).path("emailVerified").asBoolean()).isTrue();
            post(TOKEN_AUTH, Map.of("username", account.username(), "password", PASSWORD)).then().statusCode(400);
            key(account.username(), "Brand-new-pass-4");

            post(RESET + "validate_token/", Map.of("token", token)).then().statusCode(404).body(equalTo(INVALID_TOKEN));
            post(RESET + "confirm/", Map.of("token", token, "password", "Another-pass-5")).then().statusCode(404)
                    .body(equalTo(INVALID_TOKEN));
            assertThat(realm.admin().events("SEND_RESET_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
            assertThat(realm.admin().events("RESET_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
        }

        @Test
        void unknownEmailsGetTheSameAnswerAndNothingIsSent() {
            String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            post(RESET, Map.of("email", unknown)).then().statusCode(200).body(equalTo(STATUS_OK));
            given().formParam("email", unknown.replace("nobody", "noone")).post(realm.realmUrl() + RESET)
                    .then().statusCode(200).body(equalTo(STATUS_OK));
            assertEmailCount(unknown, 0);
        }

        @Test
        void invalidTokensAre404AndPolicyErrorsKeepTheToken() {
            post(RESET + "validate_token/", Map.of("token", "x")).then().statusCode(404).body(equalTo(INVALID_TOKEN));
            post(RESET + "confirm/", Map.of("token", "A".repeat(40), "password", PASSWORD)).then().statusCode(404)
                    .body(equalTo(INVALID_TOKEN));
            post(RESET + "confirm/", Map.of("password", PASSWORD)).then().statusCode(400)
                    .body(equalTo("{\"token\":[\"This field is required.\"]}"));

            Account account = account();
            post(RESET, Map.of("email", account.email())).then().statusCode(200);
            String token = resetToken(email(account.email(), 1));
            post(RESET + "confirm/", Map.of("token", token, "password", "short")).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"This password is too short. It must contain at least 8 characters.\"]}"));
            post(RESET + "validate_token/", Map.of("token", token)).then().statusCode(200);
            given().formParams(Map.of("token", token, "password", "Brand-new-pass-4")).post(realm.realmUrl() + RESET + "confirm/")
                    .then().statusCode(200);
        }

        @Test
        void aPasswordChangeOrANewerTokenInvalidatesTheOldOne() {
            Account account = account();
            post(RESET, Map.of("email", account.email())).then().statusCode(200);
            String first = resetToken(email(account.email(), 1));
            realm.admin().resetPassword(account.id(), "Admin-set-pass-3");
            post(RESET + "validate_token/", Map.of("token", first)).then().statusCode(404);

            realm.admin().updateRealmAttributes(Map.of("dropin.users-api.codeResendCooldown", "0"));
            try {
                post(RESET, Map.of("email", account.email())).then().statusCode(200);
                String second = resetToken(email(account.email(), 2));
                post(RESET, Map.of("email", account.email())).then().statusCode(200);
                String third = resetToken(email(account.email(), 3));
                post(RESET + "validate_token/", Map.of("token", second)).then().statusCode(404);
                post(RESET + "validate_token/", Map.of("token", third)).then().statusCode(200);
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.users-api.codeResendCooldown", ""));
            }
        }

        @Test
        void aSecondRequestWithinTheCooldownIs429ForKnownAndUnknownAlike() {
            Account account = account();
            for (String email : List.of(account.email(), "ghost-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test")) {
                post(RESET, Map.of("email", email)).then().statusCode(200);
                post(RESET, Map.of("email", email)).then().statusCode(429).header("Retry-After", notNullValue())
                        .body("detail", startsWith("Request was throttled. Expected available in "));
            }
            assertEmailCount(account.email(), 1);
        }

        @Test
        void theLifetimeIsConfigurable(KeycloakServer server) {
            Account account = account();
            Map<String, String> attributes = new HashMap<>();
            attributes.put("dropin.users-api.resetTokenLifetime", "60");
            realm.admin().updateRealmAttributes(attributes);
            try {
                post(RESET, Map.of("email", account.email())).then().statusCode(200);
                MailServer.Email sent = email(account.email(), 1);
                assertThat(sent.text()).contains("expires in 1 minute.");
                String token = resetToken(sent);
                post(RESET + "validate_token/", Map.of("token", token)).then().statusCode(200);
                server.moveClock(Duration.ofSeconds(61));
                post(RESET + "validate_token/", Map.of("token", token)).then().statusCode(404).body(equalTo(INVALID_TOKEN));
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.users-api.resetTokenLifetime", ""));
            }
        }
    }

    @Nested
    class BadInput {

        @Test
        void malformedBodiesAre4xxInDrfShape() {
            post(USERS, "{\"username\": ").then().statusCode(400).body("detail", startsWith("JSON parse error - "));
            post(USERS, "\"just a string\"").then().statusCode(400)
                    .body(equalTo("{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got str.\"]}"));
            given().contentType("application/xml").body("<u/>").post(realm.realmUrl() + USERS).then().statusCode(415)
                    .body(equalTo("{\"detail\":\"Unsupported media type \\\"application/xml; charset=ISO-8859-1\\\" in request.\"}"));
            post(USERS, Map.of("username", List.of("a"), "password", true)).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"Not a valid string.\"],\"password\":[\"Not a valid string.\"]}"));
            post(TOKEN_AUTH, "{\"username\": \"" + "y".repeat(70_000) + "\"}").then().statusCode(413);
        }

        @Test
        void trailingSlashesAreOptionalAndUnknownPathsAre404() {
            Account account = account();
            post("/users-api/api-token-auth", Map.of("username", account.username(), "password", PASSWORD)).then().statusCode(200);
            post("/users-api/api/password_reset/validate_token", Map.of("token", "x")).then().statusCode(404)
                    .body(equalTo(INVALID_TOKEN));
            given().get(realm.realmUrl() + "/users-api/api/v2/users/").then().statusCode(404).body(equalTo(NOT_FOUND));
        }
    }
}
