package io.github.dropin.keycloak.it.emailsignup;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.MailServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.BASE;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.INVALID_CODE;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.NOT_ALLOWED;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.PASSWORD;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.TOKEN_BLACKLISTED;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.newEmail;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Dialect {@code email-signup} on a two-node cluster (SPEC §2.2, §4.3), with its codes sent by email to a real SMTP
 * server: sign-up and recovery codes, the grants they leave (first password, password reset) and the resend cooldown
 * and hourly limit live in the replicated store and hold across nodes; refresh rotation retires a refresh token on
 * both nodes; 50 parallel sign-ups of one email and 50 parallel verifications of one code, split across the nodes,
 * succeed once.
 */
@KeycloakCluster("realms/email-signup.json")
class EmailSignupClusterIT {

    static final String OK = "{\"detail\":\"ok\"}";
    static final String SENT = "{\"detail\":\"Password reset e-mail has been sent.\"}";
    static final String EXHAUSTED = "{\"code\":[\"Too many failed attempts. Request a new code.\"]}";

    final Cluster cluster;
    final ClusterRealm realm;
    final MailServer mail;

    EmailSignupClusterIT(Cluster cluster, ClusterRealm realm, MailServer mail) {
        this.cluster = cluster;
        this.realm = realm;
        this.mail = mail;
    }

    Response post(ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + BASE + path);
    }

    Response me(ClusterNode node, String access) {
        return given().header("Authorization", "Bearer " + access).get(realm.on(node).realmUrl() + BASE + "users/me/");
    }

    /** The {@code n}th email (1-based) to {@code to}, waiting for it. */
    MailServer.Email email(String to, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<MailServer.Email> emails = mail.emailsTo(to);
            if (emails.size() >= n) {
                return emails.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no email #" + n + " to " + to);
    }

    /** Signs up through {@code node}: the new user's id; the code is the first email to the address. */
    String register(ClusterNode node, String email) {
        Response response = post(node, "users/", Map.of("email", email, "terms_accepted", true));
        response.then().statusCode(201);
        return response.path("id");
    }

    /** Signed up, verified and given a password, each step through another node. */
    String account(String email) throws InterruptedException {
        String id = register(cluster.a(), email);
        post(cluster.b(), "verify-code/", Map.of("email", email, "code", email(email, 1).code(), "purpose", "email_verification"))
                .then().statusCode(200);
        post(cluster.a(), "public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                .then().statusCode(200);
        return id;
    }

    @Test
    void aSignUpCodeSentByAVerifiesOnBOnceAndTheFirstPasswordIsSetOnlyOnce() throws Exception {
        String email = newEmail();
        String id = register(cluster.a(), email);
        String code = email(email, 1).code();

        post(cluster.b(), "verify-code/", Map.of("email", email, "code", code, "purpose", "email_verification"))
                .then().statusCode(200).body(matchesPattern(EmailSignupParallelIT.OK_WITH_SET_PASSWORD_TOKEN));
        assertThat(realm.admin().user(id).path("emailVerified").asBoolean()).isTrue();
        post(cluster.a(), "verify-code/", Map.of("email", email, "code", code, "purpose", "email_verification"))
                .then().statusCode(400).body(equalTo(INVALID_CODE));

        // The grant to set the first password was left by B; A takes it, and then it is gone on both.
        Map<String, String> password = Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD);
        post(cluster.a(), "public-set-password/", password).then().statusCode(200);
        post(cluster.b(), "public-set-password/", password).then().statusCode(400).body(equalTo(NOT_ALLOWED));
        assertThat(realm.admin().credentials(id)).extracting(c -> c.path("type").asText()).containsExactly("password");
    }

    @Test
    void aRefreshOnBRetiresTheRefreshTokenOnBothNodes() throws Exception {
        String email = newEmail();
        String id = account(email);
        Response obtained = post(cluster.a(), "token/obtain/", Map.of("email", email, "password", PASSWORD));
        obtained.then().statusCode(200);

        Response rotated = post(cluster.b(), "token/refresh/", Map.of("refresh", obtained.path("refresh")));
        rotated.then().statusCode(200);

        for (ClusterNode node : cluster.nodes()) {
            post(node, "token/refresh/", Map.of("refresh", obtained.path("refresh"))).then().statusCode(401)
                    .body(equalTo(TOKEN_BLACKLISTED));
            post(node, "token/verify/", Map.of("token", rotated.path("access"))).then().statusCode(200).body(equalTo("{}"));
            me(node, rotated.path("access")).then().statusCode(200).body("id", equalTo(id));
        }
        post(cluster.a(), "token/refresh/", Map.of("refresh", rotated.path("refresh"))).then().statusCode(200);
    }

    /** The seed's three recovery steps, each through the other node, and the sessions they end on both. */
    @Test
    void recoveryRequestedOnBVerifiedOnAAndResetOnBEndsEverySession() throws Exception {
        String email = newEmail();
        String id = account(email);
        Response tokens = post(cluster.a(), "token/obtain/", Map.of("email", email, "password", PASSWORD));
        tokens.then().statusCode(200);

        post(cluster.b(), "recovery-request/", Map.of("email", email)).then().statusCode(200).body(equalTo(SENT));
        String code = email(email, 2).code();
        post(cluster.a(), "verify-code/", Map.of("email", email, "code", code, "purpose", "password_recovery"))
                .then().statusCode(200).body(equalTo(OK));
        post(cluster.b(), "recovery-reset-password/", Map.of("email", email, "code", code,
                "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(200);
        // The grant is used up on both nodes.
        post(cluster.a(), "recovery-reset-password/", Map.of("email", email, "code", code,
                "password", "Other-new-pass-5", "password2", "Other-new-pass-5")).then().statusCode(400)
                .body(equalTo(INVALID_CODE));

        assertThat(realm.admin().userSessions(id)).isEmpty();
        me(cluster.a(), tokens.path("access")).then().statusCode(401);
        post(cluster.a(), "token/obtain/", Map.of("email", email, "password", "Brand-new-pass-4")).then().statusCode(200);
    }

    /**
     * Recovery requests for one address, split across the nodes: within the cooldown exactly one gets through; with
     * the cooldown lifted, the hourly limit per address (5) lets exactly four more through. Each one that got through
     * sent one email, and no other did.
     */
    @Test
    void theCooldownAndTheHourlyLimitLetExactlyTheConfiguredNumberThroughBurstsSplitAcrossNodes() throws Exception {
        String email = newEmail();
        account(email);
        int before = mail.emailsTo(email).size();

        List<Integer> first = Burst.statuses(Burst.SIZE, i -> post(cluster.next(i), "recovery-request/", Map.of("email", email)));
        assertThat(first).containsOnly(200, 429);
        assertThat(first).filteredOn(s -> s == 200).hasSize(1);

        realm.admin().updateRealmAttributes(Map.of("dropin.email-signup.codeResendCooldown", "0"));
        try {
            List<Integer> second = Burst.statuses(Burst.SIZE, i -> post(cluster.next(i), "recovery-request/",
                    Map.of("email", email)));
            assertThat(second).containsOnly(200, 429);
            assertThat(second).filteredOn(s -> s == 200).hasSize(4);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.email-signup.codeResendCooldown", ""));
        }
        // Recovery emails leave after the response, on a background thread of the node that answered.
        email(email, before + 5);
        Thread.sleep(2000);
        assertThat(mail.emailsTo(email)).hasSize(before + 5);
    }

    @Test
    void fiftyParallelSignUpsOfOneEmailSplitAcrossNodesMakeExactlyOneUser() throws Exception {
        String email = newEmail();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), "users/",
                Map.of("email", i % 2 == 0 ? email : email.toUpperCase(Locale.ROOT), "terms_accepted", true)));

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 400).hasSize(Burst.SIZE - 1).allSatisfy(r ->
                assertThat(r.asString()).isEqualTo("{\"email\":[\"user with this email address already exists.\"]}"));
        assertThat(realm.admin().findUsers(Map.of("email", email, "exact", true))).hasSize(1);
        email(email, 1);
        Thread.sleep(1000);
        assertThat(mail.emailsTo(email)).hasSize(1);
    }

    /**
     * One right code, 50 times at once, split across the nodes: one request verifies it. The others find it used, or
     * (beyond the code's 5 attempts, all claimed by requests still comparing) are told attempts are exhausted.
     */
    @Test
    void fiftyParallelVerificationsOfOneCodeSplitAcrossNodesSucceedExactlyOnce() throws Exception {
        String email = newEmail();
        String id = register(cluster.b(), email);
        String code = email(email, 1).code();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), "verify-code/",
                Map.of("email", email, "code", code, "purpose", "email_verification")));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1)
                .allSatisfy(r -> assertThat(r.asString()).matches(EmailSignupParallelIT.OK_WITH_SET_PASSWORD_TOKEN));
        assertThat(responses).filteredOn(r -> r.statusCode() == 400).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.asString()).isIn(INVALID_CODE, EXHAUSTED));
        assertThat(realm.admin().user(id).path("emailVerified").asBoolean()).isTrue();
        assertThat(realm.admin().events("VERIFY_EMAIL")).filteredOn(e -> id.equals(e.path("userId").asText())).hasSize(1);
        // None of them guessed: nothing counts towards the brute-force lock (the fixture locks after 3 failures).
        realm.admin().assertNoBruteForceFailures(id, Duration.ofSeconds(2));
    }
}
