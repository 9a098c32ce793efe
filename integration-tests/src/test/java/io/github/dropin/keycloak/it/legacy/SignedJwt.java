package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Re-signs a JWT after changing claims, so that a test can hold an expired (or otherwise altered) token that is
 * signed exactly like the real ones: with the Django references' HMAC secret, or with a realm key the test installed
 * ({@link RealmKeys}). Also signs with a throw-away key, for "foreign" tokens whose signature no server accepts.
 */
final class SignedJwt {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignedJwt() {
    }

    static ObjectNode header(String jwt) {
        return part(jwt, 0);
    }

    static ObjectNode payload(String jwt) {
        return part(jwt, 1);
    }

    /** {@code jwt} with {@code changes} applied to its payload (a {@code null} value removes the claim). */
    static String resign(String jwt, Map<String, Object> changes, Object key) {
        ObjectNode header = header(jwt);
        ObjectNode payload = payload(jwt);
        changes.forEach((name, value) -> {
            if (value == null) {
                payload.remove(name);
            } else {
                payload.set(name, LegacyBackend.JSON.valueToTree(value));
            }
        });
        return sign(header, payload, key);
    }

    /** The same header and payload signed with a key nobody else has. */
    static String foreign(String jwt) {
        ObjectNode header = header(jwt);
        String alg = header.path("alg").asText();
        Object key;
        if (alg.startsWith("RS")) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                key = generator.generateKeyPair().getPrivate();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        } else {
            byte[] secret = new byte[64];
            RANDOM.nextBytes(secret);
            key = secret;
        }
        return sign(header, payload(jwt), key);
    }

    static String sign(JsonNode header, JsonNode payload, Object key) {
        String input = B64.encodeToString(bytes(header)) + "." + B64.encodeToString(bytes(payload));
        String alg = header.path("alg").asText();
        byte[] signature;
        try {
            switch (alg) {
                case "HS256", "HS384", "HS512" -> {
                    String javaName = "Hmac" + "SHA" + alg.substring(2);
                    byte[] secret = key instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) key;
                    Mac mac = Mac.getInstance(javaName);
                    mac.init(new SecretKeySpec(secret, javaName));
                    signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
                }
                case "RS256" -> {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initSign((PrivateKey) key);
                    rsa.update(input.getBytes(StandardCharsets.US_ASCII));
                    signature = rsa.sign();
                }
                default -> throw new IllegalArgumentException("Cannot sign " + alg);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return input + "." + B64.encodeToString(signature);
    }

    private static ObjectNode part(String jwt, int index) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a JWS: " + jwt);
        }
        try {
            return (ObjectNode) LegacyBackend.JSON.readTree(B64D.decode(parts[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return LegacyBackend.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
