package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.TestRealm;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signing keys of a test realm that the test itself knows: an RSA key (access tokens, RS256) and an HMAC secret
 * (Keycloak's refresh tokens, HS512), installed through the admin API with a priority above the realm's generated
 * keys, so that every token the realm issues afterwards is signed with them. With them a test can re-sign a real token
 * with changed claims ({@link SignedJwt#resign}), for example expired, which is how the conformance tests get an
 * expired token without waiting for one.
 */
final class RealmKeys {

    private static final int PRIORITY = 1000;

    private final KeyPair rsa;
    private final byte[] hmac;
    private final String hmacKid;

    private RealmKeys(KeyPair rsa, byte[] hmac, String hmacKid) {
        this.rsa = rsa;
        this.hmac = hmac;
        this.hmacKid = hmacKid;
    }

    static RealmKeys install(TestRealm realm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair rsa = generator.generateKeyPair();
            byte[] hmac = new byte[64];
            new SecureRandom().nextBytes(hmac);
            String kid = UUID.randomUUID().toString();
            String realmId = realm.admin().realm().path("id").asText();
            create(realm, realmId, "conformance-rsa", "rsa", Map.of(
                    "privateKey", List.of(Base64.getEncoder().encodeToString(rsa.getPrivate().getEncoded())),
                    "algorithm", List.of("RS256")));
            create(realm, realmId, "conformance-hmac", "hmac-generated", Map.of(
                    "secret", List.of(Base64.getUrlEncoder().withoutPadding().encodeToString(hmac)),
                    "secretSize", List.of(Integer.toString(hmac.length)),
                    "kid", List.of(kid),
                    "algorithm", List.of("HS512")));
            return new RealmKeys(rsa, hmac, kid);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void create(TestRealm realm, String realmId, String name, String providerId, Map<String, List<String>> config) {
        Map<String, List<String>> all = new java.util.HashMap<>(config);
        all.put("priority", List.of(Integer.toString(PRIORITY)));
        all.put("enabled", List.of("true"));
        all.put("active", List.of("true"));
        realm.admin().request().body(Map.of("name", name, "providerId", providerId,
                        "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId, "config", all))
                .post("/components").then().statusCode(201);
    }

    /** {@code jwt} (issued by the realm after {@link #install}) with changed claims, signed with the realm's key. */
    String resign(String jwt, Map<String, Object> changes) {
        String alg = SignedJwt.header(jwt).path("alg").asText();
        if (alg.equals("RS256")) {
            return SignedJwt.resign(jwt, changes, rsa.getPrivate());
        }
        if (!hmacKid.equals(SignedJwt.header(jwt).path("kid").asText())) {
            throw new IllegalStateException("Token not signed with the installed HMAC key: " + SignedJwt.header(jwt));
        }
        return SignedJwt.resign(jwt, changes, hmac);
    }
}
