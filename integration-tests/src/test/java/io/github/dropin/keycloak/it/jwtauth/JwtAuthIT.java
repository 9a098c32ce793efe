package io.github.dropin.keycloak.it.jwtauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code jwt-auth} (SPEC §4.5, seed 004) against a real Keycloak: every row with JSON and form bodies,
 * SimpleJWT's and DRF's error bodies, and Keycloak's state afterwards (users, credentials, sessions, events).
 * The fixture has the password policy {@code length(8) and notUsername and notEntirelyNumeric} and brute-force
 * detection on (3 failures lock for 60 s).
 */
@KeycloakRealm("realms/jwt-auth.json")
class JwtAuthIT {

    static final String TOKEN = "/jwt-auth/auth/token";
    static final String REFRESH = "/jwt-auth/auth/token/refresh";
    static final String VERIFY = "/jwt-auth/auth/token/verify";
    static final String REGISTER = "/jwt-auth/auth/register";
    static final String GETUSER = "/jwt-auth/auth/getuser";
    static final String PASSWORD = "correct horse 42";
    static final String NO_ACCOUNT = "{\"detail\":\"No active account found with the given credentials\"}";
    static final String NOT_VALID = "{\"detail\":\"Token is invalid or expired\",\"code\":\"token_not_valid\"}";
    /** SimpleJWT's answer to a refresh token that was used (rotated) or whose session ended. */
    static final String BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";
    /** SimpleJWT's verify view on a blacklisted token: its serializer's error. */
    static final String VERIFY_BLACKLISTED = "{\"non_field_errors\":[\"Token is blacklisted\"]}";
    static final String WRONG_TYPE = "{\"detail\":\"Token has wrong type\",\"code\":\"token_not_valid\"}";
    static final String BEARER_CHALLENGE = "Bearer realm=\"api\"";
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;

    JwtAuthIT(TestRealm realm) {
        this.realm = realm;
    }

    static String newUsername() {
        return "jwt" + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    Response postForm(String path, Map<String, String> form) {
        return given().formParams(form).post(realm.realmUrl() + path);
    }

    /** A user with {@link #PASSWORD}, created through the admin API; returns its id. */
    String createUser(String username) {
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true));
        realm.admin().resetPassword(id, PASSWORD);
        return id;
    }

    /** {refresh, access} for a fresh user; the user's id under "id" and name under "username". */
    Map<String, String> signIn() {
        String username = newUsername();
        String id = createUser(username);
        Response response = post(TOKEN, Map.of("username", username, "password", PASSWORD));
        response.then().statusCode(200);
        return Map.of("id", id, "username", username, "refresh", response.path("refresh"), "access", response.path("access"));
    }

    static List<String> errors(List<JsonNode> events, String userId) {
        return events.stream().filter(e -> userId.equals(e.path("userId").asText())).map(e -> e.path("error").asText()).toList();
    }

    @Nested
    class Token {

        @Test
        void rightPasswordGivesRealmSignedTokensAndASession() {
            String username = newUsername();
            String id = createUser(username);

            Response response = post(TOKEN, Map.of("username", username, "password", PASSWORD));

            response.then().statusCode(200).contentType(ContentType.JSON);
            assertThat(response.asString()).startsWith("{\"refresh\":\"").contains("\",\"access\":\"");
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("refresh", "access");
            JsonNode claims = Jwts.verifiedPayload(realm, response.path("access"));
            assertThat(claims.path("iss").asText()).isEqualTo(realm.realmUrl());
            assertThat(claims.path("sub").asText()).isEqualTo(id);
            assertThat(claims.path("azp").asText()).isEqualTo("jwt-auth");
            assertThat(claims.path("preferred_username").asText()).isEqualTo(username);
            assertThat(Jwts.payload(response.path("refresh")).path("typ").asText()).isEqualTo("Refresh");

            List<JsonNode> sessions = realm.admin().userSessions(id);
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("clients").toString()).contains("jwt-auth");
            assertThat(claims.path("sid").asText()).isEqualTo(sessions.get(0).path("id").asText());
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(id);
                assertThat(e.path("clientId").asText()).isEqualTo("jwt-auth");
                assertThat(e.path("details").path("dialect").asText()).isEqualTo("jwt-auth");
            });
            // Keycloak's own userinfo endpoint accepts the access token.
            given().auth().oauth2(response.path("access")).get(realm.realmUrl() + "/protocol/openid-connect/userinfo")
                    .then().statusCode(200).body("sub", equalTo(id));
        }

        @Test
        void formBodiesTrailingSlashAndAnyUsernameCase() {
            String username = newUsername();
            createUser(username);
            given().formParams(Map.of("username", username.toUpperCase(), "password", PASSWORD))
                    .post(realm.realmUrl() + TOKEN + "/")
                    .then().statusCode(200).body("access", org.hamcrest.Matchers.notNullValue());
        }

        @Test
        void wrongPasswordUnknownUserAndDisabledUserGetTheSame401() {
            String username = newUsername();
            String id = createUser(username);
            String disabled = newUsername();
            String disabledId = createUser(disabled);
            realm.admin().updateUser(disabledId, Map.of("enabled", false));

            for (Map<String, String> body : List.of(
                    Map.of("username", username, "password", "wrong password"),
                    Map.of("username", newUsername(), "password", PASSWORD),
                    Map.of("username", disabled, "password", PASSWORD))) {
                post(TOKEN, body).then().statusCode(401).header("WWW-Authenticate", BEARER_CHALLENGE)
                        .body(equalTo(NO_ACCOUNT));
            }
            assertThat(realm.admin().userSessions(id)).isEmpty();
            assertThat(realm.admin().userSessions(disabledId)).isEmpty();
            List<JsonNode> failures = realm.admin().events("LOGIN_ERROR");
            assertThat(errors(failures, id)).contains("invalid_user_credentials");
            assertThat(errors(failures, disabledId)).contains("user_disabled");
            assertThat(failures).anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("user_not_found"));
        }

        @Test
        void missingAndBlankFieldsAre400() {
            post(TOKEN, Map.of()).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}"));
            postForm(TOKEN, Map.of("username", "someone")).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"This field is required.\"]}"));
            post(TOKEN, Map.of("username", " ", "password", "")).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"This field may not be blank.\"],\"password\":[\"This field may not be blank.\"]}"));
        }

        @Test
        void onlyPostIsAllowed() {
            given().get(realm.realmUrl() + TOKEN).then().statusCode(405).header("Allow", "OPTIONS, POST")
                    .body(equalTo("{\"detail\":\"Method \\\"GET\\\" not allowed.\"}"));
        }
    }

    @Nested
    class Refresh {

        @Test
        void rotatesAndTheOldRefreshTokenStopsWorking() {
            Map<String, String> pair = signIn();

            Response response = post(REFRESH, Map.of("refresh", pair.get("refresh")));

            response.then().statusCode(200);
            assertThat(response.asString()).startsWith("{\"refresh\":\"");
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("refresh", "access");
            String newRefresh = response.path("refresh");
            assertThat(newRefresh).isNotEqualTo(pair.get("refresh"));
            JsonNode claims = Jwts.verifiedPayload(realm, response.path("access"));
            assertThat(claims.path("sub").asText()).isEqualTo(pair.get("id"));
            assertThat(Jwts.payload(newRefresh).path("sid").asText())
                    .isEqualTo(Jwts.payload(pair.get("refresh")).path("sid").asText());

            post(REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(401)
                    .header("WWW-Authenticate", BEARER_CHALLENGE).body(equalTo(BLACKLISTED));
            postForm(REFRESH, Map.of("refresh", newRefresh)).then().statusCode(200);
            assertThat(realm.admin().userSessions(pair.get("id"))).hasSize(1);
        }

        @Test
        void concurrentUsesOfOneRefreshTokenSucceedOnce() throws Exception {
            Map<String, String> pair = signIn();
            List<Integer> statuses = parallel(10, () -> post(REFRESH, Map.of("refresh", pair.get("refresh"))).statusCode());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 401).hasSize(9);
        }

        @Test
        void anAccessTokenOrGarbageIsNotARefreshToken() {
            Map<String, String> pair = signIn();
            post(REFRESH, Map.of("refresh", pair.get("access"))).then().statusCode(401).body(equalTo(WRONG_TYPE));
            post(REFRESH, Map.of("refresh", "not.a.token")).then().statusCode(401).body(equalTo(NOT_VALID));
            post(REFRESH, Map.of("refresh", tampered(pair.get("refresh")))).then().statusCode(401).body(equalTo(NOT_VALID));
        }

        @Test
        void missingRefreshIs400() {
            post(REFRESH, Map.of()).then().statusCode(400).body(equalTo("{\"refresh\":[\"This field is required.\"]}"));
            post(REFRESH, "{\"refresh\": null}").then().statusCode(400)
                    .body(equalTo("{\"refresh\":[\"This field may not be null.\"]}"));
        }
    }

    @Nested
    class Verify {

        @Test
        void liveAccessAndRefreshTokensVerify() {
            Map<String, String> pair = signIn();
            post(VERIFY, Map.of("token", pair.get("access"))).then().statusCode(200).body(equalTo("{}"));
            postForm(VERIFY + "/", Map.of("token", pair.get("refresh"))).then().statusCode(200).body(equalTo("{}"));
        }

        @Test
        void badTokensAre401() {
            Map<String, String> pair = signIn();
            for (String token : List.of("garbage", tampered(pair.get("access")), pair.get("access") + "x")) {
                post(VERIFY, Map.of("token", token)).then().statusCode(401)
                        .header("WWW-Authenticate", BEARER_CHALLENGE).body(equalTo(NOT_VALID));
            }
        }

        @Test
        void aUsedRefreshTokenNoLongerVerifies() {
            Map<String, String> pair = signIn();
            post(REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(200);
            post(VERIFY, Map.of("token", pair.get("refresh"))).then().statusCode(400).body(equalTo(VERIFY_BLACKLISTED));
        }

        @Test
        void missingTokenIs400() {
            post(VERIFY, Map.of("refresh", "x")).then().statusCode(400).body(equalTo("{\"token\":[\"This field is required.\"]}"));
        }
    }

    @Nested
    class Register {

        @Test
        void createsTheUserAndSignsItIn() {
            String username = newUsername();

            Response response = post(REGISTER, Map.of("username", username, "password", PASSWORD));

            response.then().statusCode(201);
            assertThat(response.asString()).startsWith("{\"refresh\":\"");
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("refresh", "access");
            JsonNode user = realm.admin().userByUsername(username).orElseThrow();
            String id = user.path("id").asText();
            assertThat(user.path("enabled").asBoolean()).isTrue();
            assertThat(Jwts.verifiedPayload(realm, response.path("access")).path("sub").asText()).isEqualTo(id);
            assertThat(realm.admin().credentials(id)).extracting(c -> c.path("type").asText()).containsExactly("password");
            assertThat(realm.admin().userSessions(id)).hasSize(1);
            assertThat(realm.admin().events("REGISTER")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(id);
                assertThat(e.path("details").path("register_method").asText()).isEqualTo("jwt-auth");
            });
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(id));
            // The new password works for the token row.
            post(TOKEN, Map.of("username", username, "password", PASSWORD)).then().statusCode(200);
        }

        @Test
        void aTakenUsernameIs409InAnyCase() {
            String username = newUsername();
            postForm(REGISTER, Map.of("username", username, "password", PASSWORD)).then().statusCode(201);
            int before = realm.admin().countUsers();

            post(REGISTER, Map.of("username", username.toUpperCase(), "password", "another password 1"))
                    .then().statusCode(409).body(equalTo("{\"detail\":\"User already exists\"}"));

            assertThat(realm.admin().countUsers()).isEqualTo(before);
            post(TOKEN, Map.of("username", username, "password", "another password 1")).then().statusCode(401);
            assertThat(realm.admin().events("REGISTER_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("username_in_use"));
        }

        @Test
        void missingFieldsAndInvalidUsernamesAre400() {
            post(REGISTER, Map.of()).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}"));
            int before = realm.admin().countUsers();
            post(REGISTER, Map.of("username", "no spaces allowed", "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"Enter a valid username. This value may contain only letters, numbers, "
                            + "and @/./+/-/_ characters.\"]}"));
            post(REGISTER, Map.of("username", "x".repeat(151), "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo("{\"username\":[\"Ensure this field has no more than 150 characters.\"]}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
        }

        @Test
        void concurrentRegistrationsOfOneUsernameMakeExactlyOneUser() throws Exception {
            String username = newUsername();
            List<Integer> statuses = parallel(30, () -> post(REGISTER, Map.of("username", username, "password", PASSWORD))
                    .statusCode());
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(realm.admin().findUsers(Map.of("username", username, "exact", true))).hasSize(1);
        }
    }

    /** The realm's password policy, with Django's wording, in DRF's field-error shape. */
    @Nested
    class PasswordPolicy {

        @ParameterizedTest
        @ValueSource(strings = {"short1", "1234567", "12345678"})
        void violationsAre400WithDjangosMessages(String password) {
            String expected = switch (password) {
                case "short1" -> "[\"This password is too short. It must contain at least 8 characters.\"]";
                case "1234567" -> "[\"This password is too short. It must contain at least 8 characters.\","
                        + "\"This password is entirely numeric.\"]";
                default -> "[\"This password is entirely numeric.\"]";
            };
            String username = newUsername();
            post(REGISTER, Map.of("username", username, "password", password)).then().statusCode(400)
                    .body(equalTo("{\"password\":" + expected + "}"));
            assertThat(realm.admin().userByUsername(username)).isEmpty();
        }

        @Test
        void thePasswordMayNotBeTheUsername() {
            String username = newUsername();
            post(REGISTER, Map.of("username", username, "password", username)).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"The password is too similar to the username.\"]}"));
            assertThat(realm.admin().userByUsername(username)).isEmpty();
            assertThat(realm.admin().events("REGISTER_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("password_rejected"));
            // Nothing half-done: the same username registers once the password is acceptable.
            post(REGISTER, Map.of("username", username, "password", PASSWORD)).then().statusCode(201);
        }
    }

    @Nested
    class GetUser {

        @Test
        void returnsTheUsername() {
            Map<String, String> pair = signIn();
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(200).body(equalTo("{\"username\":\"" + pair.get("username") + "\"}"));
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER + "/")
                    .then().statusCode(200);
        }

        @Test
        void withoutOrWithABadTokenIs401() {
            given().get(realm.realmUrl() + GETUSER).then().statusCode(401).header("WWW-Authenticate", BEARER_CHALLENGE)
                    .body(equalTo("{\"detail\":\"Authentication credentials were not provided.\"}"));
            String invalid = "{\"detail\":\"Given token not valid for any token type\",\"code\":\"token_not_valid\","
                    + "\"messages\":[{\"token_class\":\"AccessToken\",\"token_type\":\"access\",\"message\":\"Token is invalid or expired\"}]}";
            given().header("Authorization", "Bearer garbage").get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401).body(equalTo(invalid));
            Map<String, String> pair = signIn();
            given().header("Authorization", "Bearer " + pair.get("refresh")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401).body(equalTo(invalid.replace("Token is invalid or expired", "Token has wrong type")));
            given().header("Authorization", "Bearer " + tampered(pair.get("access"))).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401).body(equalTo(invalid));
        }
    }

    @Nested
    class AdminSignOut {

        @Test
        void endsEveryTokenOfTheUser() {
            Map<String, String> pair = signIn();
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(200);

            realm.admin().logoutUser(pair.get("id"));

            assertThat(realm.admin().userSessions(pair.get("id"))).isEmpty();
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401);
            post(VERIFY, Map.of("token", pair.get("access"))).then().statusCode(401).body(equalTo(NOT_VALID));
            // A refresh token whose session ended is what SimpleJWT calls blacklisted.
            post(VERIFY, Map.of("token", pair.get("refresh"))).then().statusCode(400).body(equalTo(VERIFY_BLACKLISTED));
            post(REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(401).body(equalTo(BLACKLISTED));
        }

        @Test
        void anExpiredAccessTokenIs401WhileItsRefreshTokenStillWorks(KeycloakServer server) {
            realm.admin().updateRealm(Map.of("accessTokenLifespan", 60));
            Map<String, String> pair;
            try {
                pair = signIn();
            } finally {
                realm.admin().updateRealm(Map.of("accessTokenLifespan", 300));
            }
            server.moveClock(Duration.ofSeconds(61));
            post(VERIFY, Map.of("token", pair.get("access"))).then().statusCode(401).body(equalTo(NOT_VALID));
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401);
            String access = post(REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(200).extract().path("access");
            given().header("Authorization", "Bearer " + access).get(realm.realmUrl() + GETUSER).then().statusCode(200);
        }

        @Test
        void aDisabledUsersTokensStopWorking() {
            Map<String, String> pair = signIn();
            realm.admin().updateUser(pair.get("id"), Map.of("enabled", false));
            given().header("Authorization", "Bearer " + pair.get("access")).get(realm.realmUrl() + GETUSER)
                    .then().statusCode(401);
            post(VERIFY, Map.of("token", pair.get("access"))).then().statusCode(401);
            post(REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(401);
        }
    }

    @Nested
    class BruteForce {

        @Test
        void aLockedUserGetsTheLoginErrorEvenWithTheRightPassword() {
            String username = newUsername();
            String id = createUser(username);
            for (int i = 0; i < 3; i++) {
                post(TOKEN, Map.of("username", username, "password", "wrong password " + i)).then().statusCode(401)
                        .body(equalTo(NO_ACCOUNT));
            }
            realm.admin().awaitBruteForceLock(id);
            assertThat(realm.admin().bruteForceStatus(id).path("numFailures").asInt()).isEqualTo(3);

            post(TOKEN, Map.of("username", username, "password", PASSWORD)).then().statusCode(401).body(equalTo(NO_ACCOUNT));

            assertThat(realm.admin().userSessions(id)).isEmpty();
            List<String> errors = errors(realm.admin().events("LOGIN_ERROR"), id);
            assertThat(errors).containsExactly("user_temporarily_disabled", "invalid_user_credentials",
                    "invalid_user_credentials", "invalid_user_credentials");
            // The lock, nothing else, was the reason: once an administrator lifts it, the password works.
            realm.admin().request().delete("/attack-detection/brute-force/users/{id}", id).then().statusCode(204);
            post(TOKEN, Map.of("username", username, "password", PASSWORD)).then().statusCode(200);
        }
    }

    /** A token whose payload was changed, keeping header and signature. */
    static String tampered(String jwt) {
        String[] parts = jwt.split("\\.");
        JsonNode payload = Jwts.payload(jwt);
        String changed = payload.toString().replace(payload.path("sub").asText(), "00000000-0000-0000-0000-000000000000");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    }

    static List<Integer> parallel(int n, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16));
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
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
}
