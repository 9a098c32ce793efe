package io.github.dropin.keycloak.code;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.keys.KeyProvider;
import org.keycloak.keys.KeyProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.stream.Stream;

/**
 * The component type that holds a realm's one-time-code secret ({@link CodeSecret}): a key provider, because key
 * provider components are where Keycloak keeps a realm's generated secrets (the {@code hmac-generated} and
 * {@code aes-generated} keys): in the realm's database rows, cached and invalidated across the cluster like any realm
 * data, exported with the realm, and never shown by the admin API.
 * <p>
 * It is {@linkplain #isInternal() internal}: the admin console and the component REST API neither list, show, change
 * nor delete it, so that rotating the realm's signing keys (a routine task in Realm settings &gt; Keys) cannot touch
 * it by mistake. It gives Keycloak's key manager no keys at all ({@link #create} returns an empty provider): the
 * secret must never sign or encrypt a token.
 * <p>
 * Keycloak 26.4 has no internal components: there the component is listed among the realm's key providers (as
 * "dropin-code-secret", with no keys and its secret never shown), and an administrator could delete it, after which
 * the pack creates a new secret and codes pending at that moment stop verifying.
 */
public class CodeSecretProviderFactory implements KeyProviderFactory<KeyProvider> {

    public static final String PROVIDER_ID = "dropin-code-secret";

    /**
     * The secret, declared as a secret so that the admin API masks it where the component can be read at all
     * (Keycloak 26.4, which has no internal components).
     */
    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(CodeSecret.SECRET).label("Secret").type(ProviderConfigProperty.PASSWORD).secret(true)
            .helpText("Created by the pack; at least 32 random bytes, base64url").add()
            .build();

    @Override
    public KeyProvider create(KeycloakSession session, ComponentModel model) {
        return Stream::empty;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (CodeSecret.secretOf(model) == null) {
            throw new ComponentValidationException("the pack's code secret needs a secret of at least 32 bytes");
        }
    }

    /** Keycloak 26.7's {@code ComponentFactory.isInternal()}; Keycloak 26.4 has no internal components. */
    @SuppressWarnings("MissingOverride")
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getHelpText() {
        return "Secret of the Keycloak Drop-in Pack's one-time codes (created by the pack; not a signing key)";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
