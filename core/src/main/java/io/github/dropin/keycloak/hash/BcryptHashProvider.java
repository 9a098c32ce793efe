package io.github.dropin.keycloak.hash;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Verifies Django's {@code bcrypt} hashes ({@code BCryptPasswordHasher}: {@code bcrypt$$2b$12$...}, bcrypt of the
 * UTF-8 password, of which bcrypt reads the first 72 bytes), with BouncyCastle's {@link OpenBSDBCrypt} as Keycloak
 * ships it. Algorithm id {@value #ID}; see {@link BcryptSha256HashProvider} for {@code bcrypt_sha256}.
 */
public class BcryptHashProvider extends VerifyOnlyHashProvider {

    public static final String ID = "dropin-bcrypt";

    public BcryptHashProvider() {
        this(ID);
    }

    BcryptHashProvider(String id) {
        super(id);
    }

    @Override
    protected boolean matches(String password, String stored) {
        return OpenBSDBCrypt.checkPassword(bcryptPart(stored), input(password));
    }

    /** What is fed to bcrypt: the password's UTF-8 bytes (OpenBSDBCrypt truncates at 72 bytes, as Python's bcrypt). */
    protected byte[] input(String password) {
        return utf8(password);
    }

    /** The {@code $2b$...} part of a stored value, with or without Django's {@code <algorithm>$} in front. */
    static String bcryptPart(String stored) {
        int start = stored.indexOf("$2");
        if (start < 0) {
            throw new IllegalArgumentException("not a bcrypt hash");
        }
        return stored.substring(start);
    }

    /** {@code hex(sha256(password))}, Django's {@code BCryptSHA256PasswordHasher} input. */
    static byte[] sha256Hex(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8(password));
            return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
