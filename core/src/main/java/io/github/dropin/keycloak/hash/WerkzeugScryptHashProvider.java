package io.github.dropin.keycloak.hash;

import org.bouncycastle.crypto.generators.SCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Verifies Werkzeug's {@code scrypt} hashes (Werkzeug 2.3+ and its default since 3.0:
 * {@code scrypt:<N>:<r>:<p>$<salt>$<hex>}, {@code hashlib.scrypt} of the UTF-8 password with the salt's UTF-8 bytes,
 * a 64-byte key), with BouncyCastle's {@link SCrypt} as Keycloak ships it. Algorithm id {@value #ID}.
 * <p>
 * The cost parameters are bounded ({@link Parsed#of}) so that one verification cannot take more than 128 MiB, whatever
 * was imported.
 */
public class WerkzeugScryptHashProvider extends VerifyOnlyHashProvider {

    public static final String ID = "dropin-werkzeug-scrypt";

    /** Most memory one verification may take ({@code 128 * N * r} bytes): N=2^17 at r=8. Werkzeug's default takes 32 MiB. */
    static final long MAX_MEMORY_BYTES = 128L * 1024 * 1024;

    /** A parsed {@code scrypt:<N>:<r>:<p>$<salt>$<hex>}. */
    record Parsed(int n, int r, int p, String salt, byte[] hash) {

        static Parsed of(String stored) {
            WerkzeugHash fields = WerkzeugHash.split(stored, "scrypt:<N>:<r>:<p>$<salt>$<hash>", 3);
            int n = fields.number(0);
            int r = fields.number(1);
            int p = fields.number(2);
            byte[] hash = fields.hash();
            if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1 || p > 16 || fields.salt().isEmpty()
                    || hash.length == 0) {
                throw new IllegalArgumentException("N must be a power of 2, r and p positive, salt and hash not empty");
            }
            if (128L * n * r > MAX_MEMORY_BYTES) {
                throw new IllegalArgumentException("N=" + n + ", r=" + r + " needs more than 128 MiB per verification");
            }
            return new Parsed(n, r, p, fields.salt(), hash);
        }
    }

    public WerkzeugScryptHashProvider() {
        super(ID);
    }

    @Override
    protected boolean matches(String password, String stored) {
        Parsed parsed = Parsed.of(stored);
        byte[] derived = SCrypt.generate(utf8(password), parsed.salt().getBytes(StandardCharsets.UTF_8),
                parsed.n(), parsed.r(), parsed.p(), parsed.hash().length);
        return MessageDigest.isEqual(derived, parsed.hash());
    }
}
