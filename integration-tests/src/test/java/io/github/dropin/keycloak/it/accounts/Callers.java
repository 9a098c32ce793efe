package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/**
 * Requests of the account-takeover tests: from a chosen loopback address (Linux routes all of 127.0.0.0/8 to the
 * loopback interface, so a client socket bound to {@code 127.0.0.7} reaches a server on {@code 127.0.0.1} and the
 * server sees {@code 127.0.0.7}: one machine plays callers on different networks), and the dialect calls the tests
 * repeat.
 */
final class Callers {

    /** Apache HttpClient 4's {@code ConnRoutePNames.LOCAL_ADDRESS}, which REST Assured's client honours. */
    private static final String LOCAL_ADDRESS = "http.route.local-address";
    private static final AtomicInteger NEXT = new AtomicInteger();

    static final String PASSWORD = "Correct-Horse-9";

    private final TestRealm realm;

    Callers(TestRealm realm) {
        this.realm = realm;
    }

    /** A request sent from {@code address} (a 127.x.y.z address). */
    static RequestSpecification from(String address) {
        try {
            InetAddress local = InetAddress.getByName(address);
            return given().config(RestAssured.config().httpClient(
                    HttpClientConfig.httpClientConfig().setParam(LOCAL_ADDRESS, local)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    Response postFrom(String address, String path, Object body) {
        return from(address).contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    static String newUsername(String prefix) {
        return prefix + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
    }

    static String newEmail() {
        return "acc-" + UUID.randomUUID().toString().substring(0, 12) + "@example.test";
    }

    /** The {@code n}th email (1-based) to {@code to}, waiting for it. */
    static MailServer.Email email(MailServer mail, String to, int n) {
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- jwt-auth ----------------------------------------------------------------------------------------------

    /** A jwt-auth account; returns its id and the access token of its session. */
    Map<String, String> jwtAuthAccount() {
        String username = newUsername("jwt");
        Response response = post("/jwt-auth/auth/register", Map.of("username", username, "password", PASSWORD));
        response.then().statusCode(201);
        String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();
        return Map.of("username", username, "id", id, "access", response.path("access"));
    }

    // ---- users-api -----------------------------------------------------------------------------------------------

    /** A users-api account with {@code email}; returns its id and a key from {@code api-token-auth}. */
    Map<String, String> usersApiAccount(String email) {
        String username = newUsername("ua");
        Response created = post("/users-api/api/v1/users/", Map.of("username", username, "password", PASSWORD,
                "first_name", "Ada", "last_name", "Lovelace", "email", email));
        created.then().statusCode(201);
        Response key = post("/users-api/api-token-auth/", Map.of("username", username, "password", PASSWORD));
        key.then().statusCode(200);
        return Map.of("username", username, "id", created.path("id"), "key", key.path("token"), "email", email);
    }

    // ---- email-signup --------------------------------------------------------------------------------------------

    static final String SIGNUP = "/email-signup/api/v1/auth/";

    /** Registered, verified, with a password; returns id, email and an access token. */
    Map<String, String> emailSignupAccount(MailServer mail) {
        String email = newEmail();
        Response registered = post(SIGNUP + "users/", Map.of("email", email, "terms_accepted", true));
        registered.then().statusCode(201);
        post(SIGNUP + "verify-code/", Map.of("email", email, "code", email(mail, email, 1).code(),
                "purpose", "email_verification")).then().statusCode(200);
        post(SIGNUP + "public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                .then().statusCode(200);
        Response tokens = post(SIGNUP + "token/obtain/", Map.of("email", email, "password", PASSWORD));
        tokens.then().statusCode(200);
        return Map.of("id", registered.path("id"), "email", email, "access", tokens.path("access"));
    }
}
