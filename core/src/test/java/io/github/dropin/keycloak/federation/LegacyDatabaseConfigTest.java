package io.github.dropin.keycloak.federation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LegacyDatabaseConfigTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/app";

    private static LegacyDatabaseConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put(LegacyDatabaseConfig.JDBC_URL, URL);
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return LegacyDatabaseConfig.of(values);
    }

    @Test
    void djangosDefaultsNeedOnlyAUrl() {
        LegacyDatabaseConfig config = config();
        assertThat(config.problems()).isEmpty();
        assertThat(config.table()).isEqualTo("auth_user");
        assertThat(config.idColumn()).isEqualTo("id");
        assertThat(config.usernameColumn()).isEqualTo("username");
        assertThat(config.emailColumn()).isEqualTo("email");
        assertThat(config.passwordColumn()).isEqualTo("password");
        assertThat(config.activeColumn()).isEqualTo("is_active");
        assertThat(config.dateJoinedColumn()).isEqualTo("date_joined");
        assertThat(config.phoneColumn()).isEmpty();
        assertThat(config.connectTimeoutSeconds()).isEqualTo(5);
        assertThat(config.driverClass()).contains("org.postgresql.Driver");
        assertThat(new LegacyDatabase(config, null).select()).isEqualTo("SELECT u.id AS c0, u.username AS c1, "
                + "u.email AS c2, u.password AS c3, u.first_name AS c4, u.last_name AS c5, u.is_active AS c6, "
                + "u.date_joined AS c7, NULL AS c8, NULL AS c9 FROM auth_user u");
    }

    @Test
    void aPhoneTableIsJoinedByTheUserId() {
        LegacyDatabaseConfig config = config(LegacyDatabaseConfig.PHONE_TABLE, "accounts_profile",
                LegacyDatabaseConfig.PHONE_COLUMN, "phone_number", LegacyDatabaseConfig.PHONE_VERIFIED_COLUMN,
                "is_phone_verified", LegacyDatabaseConfig.FIRST_NAME_COLUMN, "");
        assertThat(config.problems()).isEmpty();
        assertThat(new LegacyDatabase(config, null).select()).isEqualTo("SELECT u.id AS c0, u.username AS c1, "
                + "u.email AS c2, u.password AS c3, NULL AS c4, u.last_name AS c5, u.is_active AS c6, "
                + "u.date_joined AS c7, p.phone_number AS c8, p.is_phone_verified AS c9 FROM auth_user u "
                + "LEFT JOIN accounts_profile p ON p.user_id = u.id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth_user; DROP TABLE auth_user", "auth_user u", "\"auth_user\"", "1table", "a.b.c",
            "auth-user", "t234567890123456789012345678901234567890123456789012345678901234"})
    void tableNamesMustBePlainIdentifiers(String table) {
        assertThat(config(LegacyDatabaseConfig.TABLE, table).problems())
                .singleElement().asString().startsWith("table '").contains("is not a plain SQL name");
    }

    @Test
    void aSchemaQualifiedTableIsAllowed() {
        assertThat(config(LegacyDatabaseConfig.TABLE, "legacy.auth_user").problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"id)--", "id, password", "e mail", "email'"})
    void columnNamesMustBePlainIdentifiers(String column) {
        assertThat(config(LegacyDatabaseConfig.EMAIL_COLUMN, column).problems())
                .containsExactly("emailColumn '" + column + "' is not a plain SQL name (letters, digits and _, not "
                        + "starting with a digit, at most 63 characters)");
    }

    @Test
    void emptyOptionalColumnsAreLeftOutButRequiredOnesAreNot() {
        LegacyDatabaseConfig config = config(LegacyDatabaseConfig.EMAIL_COLUMN, "", LegacyDatabaseConfig.ACTIVE_COLUMN,
                "", LegacyDatabaseConfig.ID_COLUMN, "", LegacyDatabaseConfig.PASSWORD_COLUMN, "");
        // Empty required columns take their defaults: the console sends an emptied field as an empty value.
        assertThat(config.problems()).isEmpty();
        assertThat(config.emailColumn()).isEmpty();
        assertThat(config.activeColumn()).isEmpty();
        assertThat(config.idColumn()).isEqualTo("id");
        assertThat(config(LegacyDatabaseConfig.USERNAME_COLUMN, "", LegacyDatabaseConfig.EMAIL_COLUMN, "").problems())
                .containsExactly("either usernameColumn or emailColumn is needed to name the users");
    }

    @Test
    void onlyTheDriversKeycloakShipsAndNoPasswordInTheUrl() {
        assertThat(config(LegacyDatabaseConfig.JDBC_URL, "").problems()).containsExactly("JDBC URL is required");
        assertThat(config(LegacyDatabaseConfig.JDBC_URL, "jdbc:sqlserver://db;databaseName=app").problems())
                .singleElement().asString().startsWith("JDBC URL must start with one of [jdbc:mariadb:, jdbc:mysql:, ");
        assertThat(config(LegacyDatabaseConfig.JDBC_URL, "jdbc:mysql://db/app").driverClass())
                .contains("com.mysql.cj.jdbc.Driver");
        assertThat(config(LegacyDatabaseConfig.JDBC_URL, "jdbc:mariadb://db/app").driverClass())
                .contains("org.mariadb.jdbc.Driver");
        LegacyDatabaseConfig withPassword = config(LegacyDatabaseConfig.JDBC_URL, URL + "?user=app&password=hunter2");
        assertThat(withPassword.problems()).containsExactly(
                "JDBC URL must not carry a password; use the password field with a vault reference");
        assertThat(withPassword.safeUrl()).isEqualTo(URL);
    }

    @Test
    void thePasswordMustBeAVaultReference() {
        assertThat(config(LegacyDatabaseConfig.PASSWORD, "${vault.legacy_db}").problems()).isEmpty();
        assertThat(config(LegacyDatabaseConfig.PASSWORD, "hunter2").problems()).containsExactly(
                "the database password must be a vault reference such as ${vault.legacy_db_password}, not the "
                        + "password itself");
    }

    @Test
    void theTimeoutIsBounded() {
        assertThat(config(LegacyDatabaseConfig.CONNECT_TIMEOUT, "0").problems())
                .containsExactly("connectTimeout must be 1-30 seconds");
        assertThat(config(LegacyDatabaseConfig.CONNECT_TIMEOUT, "soon").problems())
                .containsExactly("connectTimeout must be a whole number of seconds");
        assertThat(config(LegacyDatabaseConfig.CONNECT_TIMEOUT, "99").connectTimeoutSeconds()).isEqualTo(30);
    }

    @Test
    void theFormListsEveryKeyOnce() {
        assertThat(LegacyDatabaseConfig.PROPERTIES).extracting(ProviderConfigProperty::getName).doesNotHaveDuplicates()
                .contains(LegacyDatabaseConfig.JDBC_URL, LegacyDatabaseConfig.PASSWORD, LegacyDatabaseConfig.TABLE,
                        LegacyDatabaseConfig.PHONE_COLUMN, LegacyDatabaseConfig.CONNECT_TIMEOUT);
        assertThat(LegacyDatabaseConfig.PROPERTIES).filteredOn(p -> p.getName().equals(LegacyDatabaseConfig.TABLE))
                .singleElement().extracting(ProviderConfigProperty::getDefaultValue).isEqualTo("auth_user");
    }
}
