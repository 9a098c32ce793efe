package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Turns a realm JSON fixture from the test classpath into a realm of its own on the server, and removes it
 * again when the owning test class's store is closed.
 *
 * <p>Each import gets a unique name so that classes never see each other's users, codes or rate limits,
 * even when a previous run's realm was left behind. {@code ${realm}} anywhere in the fixture text becomes
 * that name (redirect URIs, issuer-dependent settings); {@code ${smtpPort}} becomes the port of the shared
 * {@link MailServer}; the fixture's {@code id} is dropped so that Keycloak generates a fresh one.
 */
record RealmFixture(TestRealm realm) implements AutoCloseable {

    static final String PLACEHOLDER = "${realm}";
    /**
     * Letters only: the realm's name is its display name in every SMS and email ("admin-tab-9261sr: your sign-in code
     * is ..."), and a run of digits there would be read as the code by the tests' inboxes.
     */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A prepared fixture: the unique name and the JSON to import. */
    record Prepared(String name, String json) {
    }

    static RealmFixture importFrom(KeycloakServer server, String resource, java.util.function.Supplier<MailServer> mail) {
        String fixture = read(resource);
        if (fixture.contains(MailServer.PORT_PLACEHOLDER)) {
            fixture = fixture.replace(MailServer.PORT_PLACEHOLDER, Integer.toString(mail.get().port()));
        }
        Prepared prepared = prepare(fixture, baseName(resource), suffix());
        AdminApi.expect(RestAssured.given()
                        .baseUri(server.serverUrl())
                        .auth().oauth2(server.adminToken())
                        .contentType(ContentType.JSON)
                        .body(prepared.json())
                        .post("/admin/realms"),
                201, "import realm " + resource);
        return new RealmFixture(new TestRealm(server, prepared.name()));
    }

    /** Deletes the realm when JUnit closes the test class's store. */
    @Override
    public void close() {
        realm.admin().deleteRealm();
    }

    static Prepared prepare(String fixture, String fallbackBase, String suffix) {
        try {
            JsonNode original = AdminApi.JSON.readTree(fixture);
            if (!(original instanceof ObjectNode)) {
                throw new IllegalArgumentException("A realm fixture must be a JSON object");
            }
            String declared = original.path("realm").asText("");
            String base = declared.isBlank() || declared.contains(PLACEHOLDER) ? fallbackBase : declared;
            String name = base + "-" + suffix;
            ObjectNode realm = (ObjectNode) AdminApi.JSON.readTree(fixture.replace(PLACEHOLDER, name));
            realm.put("realm", name);
            realm.remove("id");
            return new Prepared(name, AdminApi.JSON.writeValueAsString(realm));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Realm fixture is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("Realm fixture not on the test classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** {@code realms/phone-otp.json} gives {@code phone-otp}. */
    static String baseName(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        return file.endsWith(".json") ? file.substring(0, file.length() - ".json".length()) : file;
    }

    private static String suffix() {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
