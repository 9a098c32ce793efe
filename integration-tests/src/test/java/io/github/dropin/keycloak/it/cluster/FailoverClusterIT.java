package io.github.dropin.keycloak.it.cluster;

import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * What the pack keeps survives the loss of a node, for every dialect and the direct grant (SPEC §2.2): state made
 * through node A (pending codes, cooldowns, grants and reset tokens in Keycloak's replicated single-use store; user
 * sessions with their {@code Token} keys, refresh tokens) is used through node B after {@code kill -9} of A. Then
 * every node is killed and started again: what lives in the database (users, credentials, sessions and the keys
 * bound to them, used refresh tokens) is still there; what lives only in the store (pending codes, reset tokens) is
 * gone, as the README says.
 *
 * <p>One realm with every dialect's client ({@code realms/all-dialects.json}), so that a single {@code kill -9} covers
 * them all. Runs after every other cluster class ({@link Order} on the class): the cluster is incomplete while it
 * runs, and starting a node again takes a while on two cores.
 */
@KeycloakCluster("realms/all-dialects.json")
@Order(Integer.MAX_VALUE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverClusterIT {

    static final String PASSWORD = "Correct-Horse-9";
    /** SimpleJWT's answer to a used refresh token, as jwt-auth gives it. */
    static final String BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";
    static final Pattern RESET_TOKEN = Pattern.compile("(?m)^\\s*([A-Za-z0-9]{40})\\s*$");

    final Cluster cluster;
    final ClusterRealm realm;
    final MailServer mail;

    /** What the first test made for the second (durable state to look for after every node restarted). */
    final Map<String, String> durable = new HashMap<>();

    FailoverClusterIT(Cluster cluster, ClusterRealm realm, MailServer mail) {
        this.cluster = cluster;
        this.realm = realm;
        this.mail = mail;
    }

    // ---- requests ----------------------------------------------------------------------------------------------------

    Response post(ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + path);
    }

    Response get(ClusterNode node, String path, String authorization) {
        return given().header("Authorization", authorization).get(realm.on(node).realmUrl() + path);
    }

    Response form(ClusterNode node, String path, Map<String, String> fields) {
        return given().formParams(fields).post(realm.on(node).realmUrl() + path);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    String userId(String username) {
        return realm.admin().userByUsername(username).orElseThrow().path("id").asText();
    }

    /** A user with a password (and a verified phone number, if given), made through the admin API. */
    String createUser(String username, String email, String phone) {
        Map<String, Object> user = new HashMap<>(Map.of("username", username, "enabled", true));
        if (email != null) {
            user.put("email", email);
            user.put("emailVerified", true);
        }
        if (phone != null) {
            user.put("attributes", Map.of("phoneNumber", List.of(phone), "phoneNumberVerified", List.of("true")));
        }
        String id = realm.admin().createUser(user);
        realm.admin().resetPassword(id, PASSWORD);
        return id;
    }

    String sms(ClusterNode node, String phone) {
        return node.inbox().awaitSms(realm.name(), phone).code();
    }

    MailServer.Email lastEmail(String to, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.emailsTo(to).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<MailServer.Email> emails = mail.emailsTo(to);
        assertThat(emails).hasSizeGreaterThanOrEqualTo(count);
        return emails.get(count - 1);
    }

    // ---- phone-otp -----------------------------------------------------------------------------------------------------

    /** A phone-otp registration through {@code node}: {phone, token, userId, code}. */
    Map<String, String> phoneOtpRegister(ClusterNode node) {
        String phone = Phones.next();
        node.log().mark();
        Response response = post(node, "/phone-otp/auth/api/Register/", Map.of("phonenumber", phone));
        response.then().statusCode(200);
        return Map.of("phone", phone, "token", response.path("token"), "userId", userId(phone), "code", sms(node, phone));
    }

    String phoneOtpLoginCode(ClusterNode node, Map<String, String> account) {
        node.log().mark();
        post(node, "/phone-otp/auth/api/login/", Map.of("phone", account.get("phone"))).then().statusCode(200);
        return sms(node, account.get("phone"));
    }

    // ---- the tests -----------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everythingMadeThroughAIsUsableThroughBAfterAIsKilled() throws Exception {
        ClusterNode a = cluster.a();
        ClusterNode b = cluster.b();

        // phone-otp: a pending registration, a pending login (code and cooldown), a signed-in session.
        Map<String, String> registering = phoneOtpRegister(a);
        Map<String, String> loggingIn = phoneOtpRegister(a);
        post(a, "/phone-otp/auth/api/verify/", Map.of("code", loggingIn.get("code"), "token", loggingIn.get("token"),
                "phone", loggingIn.get("phone"))).then().statusCode(200);
        String loginCode = phoneOtpLoginCode(a, loggingIn);
        Map<String, String> signedIn = phoneOtpRegister(a);
        Response otpTokens = post(a, "/phone-otp/auth/api/login/verify/",
                Map.of("code", phoneOtpLoginCode(a, signedIn), "user_id", signedIn.get("userId")));
        otpTokens.then().statusCode(200);

        // token-auth: a pending registration code (verify-user finds the account by the code alone) and a key.
        String taPending = unique("ta");
        String taPhone = Phones.next();
        a.log().mark();
        post(a, "/token-auth/api/register/", Map.of("username", taPending, "password", PASSWORD, "phone_number", taPhone,
                "email", "")).then().statusCode(200);
        String taCode = sms(a, taPhone);
        String taUser = unique("ta");
        createUser(taUser, null, Phones.next());
        Response taLogin = post(a, "/token-auth/api/login/", Map.of("username", taUser, "password", PASSWORD));
        taLogin.then().statusCode(200);
        String taKey = taLogin.path("token");

        // jwt-auth: a token pair.
        String jwtUser = unique("jwt");
        createUser(jwtUser, null, null);
        Response jwt = post(a, "/jwt-auth/auth/token", Map.of("username", jwtUser, "password", PASSWORD));
        jwt.then().statusCode(200);

        // email-signup: a pending sign-up code, and a verified recovery code whose grant waits for the reset.
        String esBase = "/email-signup/api/v1/auth/";
        String esPending = unique("es") + "@example.test";
        post(a, esBase + "users/", Map.of("email", esPending, "terms_accepted", true)).then().statusCode(201);
        String esCode = lastEmail(esPending, 1).code();
        String esRecovering = unique("es") + "@example.test";
        String esRecoveringId = createUser(esRecovering, esRecovering, null);
        post(a, esBase + "recovery-request/", Map.of("email", esRecovering)).then().statusCode(200);
        String recoveryCode = lastEmail(esRecovering, 1).code();
        post(a, esBase + "verify-code/", Map.of("email", esRecovering, "code", recoveryCode, "purpose", "password_recovery"))
                .then().statusCode(200);

        // users-api: a key and a pending reset token of another account.
        String uaUser = unique("ua");
        String uaId = createUser(uaUser, null, null);
        Response uaLogin = post(a, "/users-api/api-token-auth/", Map.of("username", uaUser, "password", PASSWORD));
        uaLogin.then().statusCode(200);
        String uaKey = uaLogin.path("token");
        String uaResetting = unique("ua");
        String uaResettingEmail = uaResetting + "@example.test";
        String uaResettingId = createUser(uaResetting, uaResettingEmail, null);
        String uaResettingKey = post(a, "/users-api/api-token-auth/", Map.of("username", uaResetting, "password", PASSWORD))
                .then().statusCode(200).extract().path("token");
        post(a, "/users-api/api/password_reset/", Map.of("email", uaResettingEmail)).then().statusCode(200);
        Matcher token = RESET_TOKEN.matcher(lastEmail(uaResettingEmail, 1).text());
        assertThat(token.find()).isTrue();
        String resetToken = token.group(1);

        // Direct grant: a pending code (and its cooldown) and a signed-in session.
        String grantPhone = Phones.next();
        createUser(unique("dg"), null, grantPhone);
        a.log().mark();
        form(a, "/sms-code/request", Map.of("client_id", "phone-app", "phone_number", grantPhone)).then().statusCode(200);
        String grantCode = sms(a, grantPhone);
        String grantedPhone = Phones.next();
        String grantedId = createUser(unique("dg"), null, grantedPhone);
        a.log().mark();
        form(a, "/sms-code/request", Map.of("client_id", "phone-app", "phone_number", grantedPhone)).then().statusCode(200);
        Response granted = form(a, "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id",
                "phone-app", "phone_number", grantedPhone, "code", sms(a, grantedPhone)));
        granted.then().statusCode(200);

        cluster.kill(a);

        // phone-otp: the cooldown of the pending login, its code (once), the registration token and code, the
        // session (its access token, and a refresh on B), uniqueness of numbers registered through A.
        post(b, "/phone-otp/auth/api/login/", Map.of("phone", loggingIn.get("phone"))).then().statusCode(429)
                .body(equalTo("{\"message\":\"User already have a request for login\"}"));
        post(b, "/phone-otp/auth/api/login/verify/", Map.of("code", loginCode, "user_id", loggingIn.get("userId")))
                .then().statusCode(200).body("access_token", notNullValue());
        post(b, "/phone-otp/auth/api/login/verify/", Map.of("code", loginCode, "user_id", loggingIn.get("userId")))
                .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
        post(b, "/phone-otp/auth/api/verify/", Map.of("code", registering.get("code"), "token", registering.get("token"),
                "phone", registering.get("phone"))).then().statusCode(200);
        assertThat(realm.admin().user(registering.get("userId")).path("attributes").path("phoneNumberVerified").path(0).asText())
                .isEqualTo("true");
        given().auth().oauth2(otpTokens.path("access_token")).get(realm.b().realmUrl() + "/protocol/openid-connect/userinfo")
                .then().statusCode(200).body("sub", equalTo(signedIn.get("userId")));
        form(b, "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token", "client_id", "phone-otp",
                "refresh_token", otpTokens.path("refresh_token"))).then().statusCode(200);
        post(b, "/phone-otp/auth/api/Register/", Map.of("phonenumber", signedIn.get("phone"))).then().statusCode(409);

        // token-auth: the pending code verifies on B; the key works on B.
        post(b, "/token-auth/api/verify-user/", Map.of("code", taCode)).then().statusCode(200);
        assertThat(realm.admin().user(userId(taPending)).path("attributes").path("phoneNumberVerified").path(0).asText())
                .isEqualTo("true");
        get(b, "/token-auth/api/profile/", "Token " + taKey).then().statusCode(200).body("username", equalTo(taUser));

        // jwt-auth: the access token works on B, the refresh token rotates on B.
        get(b, "/jwt-auth/auth/getuser", "Bearer " + jwt.path("access")).then().statusCode(200)
                .body("username", equalTo(jwtUser));
        Response rotated = post(b, "/jwt-auth/auth/token/refresh", Map.of("refresh", jwt.path("refresh")));
        rotated.then().statusCode(200);
        post(b, "/jwt-auth/auth/token/refresh", Map.of("refresh", jwt.path("refresh"))).then().statusCode(401)
                .body(equalTo(BLACKLISTED));

        // email-signup: the sign-up code verifies on B; the recovery grant made on A resets the password on B.
        post(b, esBase + "verify-code/", Map.of("email", esPending, "code", esCode, "purpose", "email_verification"))
                .then().statusCode(200);
        post(b, esBase + "recovery-reset-password/", Map.of("email", esRecovering, "code", recoveryCode,
                "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(200);
        post(b, esBase + "token/obtain/", Map.of("email", esRecovering, "password", "Brand-new-pass-4")).then().statusCode(200);

        // users-api: the key works on B; the reset token is valid on B and works once, ending that user's sessions.
        get(b, "/users-api/api/v1/users/" + uaId + "/", "Token " + uaKey).then().statusCode(200).body("username", equalTo(uaUser));
        post(b, "/users-api/api/password_reset/validate_token/", Map.of("token", resetToken)).then().statusCode(200);
        post(b, "/users-api/api/password_reset/confirm/", Map.of("token", resetToken, "password", "Brand-new-pass-4"))
                .then().statusCode(200);
        get(b, "/users-api/api/v1/users/" + uaResettingId + "/", "Token " + uaResettingKey).then().statusCode(401);

        // Direct grant: the cooldown of the pending code holds on B, and the code gives tokens on B; the session made
        // on A refreshes on B.
        form(b, "/sms-code/request", Map.of("client_id", "phone-app", "phone_number", grantPhone)).then().statusCode(429)
                .body("error", equalTo("slow_down"));
        form(b, "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "phone-app",
                "phone_number", grantPhone, "code", grantCode)).then().statusCode(200);
        form(b, "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token", "client_id", "phone-app",
                "refresh_token", granted.path("refresh_token"))).then().statusCode(200);
        assertThat(realm.admin().userSessions(grantedId)).hasSize(1);

        // For the next test: durable state (sessions and keys in the database), and a refresh token already used.
        durable.put("taUser", taUser);
        durable.put("taKey", taKey);
        durable.put("uaId", uaId);
        durable.put("uaKey", uaKey);
        durable.put("jwtUser", jwtUser);
        durable.put("jwtAccess", rotated.path("access"));
        durable.put("jwtRefresh", rotated.path("refresh"));
        durable.put("jwtUsedRefresh", jwt.path("refresh"));
        durable.put("grantedId", grantedId);
        // And short-lived state made through B, which lives only in the store.
        Map<String, String> pendingOnB = phoneOtpRegister(b);
        durable.put("otpPhone", pendingOnB.get("phone"));
        durable.put("otpToken", pendingOnB.get("token"));
        durable.put("otpCode", pendingOnB.get("code"));
        durable.put("otpUserId", pendingOnB.get("userId"));
    }

    /**
     * Every node killed at once, then started again: users, credentials, sessions and the {@code Token} keys bound to
     * them are in the database and still work; a refresh token used before stays used (Keycloak's revoked-token
     * table); pending codes were only in the replicated store and are gone (a new code must be requested), while the
     * account they belonged to stays.
     */
    @Test
    @Order(2)
    void sessionsKeysAndUsedRefreshTokensOutliveARestartOfEveryNodeWhilePendingCodesDoNot() {
        assumeThat(durable).as("state from the previous test").isNotEmpty();
        cluster.killAll();
        cluster.ensureComplete();
        ClusterNode a = cluster.a();
        ClusterNode b = cluster.b();

        get(a, "/token-auth/api/profile/", "Token " + durable.get("taKey")).then().statusCode(200)
                .body("username", equalTo(durable.get("taUser")));
        get(b, "/users-api/api/v1/users/" + durable.get("uaId") + "/", "Token " + durable.get("uaKey")).then().statusCode(200);
        get(b, "/jwt-auth/auth/getuser", "Bearer " + durable.get("jwtAccess")).then().statusCode(200)
                .body("username", equalTo(durable.get("jwtUser")));
        for (ClusterNode node : cluster.nodes()) {
            post(node, "/jwt-auth/auth/token/refresh", Map.of("refresh", durable.get("jwtUsedRefresh"))).then().statusCode(401)
                    .body(equalTo(BLACKLISTED));
        }
        post(a, "/jwt-auth/auth/token/refresh", Map.of("refresh", durable.get("jwtRefresh"))).then().statusCode(200);
        assertThat(realm.admin().userSessions(durable.get("grantedId"))).hasSize(1);

        post(a, "/phone-otp/auth/api/verify/", Map.of("code", durable.get("otpCode"), "token", durable.get("otpToken"),
                "phone", durable.get("otpPhone"))).then().statusCode(400).body(equalTo("{\"error\":\"Invalid token\"}"));
        assertThat(realm.admin().user(durable.get("otpUserId")).path("attributes").path("phoneNumberVerified").path(0).asText())
                .isEqualTo("false");
        // The cooldown went with the code: the account asks for a new one and gets it.
        a.log().mark();
        post(a, "/phone-otp/auth/api/login/", Map.of("phone", durable.get("otpPhone"))).then().statusCode(200);
        sms(a, durable.get("otpPhone"));
    }
}
