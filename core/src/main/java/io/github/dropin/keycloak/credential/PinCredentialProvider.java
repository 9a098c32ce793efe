package io.github.dropin.keycloak.credential;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputUpdater;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Credential type {@value #TYPE}: a numeric PIN of {@value #MIN_LENGTH} to {@value #MAX_LENGTH} digits.
 * <p>
 * Stored like a password: hashed by the realm's {@link PasswordHashProvider} (the password policy's hash algorithm
 * and iterations, argon2 by default), in the same credential-data/secret-data format as Keycloak's own password
 * credentials, under its own type, so it appears on the user's <em>Credentials</em> tab of the admin console and can
 * be deleted there. A user has at most one PIN.
 * <p>
 * Checking a PIN through {@code user.credentialManager().isValid(...)} has no attempt limit of its own; callers that
 * let people guess (REST endpoints, authenticators) go through {@link PinAttempts}.
 */
public class PinCredentialProvider implements CredentialProvider<PasswordCredentialModel>, CredentialInputValidator,
        CredentialInputUpdater {

    public static final String TYPE = "dropin-pin";
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 6;

    private static final Pattern FORMAT = Pattern.compile("[0-9]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

    private final KeycloakSession session;

    public PinCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    /** Whether {@code pin} is 4 to 6 ASCII digits. */
    public static boolean isWellFormed(String pin) {
        return pin != null && FORMAT.matcher(pin).matches();
    }

    @Override
    public String getType() {
        return TYPE;
    }

    /** The user's PIN credential, if any. */
    public Optional<CredentialModel> stored(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(TYPE).findFirst();
    }

    /**
     * Hashes and stores {@code pin} as the user's only PIN (replacing one that exists).
     *
     * @throws IllegalArgumentException if the PIN is not 4 to 6 digits
     */
    public CredentialModel setPin(RealmModel realm, UserModel user, String pin) {
        if (!isWellFormed(pin)) {
            throw new IllegalArgumentException("a PIN is " + MIN_LENGTH + " to " + MAX_LENGTH + " digits");
        }
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordCredentialModel encoded = hashProvider(policy.getHashAlgorithm()).encodedCredential(pin, policy.getHashIterations());
        encoded.setType(TYPE);
        encoded.setCreatedDate(Time.currentTimeMillis());
        return createCredential(realm, user, encoded);
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, PasswordCredentialModel credential) {
        credential.setType(TYPE);
        Optional<CredentialModel> existing = stored(user);
        if (existing.isPresent()) {
            credential.setId(existing.get().getId());
            credential.setUserLabel(existing.get().getUserLabel());
            user.credentialManager().updateStoredCredential(credential);
            return credential;
        }
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public PasswordCredentialModel getCredentialFromModel(CredentialModel model) {
        return PasswordCredentialModel.createFromCredentialModel(model);
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return TYPE.equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType) && stored(user).isPresent();
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || !isWellFormed(input.getChallengeResponse())) {
            return false;
        }
        Optional<CredentialModel> stored = stored(user);
        if (stored.isEmpty()) {
            return false;
        }
        PasswordCredentialModel pin = getCredentialFromModel(stored.get());
        if (pin.getPasswordCredentialData() == null || pin.getPasswordSecretData() == null) {
            return false;
        }
        // Verify with the algorithm the PIN was hashed with, which may differ from today's policy.
        PasswordHashProvider hash = session.getProvider(PasswordHashProvider.class,
                pin.getPasswordCredentialData().getAlgorithm());
        return hash != null && hash.verify(input.getChallengeResponse(), pin);
    }

    @Override
    public boolean updateCredential(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType())) {
            return false;
        }
        if (!isWellFormed(input.getChallengeResponse())) {
            throw new ModelException("invalidPinMessage");
        }
        setPin(realm, user, input.getChallengeResponse());
        return true;
    }

    @Override
    public void disableCredentialType(RealmModel realm, UserModel user, String credentialType) {
        if (supportsCredentialType(credentialType)) {
            user.credentialManager().getStoredCredentialsByTypeStream(TYPE).map(CredentialModel::getId).toList()
                    .forEach(id -> user.credentialManager().removeStoredCredentialById(id));
        }
    }

    @Override
    public Stream<String> getDisableableCredentialTypesStream(RealmModel realm, UserModel user) {
        return stored(user).isPresent() ? Stream.of(TYPE) : Stream.empty();
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(TYPE)
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("dropin-pin-display-name")
                .helpText("dropin-pin-help-text")
                .iconCssClass(CredentialTypeMetadata.DEFAULT_ICON_CSS_CLASS)
                .removeable(true)
                .build(session);
    }

    private PasswordHashProvider hashProvider(String algorithm) {
        PasswordHashProvider provider = algorithm == null ? null : session.getProvider(PasswordHashProvider.class, algorithm);
        return provider != null ? provider : session.getProvider(PasswordHashProvider.class);
    }
}
