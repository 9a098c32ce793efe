package io.github.dropin.keycloak.hash;

/**
 * Verifies Django's {@code bcrypt_sha256} hashes ({@code BCryptSHA256PasswordHasher}: {@code bcrypt_sha256$$2b$12$...},
 * bcrypt of the hex SHA-256 of the UTF-8 password, so long passwords count in full). Algorithm id {@value #ID}.
 */
public class BcryptSha256HashProvider extends BcryptHashProvider {

    public static final String ID = "dropin-bcrypt-sha256";

    public BcryptSha256HashProvider() {
        super(ID);
    }

    @Override
    protected byte[] input(String password) {
        return sha256Hex(password);
    }
}
