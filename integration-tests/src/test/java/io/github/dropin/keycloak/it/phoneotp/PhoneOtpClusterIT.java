package io.github.dropin.keycloak.it.phoneotp;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.Phones;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Dialect {@code phone-otp} on a two-node cluster (SPEC §2.2): every piece of state the dialect keeps (pending codes,
 * attempt counters, cooldowns, hourly limits, uniqueness locks, registration tokens, sessions) is seen by both nodes
 * and holds under bursts split across them. That it survives the death of the node that created it is shown with
 * every other dialect's state in {@code cluster.FailoverClusterIT} (one {@code kill -9} for all).
 */
@KeycloakCluster("realms/phone-otp.json")
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class PhoneOtpClusterIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String VERIFY = "/phone-otp/auth/api/verify/";
    static final String LOGIN = "/phone-otp/auth/api/login/";
    static final String LOGIN_VERIFY = "/phone-otp/auth/api/login/verify/";
    static final String TOKEN = "/protocol/openid-connect/token";
    static final String USERINFO = "/protocol/openid-connect/userinfo";
    static final String LOGOUT = "/protocol/openid-connect/logout";
    static final int BURST = Burst.SIZE;

    final Cluster cluster;
    final ClusterRealm realm;

    PhoneOtpClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    static Response post(ClusterRealm realm, ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + path);
    }

    Response post(ClusterNode node, String path, Object body) {
        return post(realm, node, path, body);
    }

    /** A registered, unverified account, made through {@code node}: {phone, token, userId, code}. */
    Map<String, String> register(ClusterNode node) {
        String phone = Phones.next();
        node.log().mark();
        Response response = post(node, REGISTER, Map.of("phonenumber", phone));
        response.then().statusCode(200);
        String code = node.inbox().awaitSms(realm.name(), phone).code();
        String userId = realm.admin().userByUsername(phone).orElseThrow().path("id").asText();
        return Map.of("phone", phone, "token", response.path("token"), "userId", userId, "code", code);
    }

    /** Asks {@code node} for a login code and returns it. */
    String requestLogin(ClusterNode node, Map<String, String> account) {
        node.log().mark();
        post(node, LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(200)
                .body("user_id", equalTo(account.get("userId")));
        return node.inbox().awaitSms(realm.name(), account.get("phone")).code();
    }

    /** Signs in through {@code node}: {access_token, refresh_token}. */
    Map<String, String> signIn(ClusterNode node, Map<String, String> account) {
        String code = requestLogin(node, account);
        Response tokens = post(node, LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")));
        tokens.then().statusCode(200);
        return Map.of("access_token", tokens.path("access_token"), "refresh_token", tokens.path("refresh_token"));
    }

    static Response refresh(ClusterRealm realm, ClusterNode node, String refreshToken) {
        return given().formParams(Map.of("grant_type", "refresh_token", "client_id", "phone-otp",
                "refresh_token", refreshToken)).post(realm.on(node).realmUrl() + TOKEN);
    }

    static Response userinfo(ClusterRealm realm, ClusterNode node, String accessToken) {
        return given().auth().oauth2(accessToken).get(realm.on(node).realmUrl() + USERINFO);
    }

    /** {@link Burst#statuses}: {@code count} requests at once, their status codes in request order. */
    static List<Integer> burst(int count, IntFunction<Response> request) throws Exception {
        return Burst.statuses(count, request);
    }

    static String attribute(ClusterRealm realm, String userId, String name) {
        return realm.admin().user(userId).path("attributes").path(name).path(0).asText(null);
    }

    @Nested
    @Order(1)
    class CodesAcrossNodes {

        @Test
        void aRegistrationCodeSentByAVerifiesOnB() {
            Map<String, String> account = register(cluster.a());

            post(cluster.b(), VERIFY, Map.of("code", account.get("code"), "token", account.get("token"),
                    "phone", account.get("phone")))
                    .then().statusCode(200).body(equalTo("{\"message\":\"User verify Successfully!\"}"));

            assertThat(attribute(realm, account.get("userId"), "phoneNumberVerified")).isEqualTo("true");
        }

        @Test
        void aLoginCodeSentByAVerifiesOnBAndGivesASession() {
            Map<String, String> account = register(cluster.a());
            String code = requestLogin(cluster.a(), account);

            Response tokens = post(cluster.b(), LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")));

            tokens.then().statusCode(200).body("access_token", notNullValue()).body("refresh_token", notNullValue());
            assertThat(realm.admin().userSessions(account.get("userId"))).hasSize(1);
        }

        /**
         * Each node remembers which user a number named (UsersByAttribute); a number moved through node A must reach
         * its new owner on node B at once, whatever B remembered.
         */
        @Test
        void aNumberMovedThroughAReachesItsNewOwnerOnB() {
            Map<String, String> first = register(cluster.a());
            Map<String, String> second = register(cluster.a());
            String phone = first.get("phone");
            String other = Phones.next();
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", "0"));
            try {
                for (ClusterNode node : List.of(cluster.a(), cluster.b())) {
                    post(node, LOGIN, Map.of("phone", phone)).then().statusCode(200)
                            .body("user_id", equalTo(first.get("userId")));
                }
                realm.admin().setAttribute(first.get("userId"), "phoneNumber", other);
                realm.admin().setAttribute(second.get("userId"), "phoneNumber", phone);

                for (ClusterNode node : List.of(cluster.b(), cluster.a())) {
                    post(node, LOGIN, Map.of("phone", phone)).then().statusCode(200)
                            .body("user_id", equalTo(second.get("userId")));
                }
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", ""));
            }
        }

        @Test
        void aCodeVerifiedOnACannotBeReplayedOnB() {
            Map<String, String> account = register(cluster.a());
            Map<String, String> registration = Map.of("code", account.get("code"), "token", account.get("token"),
                    "phone", account.get("phone"));
            post(cluster.a(), VERIFY, registration).then().statusCode(200);
            post(cluster.b(), VERIFY, registration).then().statusCode(400).body(equalTo("{\"error\":\"Invalid token\"}"));

            String code = requestLogin(cluster.b(), account);
            Map<String, String> login = Map.of("code", code, "user_id", account.get("userId"));
            post(cluster.a(), LOGIN_VERIFY, login).then().statusCode(200);
            post(cluster.b(), LOGIN_VERIFY, login).then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));

            assertThat(realm.admin().userSessions(account.get("userId"))).hasSize(1);
        }

        @Test
        void wrongAttemptsOnBothNodesCountAgainstOneLimit() {
            Map<String, String> account = register(cluster.a());
            String code = requestLogin(cluster.a(), account);
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                post(cluster.next(i), LOGIN_VERIFY, Map.of("code", wrong, "user_id", account.get("userId")))
                        .then().statusCode(400).body(equalTo("{\"error\":\"Invalid code\"}"));
            }
            post(cluster.b(), LOGIN_VERIFY, Map.of("code", wrong, "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Too many failed attempts, request a new code\"}"));
            post(cluster.a(), LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
            assertThat(realm.admin().userSessions(account.get("userId"))).isEmpty();
        }

        @Test
        void fiftyParallelVerificationsOfOneCodeSplitAcrossNodesSucceedExactlyOnce() throws Exception {
            Map<String, String> account = register(cluster.a());
            String code = requestLogin(cluster.a(), account);

            List<Integer> statuses = burst(BURST, i -> post(cluster.next(i), LOGIN_VERIFY,
                    Map.of("code", code, "user_id", account.get("userId"))));

            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 400).hasSize(BURST - 1);
            assertThat(realm.admin().userSessions(account.get("userId"))).hasSize(1);
            // None of them guessed: nothing counts towards the brute-force lock (the fixture locks after 10 failures).
            realm.admin().assertNoBruteForceFailures(account.get("userId"), Duration.ofSeconds(2));
        }
    }

    @Nested
    @Order(2)
    class LimitsAcrossNodes {

        /**
         * Each node expires its copy of a single-use entry on its own clock, so this fails if either node's clock (or
         * its Infinispan's) did not move.
         */
        @Test
        void aCodeFromAExpiresOnBOnceTheClusterClockPassesItsLifetimeAndTheCooldownEndsWithIt() {
            Map<String, String> account = register(cluster.a());
            String code = requestLogin(cluster.a(), account);

            cluster.moveClock(Duration.ofSeconds(301));

            post(cluster.b(), LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
            String fresh = requestLogin(cluster.b(), account);
            post(cluster.a(), LOGIN_VERIFY, Map.of("code", fresh, "user_id", account.get("userId"))).then().statusCode(200);
        }

        @Test
        void theCooldownSetOnAHoldsOnB() {
            Map<String, String> account = register(cluster.a());
            requestLogin(cluster.a(), account);

            post(cluster.b(), LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(429)
                    .header("Retry-After", notNullValue())
                    .body(equalTo("{\"message\":\"User already have a request for login\"}"));
            cluster.b().inbox().assertNoSms(realm.name(), account.get("phone"), Duration.ofSeconds(2));
        }

        @Test
        void aBurstOfLoginRequestsSplitAcrossNodesSendsOneCode() throws Exception {
            Map<String, String> account = register(cluster.a());
            cluster.nodes().forEach(node -> node.log().mark());

            List<Integer> statuses = burst(BURST, i -> post(cluster.next(i), LOGIN, Map.of("phone", account.get("phone"))));

            assertThat(statuses).containsOnly(200, 429);
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            awaitSmsCount(account.get("phone"), 1);
        }

        @Test
        void theHourlyLimitPerSubjectLetsExactlyFiveThroughABurstSplitAcrossNodes() throws Exception {
            Map<String, String> account = register(cluster.a());
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", "0"));
            try {
                cluster.nodes().forEach(node -> node.log().mark());

                List<Integer> statuses = burst(BURST, i -> post(cluster.next(i), LOGIN,
                        Map.of("phone", account.get("phone"))));

                assertThat(statuses).containsOnly(200, 429);
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
                awaitSmsCount(account.get("phone"), 5);
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", ""));
            }
        }

        /** The per-IP counter of a fresh realm, so that only this burst counts. */
        @Nested
        @KeycloakCluster("realms/phone-otp.json")
        class PerIp {

            static final int LIMIT = 4;

            final ClusterRealm fresh;

            PerIp(ClusterRealm fresh) {
                this.fresh = fresh;
            }

            @Test
            void theHourlyLimitPerIpLetsExactlyNRegistrationsThroughABurstSplitAcrossNodes() throws Exception {
                fresh.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeHourlyLimitPerIp", Integer.toString(LIMIT)));
                int before = fresh.admin().countUsers();
                List<String> phones = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    phones.add(Phones.next());
                }

                List<Integer> statuses = burst(phones.size(), i -> post(fresh, cluster.next(i), REGISTER,
                        Map.of("phonenumber", phones.get(i))));

                assertThat(statuses).containsOnly(200, 429);
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(LIMIT);
                // A refused registration leaves no account behind.
                assertThat(fresh.admin().countUsers()).isEqualTo(before + LIMIT);
                // And nothing else: the next number is refused as well.
                post(fresh, cluster.a(), REGISTER, Map.of("phonenumber", Phones.next())).then().statusCode(429)
                        .body(equalTo("{\"message\":\"Too many requests, try again later\"}"));
            }
        }

        @Test
        void fiftyParallelRegistrationsOfOneNumberSplitAcrossNodesMakeExactlyOneUser() throws Exception {
            String phone = Phones.next();

            List<Integer> statuses = burst(BURST, i -> post(cluster.next(i), REGISTER,
                    Map.of("phonenumber", i % 2 == 0 ? phone : Phones.spaced(phone))));

            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).hasSize(1);
        }

        void awaitSmsCount(String phone, long expected) throws InterruptedException {
            cluster.awaitSmsCount(realm.name(), phone, expected);
        }
    }

    @Nested
    @Order(3)
    class SessionsAcrossNodes {

        @Test
        void tokensIssuedOnAWorkOnBAndALogoutOnBEndsThemOnA() {
            Map<String, String> account = register(cluster.a());
            Map<String, String> tokens = signIn(cluster.a(), account);

            userinfo(realm, cluster.b(), tokens.get("access_token")).then().statusCode(200)
                    .body("sub", equalTo(account.get("userId")));
            Response refreshed = refresh(realm, cluster.b(), tokens.get("refresh_token"));
            refreshed.then().statusCode(200);
            String access = refreshed.path("access_token");
            String refreshToken = refreshed.path("refresh_token");

            given().formParams(Map.of("client_id", "phone-otp", "refresh_token", refreshToken))
                    .post(realm.b().realmUrl() + LOGOUT).then().statusCode(204);

            userinfo(realm, cluster.a(), access).then().statusCode(401);
            refresh(realm, cluster.a(), refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
            assertThat(realm.admin().userSessions(account.get("userId"))).isEmpty();
        }

        @Test
        void anAdministratorsSignOutOnAEndsTheSessionOnB() {
            Map<String, String> account = register(cluster.b());
            Map<String, String> tokens = signIn(cluster.b(), account);

            realm.a().admin().logoutUser(account.get("userId"));

            userinfo(realm, cluster.b(), tokens.get("access_token")).then().statusCode(401);
            refresh(realm, cluster.b(), tokens.get("refresh_token")).then().statusCode(400);
        }
    }
}
