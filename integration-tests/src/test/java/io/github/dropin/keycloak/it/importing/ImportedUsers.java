package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;

/** Signing imported users in through the password dialects, and reading their credentials, for the import tests. */
final class ImportedUsers {

    /** token-auth's answer to a right password of an account without a verified phone number or email. */
    static final String NOT_VERIFIED = "{\"error_message\":{\"non_field_errors\":[\"Account is not verified. Please "
            + "verify your Phone Number/Email.\"]}}";

    private ImportedUsers() {
    }

    /** A password sign-in through {@code dialect}: username and password, or for email-signup email and password. */
    static Response signIn(TestRealm realm, String dialect, String username, String email, String password) {
        String url = realm.realmUrl() + "/" + dialect + switch (dialect) {
            case "token-auth" -> "/api/login/";
            case "users-api" -> "/api-token-auth/";
            case "jwt-auth" -> "/auth/token";
            case "email-signup" -> "/api/v1/auth/token/obtain/";
            default -> throw new IllegalArgumentException(dialect);
        };
        Map<String, String> body = dialect.equals("email-signup") ? Map.of("email", email, "password", password)
                : Map.of("username", username, "password", password);
        return given().contentType(ContentType.JSON).body(body).post(url);
    }

    /** The user's stored password credential's {@code credentialData}. */
    static JsonNode credentialData(TestRealm realm, String userId) {
        JsonNode credential = realm.admin().credentials(userId).stream()
                .filter(c -> c.path("type").asText().equals("password")).findFirst()
                .orElseThrow(() -> new AssertionError("no password credential for " + userId));
        try {
            return LegacyExports.JSON.readTree(credential.path("credentialData").asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Keycloak re-hashes after the sign-in's transaction, in one of its own: wait for it (at most 15 s). */
    static JsonNode awaitCredential(TestRealm realm, String userId, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            JsonNode data = credentialData(realm, userId);
            if (done.test(data)) {
                return data;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("credential of " + userId + " not re-hashed: " + data);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Keycloak's argon2 with its default parameters: the realm's policy when the realm names none. */
    static boolean isRealmPolicy(JsonNode credentialData) {
        return credentialData.path("algorithm").asText().equals("argon2")
                && credentialData.path("additionalParameters").path("memory").path(0).asText().equals("7168");
    }
}
