package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * Checks JWTs the way a resource server would: the signature against the realm's published JWKS
 * ({@code /protocol/openid-connect/certs}), independently of Keycloak's own code.
 */
public final class Jwts {

    private Jwts() {
    }

    /** The token's payload, after checking that an RS256 key of the realm's JWKS signed it. */
    public static JsonNode verifiedPayload(TestRealm realm, String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a JWS: " + jwt);
        }
        JsonNode header = json(parts[0]);
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new AssertionError("expected RS256, got " + header);
        }
        JsonNode jwks = read(RestAssured.get(realm.realmUrl() + "/protocol/openid-connect/certs")
                .then().statusCode(200).extract().asString());
        for (JsonNode key : jwks.path("keys")) {
            if (key.path("kid").asText().equals(header.path("kid").asText())) {
                if (!verify(key, parts)) {
                    throw new AssertionError("signature does not verify with JWKS key " + key.path("kid").asText());
                }
                return json(parts[1]);
            }
        }
        throw new AssertionError("no JWKS key with kid " + header.path("kid").asText());
    }

    /** The payload without any check, for tokens signed with the realm's HMAC key (refresh tokens). */
    public static JsonNode payload(String jwt) {
        return json(jwt.split("\\.")[1]);
    }

    private static boolean verify(JsonNode jwk, String[] parts) {
        try {
            BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
            BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (Exception ex) {
            throw new AssertionError("cannot verify signature", ex);
        }
    }

    private static JsonNode json(String base64url) {
        return read(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8));
    }

    private static JsonNode read(String text) {
        try {
            return AdminApi.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
