package io.github.dropin.keycloak.federation;

import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Read-only access to the legacy user table over JDBC: one connection per lookup (opened with the configured timeout,
 * closed after it), so an outage costs nothing once it is over and no pool can hold broken connections. Only
 * parameterised SELECTs; table and column names come from a {@link LegacyDatabaseConfig} whose {@link
 * LegacyDatabaseConfig#problems()} are empty.
 * <p>
 * The driver is one Keycloak ships, found by {@link JdbcDrivers}.
 */
final class LegacyDatabase {

    /** A row of the user table (with its phone number, when configured). */
    record LegacyUser(long id, String username, String email, String passwordHash, String firstName, String lastName,
                      boolean active, Long joinedMillis, String phone, boolean phoneVerified) {
    }

    private final LegacyDatabaseConfig config;
    private final String password;

    /** @param password the resolved database password ({@code null}: none) */
    LegacyDatabase(LegacyDatabaseConfig config, String password) {
        this.config = config;
        this.password = password;
    }

    /**
     * The database password the configuration's vault reference names; {@code null} when the field is empty.
     *
     * @throws SQLException when the vault has no such secret (no connection can be made; never says the value)
     */
    static String password(KeycloakSession session, LegacyDatabaseConfig config) throws SQLException {
        String reference = config.passwordReference();
        if (reference.isEmpty()) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference)) {
            // The transcriber hands back a value that is no vault expression as it is: never a password here.
            Optional<String> value = secret.get();
            if (value.isEmpty() || value.get().equals(reference)) {
                throw new SQLException("the vault has no secret for " + reference);
            }
            return value.get();
        }
    }

    Connection connect() throws SQLException {
        String driverClass = config.driverClass().orElseThrow(() -> new SQLException("unsupported JDBC URL"));
        Driver driver = JdbcDrivers.driver(driverClass);
        Properties properties = new Properties();
        if (!config.user().isEmpty()) {
            properties.setProperty("user", config.user());
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        int seconds = config.connectTimeoutSeconds();
        if (driverClass.equals("org.postgresql.Driver")) {
            // Seconds for PostgreSQL; a hung server also ends a read after twice the timeout.
            properties.setProperty("connectTimeout", Integer.toString(seconds));
            properties.setProperty("loginTimeout", Integer.toString(seconds));
            properties.setProperty("socketTimeout", Integer.toString(seconds * 2));
            properties.setProperty("readOnly", "true");
        } else {
            // Milliseconds for MySQL's and MariaDB's drivers.
            properties.setProperty("connectTimeout", Integer.toString(seconds * 1000));
            properties.setProperty("socketTimeout", Integer.toString(seconds * 2000));
        }
        Connection connection = driver.connect(config.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("the JDBC driver does not accept this URL");
        }
        return connection;
    }

    Optional<LegacyUser> byId(long id) throws SQLException {
        return one("u." + config.idColumn() + " = ?", List.of(id));
    }

    /** The user whose username is {@code username} ignoring case (Keycloak's usernames are lower case). */
    Optional<LegacyUser> byUsername(String username) throws SQLException {
        if (config.usernameColumn().isEmpty()) {
            return Optional.empty();
        }
        return one("LOWER(u." + config.usernameColumn() + ") = ?", List.of(username.toLowerCase(Locale.ROOT)));
    }

    /** The one user with this email ignoring case; none when several share it (Django does not make it unique). */
    Optional<LegacyUser> byEmail(String email) throws SQLException {
        if (config.emailColumn().isEmpty()) {
            return Optional.empty();
        }
        return one("LOWER(u." + config.emailColumn() + ") = ?", List.of(email.toLowerCase(Locale.ROOT)));
    }

    /**
     * The users whose phone column holds one of {@code writings} (the ways the same number may be stored); the
     * caller normalises what it finds and keeps the matching one.
     */
    List<LegacyUser> byPhone(Set<String> writings) throws SQLException {
        if (config.phoneColumn().isEmpty() || writings.isEmpty()) {
            return List.of();
        }
        String placeholders = String.join(", ", writings.stream().map(w -> "?").toList());
        return query(phoneSource() + "." + config.phoneColumn() + " IN (" + placeholders + ")",
                new ArrayList<>(writings), 3);
    }

    /**
     * What is missing for the configuration to work, checked in the database's catalogue: the tables and their
     * columns; empty when everything is there.
     */
    List<String> missingColumns(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        List<String> userColumns = new ArrayList<>(List.of(config.idColumn(), config.passwordColumn()));
        for (String column : List.of(config.usernameColumn(), config.emailColumn(), config.firstNameColumn(),
                config.lastNameColumn(), config.activeColumn(), config.dateJoinedColumn())) {
            if (!column.isEmpty()) {
                userColumns.add(column);
            }
        }
        List<String> phoneColumns = new ArrayList<>();
        if (!config.phoneColumn().isEmpty()) {
            phoneColumns.add(config.phoneColumn());
            if (!config.phoneVerifiedColumn().isEmpty()) {
                phoneColumns.add(config.phoneVerifiedColumn());
            }
        }
        if (config.phoneTable().isEmpty()) {
            userColumns.addAll(phoneColumns);
            phoneColumns.clear();
        } else {
            phoneColumns.add(config.phoneUserIdColumn());
        }
        check(connection, config.table(), userColumns, missing);
        if (!config.phoneTable().isEmpty()) {
            check(connection, config.phoneTable(), phoneColumns, missing);
        }
        return missing;
    }

    /** The highest legacy id in the user table (0 when it is empty). */
    long maxId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT MAX(" + config.idColumn() + ") FROM "
                + config.table())) {
            statement.setQueryTimeout(config.connectTimeoutSeconds());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void check(Connection connection, String table, List<String> columns, List<String> missing)
            throws SQLException {
        Set<String> present = columns(connection.getMetaData(), table);
        if (present.isEmpty()) {
            missing.add("table " + table + " does not exist (or the database user cannot read it)");
            return;
        }
        for (String column : columns) {
            if (!present.contains(column.toLowerCase(Locale.ROOT))) {
                missing.add("table " + table + " has no column " + column);
            }
        }
    }

    /** The table's column names in lower case, trying the name as written, in lower and in upper case. */
    private static Set<String> columns(DatabaseMetaData meta, String qualified) throws SQLException {
        int dot = qualified.indexOf('.');
        String schema = dot < 0 ? null : qualified.substring(0, dot);
        String table = dot < 0 ? qualified : qualified.substring(dot + 1);
        Set<String> names = new HashSet<>();
        for (String candidate : new java.util.LinkedHashSet<>(List.of(table, table.toLowerCase(Locale.ROOT),
                table.toUpperCase(Locale.ROOT)))) {
            // MySQL and MariaDB call a database a catalog; PostgreSQL calls it a schema.
            try (ResultSet rs = meta.getColumns(null, schema, candidate, null)) {
                while (rs.next()) {
                    names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (schema != null && names.isEmpty()) {
                try (ResultSet rs = meta.getColumns(schema, null, candidate, null)) {
                    while (rs.next()) {
                        names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (!names.isEmpty()) {
                break;
            }
        }
        return names;
    }

    private Optional<LegacyUser> one(String condition, List<Object> parameters) throws SQLException {
        List<LegacyUser> found = query(condition, parameters, 2);
        // Two rows for one name or address identify nobody.
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    private List<LegacyUser> query(String condition, List<Object> parameters, int limit) throws SQLException {
        String sql = select() + " WHERE " + condition;
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(config.connectTimeoutSeconds());
            statement.setMaxRows(limit);
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<LegacyUser> users = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    users.add(read(rs));
                }
            }
            return users;
        }
    }

    /** The SELECT, with every column under a fixed alias (c0...c9) and a constant where a column is left out. */
    String select() {
        String u = "u.";
        String phone = phoneSource() + ".";
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(u).append(config.idColumn()).append(" AS c0, ")
                .append(column(u, config.usernameColumn())).append(" AS c1, ")
                .append(column(u, config.emailColumn())).append(" AS c2, ")
                .append(u).append(config.passwordColumn()).append(" AS c3, ")
                .append(column(u, config.firstNameColumn())).append(" AS c4, ")
                .append(column(u, config.lastNameColumn())).append(" AS c5, ")
                .append(column(u, config.activeColumn())).append(" AS c6, ")
                .append(column(u, config.dateJoinedColumn())).append(" AS c7, ")
                .append(column(phone, config.phoneColumn())).append(" AS c8, ")
                .append(column(phone, config.phoneVerifiedColumn())).append(" AS c9")
                .append(" FROM ").append(config.table()).append(" u");
        if (!config.phoneTable().isEmpty()) {
            sql.append(" LEFT JOIN ").append(config.phoneTable()).append(" p ON p.")
                    .append(config.phoneUserIdColumn()).append(" = u.").append(config.idColumn());
        }
        return sql.toString();
    }

    private String phoneSource() {
        return config.phoneTable().isEmpty() ? "u" : "p";
    }

    private static String column(String prefix, String column) {
        return column.isEmpty() ? "NULL" : prefix + column;
    }

    private static LegacyUser read(ResultSet rs) throws SQLException {
        long id = rs.getLong("c0");
        Object active = rs.getObject("c6");
        Timestamp joined = rs.getTimestamp("c7");
        Object verified = rs.getObject("c9");
        return new LegacyUser(id, blankToNull(rs.getString("c1")), blankToNull(rs.getString("c2")),
                rs.getString("c3"), blankToNull(rs.getString("c4")), blankToNull(rs.getString("c5")),
                active == null || truthy(active), joined == null ? null : joined.getTime(),
                blankToNull(rs.getString("c8")), verified != null && truthy(verified));
    }

    /** Booleans as each database returns them: {@code Boolean}, a number (MySQL's TINYINT), or text. */
    private static boolean truthy(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.intValue() != 0;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        return text.equals("true") || text.equals("t") || text.equals("1") || text.equals("yes");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
