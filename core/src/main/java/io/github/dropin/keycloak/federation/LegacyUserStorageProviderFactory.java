package io.github.dropin.keycloak.federation;

import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.storage.UserStorageProviderFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * "Legacy Django database" under <em>User federation</em> in the admin console: lazy migration of the users of a
 * Django (or any similar) user table, see {@link LegacyUserStorageProvider}. Saving the form checks the configuration
 * ({@link LegacyDatabaseConfig#problems()}), then connects and looks for the table and every configured column, and
 * refuses the save with the reason ({@link ComponentValidationException}, shown by the console). A save that passes
 * raises the realm's next legacy id ({@link LegacyIds#NEXT_ATTRIBUTE}) above the table's highest id.
 */
public final class LegacyUserStorageProviderFactory implements UserStorageProviderFactory<LegacyUserStorageProvider> {

    public static final String PROVIDER_ID = "dropin-legacy-django";

    private final Outages outages = new Outages();

    @Override
    public LegacyUserStorageProvider create(KeycloakSession session, ComponentModel model) {
        return new LegacyUserStorageProvider(session, model, outages);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Legacy Django database: imports users on their first lookup (username, email, phone) and moves "
                + "their password into Keycloak at their first sign-in.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return LegacyDatabaseConfig.PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        LegacyDatabaseConfig config = LegacyDatabaseConfig.of(model);
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw refusal(String.join("; ", problems));
        }
        String password;
        try {
            password = LegacyDatabase.password(session, config);
        } catch (SQLException e) {
            throw refusal(e.getMessage());
        }
        LegacyDatabase db = new LegacyDatabase(config, password);
        try (Connection connection = db.connect()) {
            List<String> missing = db.missingColumns(connection);
            if (!missing.isEmpty()) {
                throw refusal(String.join("; ", missing));
            }
            // Legacy ids the allocator gives Keycloak's own users (dialects with legacyIds on) must stay clear of the
            // legacy users not imported yet, or those could never be imported.
            LegacyIds.raiseNext(realm, db.maxId(connection) + 1);
        } catch (SQLException e) {
            throw refusal("cannot connect to " + config.safeUrl() + ": " + Outages.describe(e));
        }
    }

    /**
     * The admin REST API treats the message as a message pattern ({@code MessageFormat}, for localised keys), which
     * would eat quotes and braces ({@code 'auth_user'}, {@code ${vault.x}}): they are quoted so they arrive as written.
     */
    static ComponentValidationException refusal(String message) {
        return new ComponentValidationException(message.replace("'", "''").replace("{", "'{'").replace("}", "'}'"));
    }
}
