package io.github.dropin.keycloak.password;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PasswordPolicyProviderFactory;
import org.keycloak.policy.PolicyError;

/**
 * Password policy {@code notEntirelyNumeric}: refuses passwords made only of digits, like Django's
 * {@code NumericPasswordValidator}, so realms migrated from Django can keep that rule. Message key
 * {@code invalidPasswordEntirelyNumericMessage} (in the pack's theme bundles).
 */
public class NotEntirelyNumericPasswordPolicyProviderFactory implements PasswordPolicyProviderFactory, PasswordPolicyProvider, PackProviderFactory<PasswordPolicyProvider> {

    public static final String ID = "notEntirelyNumeric";
    public static final String ERROR_MESSAGE = "invalidPasswordEntirelyNumericMessage";

    @Override
    public PolicyError validate(RealmModel realm, UserModel user, String password) {
        return validate((String) null, password);
    }

    @Override
    public PolicyError validate(String user, String password) {
        return password != null && !password.isEmpty() && password.chars().allMatch(Character::isDigit)
                ? new PolicyError(ERROR_MESSAGE) : null;
    }

    @Override
    public Object parseConfig(String value) {
        return null;
    }

    @Override
    public PasswordPolicyProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getDisplayName() {
        return "Not entirely numeric";
    }

    @Override
    public String getConfigType() {
        return null;
    }

    @Override
    public String getDefaultConfigValue() {
        return null;
    }

    @Override
    public boolean isMultiplSupported() {
        return false;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
        // Both the factory and its provider (this same stateless object) hold nothing.
    }
}
