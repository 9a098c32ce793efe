package io.github.dropin.keycloak.it.tokenauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.BAD_CREDENTIALS;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.INVALID_CODE;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.INVALID_TOKEN;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.PASSWORD;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.REGISTERED;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.VERIFIED;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.newEmail;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.newUsername;
import static io.github.dropin.keycloak.it.tokenauth.TokenAuthIT.registration;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code token-auth} on a two-node cluster (SPEC §2.2, §4.1): verification codes (unique among pending ones,
 * because {@code verify-user} takes nothing but the code), their cooldowns and limits, the per-IP limit on
 * {@code verify-user}, and the session-bound {@code Token} keys hold across nodes, under bursts split across them.
 */
@KeycloakCluster("realms/token-auth.json")
class TokenAuthClusterIT {

    static final String LOGGED_OUT = "{\"success_message\":\"Successfully Logged Out.\"}";
    static final String THROTTLED = "\\{\"detail\":\"Request was throttled\\. Expected available in \\d+ seconds?\\.\"}";

    final Cluster cluster;
    final ClusterRealm realm;
    final MailServer mail;

    TokenAuthClusterIT(Cluster cluster, ClusterRealm realm, MailServer mail) {
        this.cluster = cluster;
        this.realm = realm;
        this.mail = mail;
    }

    static Response post(ClusterRealm realm, ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + path);
    }

    Response post(ClusterNode node, String path, Object body) {
        return post(realm, node, path, body);
    }

    Response withKey(ClusterNode node, String key, String path) {
        return given().header("Authorization", "Token " + key).get(realm.on(node).realmUrl() + path);
    }

    /** Registers through {@code node} with a phone number (and an email if given): {username, phone, id, code}. */
    Map<String, String> register(ClusterNode node, String email) {
        String username = newUsername();
        String phone = Phones.next();
        node.log().mark();
        post(node, TokenAuthIT.REGISTER, registration(username, phone, email == null ? "" : email))
                .then().statusCode(200).body(equalTo(REGISTERED));
        String code = node.inbox().awaitSms(realm.name(), phone).code();
        String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();
        Map<String, String> account = new HashMap<>(Map.of("username", username, "phone", phone, "id", id, "code", code));
        if (email != null) {
            account.put("email", email);
        }
        return account;
    }

    /** A verified account (through {@code node}) signed in through {@code node}: adds its key. */
    Map<String, String> signedIn(ClusterNode node) {
        Map<String, String> account = register(node, null);
        post(node, TokenAuthIT.VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
        account.put("key", login(node, account.get("username")));
        return account;
    }

    String login(ClusterNode node, String username) {
        Response response = post(node, TokenAuthIT.LOGIN, Map.of("username", username, "password", PASSWORD));
        response.then().statusCode(200);
        return response.path("token");
    }

    JsonNode user(String id) {
        return realm.admin().user(id);
    }

    @Nested
    class Codes {

        @Test
        void codesSentByAVerifyOnBOnceAndEachMarksOnlyItsOwnChannel() {
            String email = newEmail();
            Map<String, String> account = register(cluster.a(), email);
            String emailCode = mail.awaitEmail(email).code();

            post(cluster.b(), TokenAuthIT.VERIFY, Map.of("code", account.get("code")))
                    .then().statusCode(200).body(equalTo(VERIFIED));
            assertThat(TokenAuthIT.attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("true");
            assertThat(user(account.get("id")).path("emailVerified").asBoolean()).isFalse();
            post(cluster.a(), TokenAuthIT.VERIFY, Map.of("code", account.get("code")))
                    .then().statusCode(400).body(equalTo(INVALID_CODE));
            post(cluster.b(), TokenAuthIT.VERIFY, Map.of("code", account.get("code")))
                    .then().statusCode(400).body(equalTo(INVALID_CODE));

            post(cluster.a(), TokenAuthIT.VERIFY, Map.of("code", emailCode)).then().statusCode(200);
            assertThat(user(account.get("id")).path("emailVerified").asBoolean()).isTrue();
        }

        /**
         * Registrations split across the nodes, with 4-digit codes: every pending code is different, and each,
         * verified on the other node, finds its own account. The index from code to account is in the replicated
         * store, reserved with the cluster-atomic {@code putIfAbsent}.
         */
        @Test
        void pendingCodesStayUniqueAcrossNodesAndEachFindsItsAccountOnTheOtherNode() throws Exception {
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeLength", "4"));
            try {
                int count = 20;
                List<String> usernames = new ArrayList<>();
                List<String> phones = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    usernames.add(newUsername());
                    phones.add(Phones.next());
                }
                List<Integer> statuses = Burst.statuses(count, i -> post(cluster.next(i), TokenAuthIT.REGISTER,
                        registration(usernames.get(i), phones.get(i), "")));
                assertThat(statuses).containsOnly(200);

                List<String> codes = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    codes.add(cluster.next(i).inbox().awaitSms(realm.name(), phones.get(i)).code());
                }
                assertThat(codes).allSatisfy(code -> assertThat(code).hasSize(4));
                assertThat(new HashSet<>(codes)).as("pending codes %s", codes).hasSize(count);

                for (int i = 0; i < count; i++) {
                    post(cluster.next(i + 1), TokenAuthIT.VERIFY, Map.of("code", codes.get(i))).then().statusCode(200);
                    String id = realm.admin().userByUsername(usernames.get(i)).orElseThrow().path("id").asText();
                    assertThat(TokenAuthIT.attribute(user(id), "phoneNumberVerified")).as(usernames.get(i)).isEqualTo("true");
                }
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeLength", ""));
            }
        }

        @Test
        void fiftyParallelVerificationsOfOneCodeSplitAcrossNodesSucceedExactlyOnce() throws Exception {
            Map<String, String> account = register(cluster.a(), null);

            List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), TokenAuthIT.VERIFY,
                    Map.of("code", account.get("code"))));

            assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
            assertThat(responses).filteredOn(r -> r.statusCode() == 400)
                    .hasSize(Burst.SIZE - 1).allSatisfy(r -> assertThat(r.asString()).isEqualTo(INVALID_CODE));
            assertThat(TokenAuthIT.attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("true");
            assertThat(realm.admin().events("UPDATE_PROFILE")).filteredOn(e -> account.get("id").equals(e.path("userId").asText()))
                    .hasSize(1);
            // None of them guessed: nothing counts towards the brute-force lock (the fixture locks after 3 failures).
            realm.admin().assertNoBruteForceFailures(account.get("id"), Duration.ofSeconds(2));
        }

        /**
         * The cooldown a registration sets on A holds on B; once it is lifted, the hourly limit per account and channel
         * (5, the registration's code included) lets exactly 4 more codes through a burst split across both nodes.
         */
        @Test
        void theCooldownAndTheHourlyLimitHoldForABurstOfResendsSplitAcrossNodes() throws Exception {
            Map<String, String> account = register(cluster.a(), null);
            Map<String, String> credentials = Map.of("username", account.get("username"), "password", PASSWORD);
            post(cluster.b(), TokenAuthIT.RESEND, credentials).then().statusCode(429);

            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeResendCooldown", "0"));
            try {
                cluster.nodes().forEach(node -> node.log().mark());
                // Each resend checks the password first (an argon2 hash): 20 requests are plenty of overlap.
                List<Integer> statuses = Burst.statuses(20, i -> post(cluster.next(i), TokenAuthIT.RESEND, credentials));

                assertThat(statuses).containsOnly(200, 429);
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(4);
                awaitSmsCount(account.get("phone"), 4);
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeResendCooldown", ""));
            }
        }
    }

    /** 50 registrations at once of one username, one phone number or one email, split across nodes: one account. */
    @Nested
    class Uniqueness {

        @ParameterizedTest
        @ValueSource(strings = {"username", "phone_number", "email"})
        void fiftyParallelRegistrationsSharingOneValueSplitAcrossNodesMakeExactlyOneUser(String shared) throws Exception {
            String username = newUsername();
            String phone = Phones.next();
            String email = newEmail();
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (int i = 0; i < Burst.SIZE; i++) {
                bodies.add(registration(
                        shared.equals("username") ? (i % 2 == 0 ? username : username.toUpperCase()) : newUsername(),
                        shared.equals("phone_number") ? (i % 2 == 0 ? phone : Phones.spaced(phone)) : Phones.next(),
                        shared.equals("email") ? (i % 2 == 0 ? email : email.toUpperCase()) : newEmail()));
            }

            List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), TokenAuthIT.REGISTER,
                    bodies.get(i)));

            assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
            String taken = switch (shared) {
                case "username" -> "A user with that username already exists.";
                case "phone_number" -> "A user with that phone number already exists.";
                default -> "A user with that email already exists.";
            };
            assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(Burst.SIZE - 1)
                    .allSatisfy(r -> {
                        assertThat(r.statusCode()).isEqualTo(400);
                        assertThat(r.jsonPath().getList("error_message." + shared, String.class)).containsExactly(taken);
                    });
            List<JsonNode> users = switch (shared) {
                case "username" -> realm.admin().findUsers(Map.of("username", username, "exact", true));
                case "phone_number" -> realm.admin().usersByAttribute("phoneNumber", phone);
                default -> realm.admin().findUsers(Map.of("email", email, "exact", true));
            };
            assertThat(users).hasSize(1);
        }
    }

    @Nested
    class Keys {

        @Test
        void aKeyIssuedOnAWorksOnBAndALogoutOnBEndsItOnBothNodes() {
            Map<String, String> account = signedIn(cluster.a());

            withKey(cluster.b(), account.get("key"), TokenAuthIT.PROFILE).then().statusCode(200)
                    .body("id", equalTo(account.get("id"))).body("is_phone_verified", equalTo(true));
            withKey(cluster.b(), account.get("key"), TokenAuthIT.LOGOUT).then().statusCode(200).body(equalTo(LOGGED_OUT));

            withKey(cluster.a(), account.get("key"), TokenAuthIT.PROFILE).then().statusCode(401)
                    .header("WWW-Authenticate", "Token").body(equalTo(INVALID_TOKEN));
            withKey(cluster.b(), account.get("key"), TokenAuthIT.PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            assertThat(realm.admin().userSessions(account.get("id"))).isEmpty();
        }

        @Test
        void aPasswordChangeOnBEndsEveryOtherKeyOnBothNodesAndTheNewKeyWorksOnA() {
            Map<String, String> account = signedIn(cluster.a());
            String second = login(cluster.b(), account.get("username"));
            assertThat(realm.admin().userSessions(account.get("id"))).hasSize(2);

            Response changed = given().header("Authorization", "Token " + account.get("key")).contentType(ContentType.JSON)
                    .body(Map.of("old_password", PASSWORD, "new_password", "battery staple 43"))
                    .post(realm.b().realmUrl() + TokenAuthIT.CHANGE_PASSWORD);
            changed.then().statusCode(200);
            String fresh = changed.path("token");

            for (ClusterNode node : cluster.nodes()) {
                withKey(node, account.get("key"), TokenAuthIT.PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
                withKey(node, second, TokenAuthIT.PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
                withKey(node, fresh, TokenAuthIT.PROFILE).then().statusCode(200).body("id", equalTo(account.get("id")));
            }
            assertThat(realm.admin().userSessions(account.get("id"))).hasSize(1);
            post(cluster.a(), TokenAuthIT.LOGIN, Map.of("username", account.get("username"), "password", PASSWORD))
                    .then().statusCode(400).body(equalTo(BAD_CREDENTIALS));
        }
    }

    /** The per-IP limit on {@code verify-user}, counted in a fresh realm so that only this burst counts. */
    @Nested
    @KeycloakCluster("realms/token-auth.json")
    class VerifyLimitPerIp {

        static final int LIMIT = 10;

        final ClusterRealm fresh;

        VerifyLimitPerIp(ClusterRealm fresh) {
            this.fresh = fresh;
        }

        @Test
        void exactlyTheLimitOfGuessesGetsThroughABurstSplitAcrossNodesAndThenEvenARightCodeIsRefused() throws Exception {
            fresh.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeVerifyHourlyLimitPerIp", Integer.toString(LIMIT)));
            String phone = Phones.next();
            String username = newUsername();
            cluster.a().log().mark();
            post(fresh, cluster.a(), TokenAuthIT.REGISTER, registration(username, phone, "")).then().statusCode(200);
            String code = cluster.a().inbox().awaitSms(fresh.name(), phone).code();
            String wrong = code.equals("00000") ? "11111" : "00000";

            List<Response> responses = Burst.responses(Burst.SIZE, i -> post(fresh, cluster.next(i), TokenAuthIT.VERIFY,
                    Map.of("code", wrong)));

            assertThat(responses).filteredOn(r -> r.statusCode() == 400).hasSize(LIMIT)
                    .allSatisfy(r -> assertThat(r.asString()).isEqualTo(INVALID_CODE));
            assertThat(responses).filteredOn(r -> r.statusCode() == 429).hasSize(Burst.SIZE - LIMIT)
                    .allSatisfy(r -> {
                        assertThat(r.asString()).matches(THROTTLED);
                        assertThat(r.header("Retry-After")).isNotBlank();
                    });
            // Counted before the code is looked at: the right code is refused too, on either node.
            for (ClusterNode node : cluster.nodes()) {
                post(fresh, node, TokenAuthIT.VERIFY, Map.of("code", code)).then().statusCode(429);
            }
            String id = fresh.admin().userByUsername(username).orElseThrow().path("id").asText();
            assertThat(TokenAuthIT.attribute(fresh.admin().user(id), "phoneNumberVerified")).isEqualTo("false");
        }
    }

    void awaitSmsCount(String phone, long expected) throws InterruptedException {
        cluster.awaitSmsCount(realm.name(), phone, expected);
    }
}
