package io.github.dropin.keycloak.hash;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.PasswordHashProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.nio.charset.StandardCharsets;

/**
 * Base of the pack's password-hash providers for imported legacy hashes that Keycloak has no provider of its own for
 * (bcrypt, Werkzeug's pbkdf2 and scrypt). They only verify: the credential's {@code value} is the hash exactly as the
 * legacy framework stored it, and after the first successful sign-in Keycloak re-hashes the password with the realm's
 * policy (its own providers' {@code policyCheck} never accepts these algorithms), so a verify-only hash lives until
 * its user's next login. Each provider is its own factory and a stateless singleton.
 * <p>
 * Creating a hash is refused: a realm whose password policy named one of these algorithms would otherwise store
 * passwords in a legacy format. Keycloak then fails the password change with this message in its log.
 */
public abstract class VerifyOnlyHashProvider implements PasswordHashProvider, PasswordHashProviderFactory,
        PackProviderFactory<PasswordHashProvider> {

    private final String id;

    protected VerifyOnlyHashProvider(String id) {
        this.id = id;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public PasswordHashProvider create(KeycloakSession session) {
        return this;
    }

    /** Never the realm's policy: Keycloak re-hashes after the next successful sign-in. */
    @Override
    public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
        return false;
    }

    @Override
    public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
        throw new UnsupportedOperationException("Password hash '" + id + "' only verifies imported legacy hashes; "
                + "choose another hashing algorithm in the realm's password policy");
    }

    @Override
    public boolean verify(String rawPassword, PasswordCredentialModel credential) {
        String stored = credential.getPasswordSecretData().getValue();
        if (rawPassword == null || stored == null) {
            return false;
        }
        try {
            return matches(rawPassword, stored);
        } catch (IllegalArgumentException malformed) {
            // The importer only stores hashes it parsed; a value edited since then simply does not verify.
            return false;
        }
    }

    /**
     * Whether {@code password} is the one {@code stored} (the legacy framework's text) was made from.
     *
     * @throws IllegalArgumentException when {@code stored} is not in the provider's format
     */
    protected abstract boolean matches(String password, String stored);

    /** The password as the Python frameworks hash it ({@code str.encode()}: UTF-8). */
    protected static byte[] utf8(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Factory and provider are one stateless object.
    }
}
