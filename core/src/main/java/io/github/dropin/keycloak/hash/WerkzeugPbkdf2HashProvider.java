package io.github.dropin.keycloak.hash;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Verifies Werkzeug's {@code pbkdf2} hashes ({@code generate_password_hash(..., method="pbkdf2:sha256")}:
 * {@code pbkdf2:<digest>:<iterations>$<salt>$<hex>}, PBKDF2-HMAC of the UTF-8 password with the salt's UTF-8 bytes, a
 * key as long as the digest). Algorithm id {@value #ID}.
 */
public class WerkzeugPbkdf2HashProvider extends VerifyOnlyHashProvider {

    public static final String ID = "dropin-werkzeug-pbkdf2";

    /** Python's {@code hashlib} digest names Werkzeug writes → the JDK's PBKDF2 algorithms. */
    static final Map<String, String> DIGESTS = Map.of(
            "sha1", "PBKDF2WithHmacSHA1",
            "sha224", "PBKDF2WithHmacSHA224",
            "sha256", "PBKDF2WithHmacSHA256",
            "sha384", "PBKDF2WithHmacSHA384",
            "sha512", "PBKDF2WithHmacSHA512");

    /** A parsed {@code pbkdf2:<digest>:<iterations>$<salt>$<hex>}. */
    record Parsed(String algorithm, int iterations, String salt, byte[] hash) {

        static Parsed of(String stored) {
            WerkzeugHash fields = WerkzeugHash.split(stored, "pbkdf2:<digest>:<iterations>$<salt>$<hash>", 2);
            String algorithm = DIGESTS.get(fields.params().get(0));
            if (algorithm == null) {
                throw new IllegalArgumentException("digest '" + fields.params().get(0) + "' is not one of "
                        + DIGESTS.keySet());
            }
            int iterations = fields.number(1);
            byte[] hash = fields.hash();
            if (iterations < 1 || fields.salt().isEmpty() || hash.length == 0) {
                throw new IllegalArgumentException("iterations, salt and hash must not be empty");
            }
            return new Parsed(algorithm, iterations, fields.salt(), hash);
        }
    }

    public WerkzeugPbkdf2HashProvider() {
        super(ID);
    }

    @Override
    protected boolean matches(String password, String stored) {
        Parsed parsed = Parsed.of(stored);
        try {
            byte[] derived = SecretKeyFactory.getInstance(parsed.algorithm())
                    .generateSecret(new PBEKeySpec(password.toCharArray(),
                            parsed.salt().getBytes(StandardCharsets.UTF_8), parsed.iterations(), parsed.hash().length * 8))
                    .getEncoded();
            return MessageDigest.isEqual(derived, parsed.hash());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 (" + parsed.algorithm() + ") is not available", e);
        }
    }
}
