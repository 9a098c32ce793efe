package io.github.dropin.keycloak.benchmark;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Loads the users of the million-user benchmark ({@link MillionSimulation}) straight into Keycloak's PostgreSQL
 * database with {@code COPY}, because the admin API creates about 150 users a second (a million would take two
 * hours). Every user is what Keycloak itself would have written for a user created through its API, copied from a
 * template user the realm got through that API:
 * <ul>
 *     <li>{@code user_entity}: username {@code m-0000042}, email {@code m-0000042@example.test} (verified), enabled;</li>
 *     <li>{@code user_attribute}: {@code phoneNumber} {@code +4915110000042} (a German mobile number that
 *     libphonenumber accepts), {@code phoneNumberVerified=true}, {@code legacyId} 43 (index + 1);</li>
 *     <li>{@code credential}: the template's password credential, the same pre-computed argon2 hash (the realm
 *     policy's cost) for everybody, so a login costs what it costs for any user;</li>
 *     <li>{@code user_role_mapping}: the template's roles (the realm's default roles).</li>
 * </ul>
 * Ids are derived from realm and index, so a run can be repeated and the simulations know every user without asking.
 * Users are loaded in index order from what the realm holds up to {@code target}; then the tables are vacuumed and
 * analysed, as an operator does after a bulk load and PostgreSQL's autovacuum would do a little later, so that the
 * measurements that follow do not race the first vacuum of a million new rows (nor pay for setting their hint bits).
 */
final class MillionUsers {

    /** The template user the realm gets through the admin API; its password hash and roles are copied. */
    static final String TEMPLATE_USERNAME = "bench-template";
    /** The password of the template, and so of every loaded user. */
    static final String PASSWORD = "Bench-million-password!";
    private static final int CHUNK = 20_000;

    private MillionUsers() {
    }

    static String username(int index) {
        return String.format("m-%07d", index);
    }

    static String email(int index) {
        return username(index) + "@example.test";
    }

    static String phone(int index) {
        return String.format("+491511%07d", index);
    }

    static long legacyId(int index) {
        return index + 1L;
    }

    /** Loads users {@code from} (inclusive) to {@code to} (exclusive) into {@code realm}; returns the seconds it took. */
    static double load(String jdbcUrl, String realm, int from, int to) {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "keycloak", "")) {
            db.setAutoCommit(false);
            String realmId = single(db, "select id from realm where name = ?", realm);
            String templateId = single(db, "select id from user_entity where realm_id = ? and username = ?", realmId,
                    TEMPLATE_USERNAME);
            Map<String, String> credential = new LinkedHashMap<>();
            try (PreparedStatement q = db.prepareStatement(
                    "select secret_data, credential_data, priority from credential where user_id = ? and type = 'password'")) {
                q.setString(1, templateId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("The template user has no password credential");
                    }
                    credential.put("secret", rs.getString(1));
                    credential.put("data", rs.getString(2));
                    credential.put("priority", rs.getString(3));
                }
            }
            List<String> roles = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("select role_id from user_role_mapping where user_id = ?")) {
                q.setString(1, templateId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        roles.add(rs.getString(1));
                    }
                }
            }
            CopyManager copy = ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI();
            long now = System.currentTimeMillis();
            for (int chunk = from; chunk < to; chunk += CHUNK) {
                int end = Math.min(to, chunk + CHUNK);
                StringBuilder users = new StringBuilder();
                StringBuilder attributes = new StringBuilder();
                StringBuilder credentials = new StringBuilder();
                StringBuilder mappings = new StringBuilder();
                for (int i = chunk; i < end; i++) {
                    String id = id(realm, i, "user");
                    row(users, id, email(i), email(i), "t", "t", realmId, username(i), Long.toString(now), "0",
                            "Million", "User " + i);
                    row(attributes, "phoneNumber", phone(i), id, id(realm, i, "phone"));
                    row(attributes, "phoneNumberVerified", "true", id, id(realm, i, "verified"));
                    row(attributes, "legacyId", Long.toString(legacyId(i)), id, id(realm, i, "legacy"));
                    row(credentials, id(realm, i, "password"), "password", id, Long.toString(now),
                            credential.get("secret"), credential.get("data"), credential.get("priority"));
                    for (String role : roles) {
                        row(mappings, role, id);
                    }
                }
                copy.copyIn("COPY user_entity (id, email, email_constraint, email_verified, enabled, realm_id, username, "
                        + "created_timestamp, not_before, first_name, last_name) FROM STDIN", new StringReader(users.toString()));
                copy.copyIn("COPY user_attribute (name, value, user_id, id) FROM STDIN",
                        new StringReader(attributes.toString()));
                copy.copyIn("COPY credential (id, type, user_id, created_date, secret_data, credential_data, priority) "
                        + "FROM STDIN", new StringReader(credentials.toString()));
                copy.copyIn("COPY user_role_mapping (role_id, user_id) FROM STDIN", new StringReader(mappings.toString()));
                db.commit();
                if ((end - from) % 100_000 < CHUNK || end == to) {
                    System.out.printf("[benchmark] loaded users %d..%d of %s (%.0f s)%n", from, end - 1, realm,
                            (System.nanoTime() - started) / 1e9);
                }
            }
            db.setAutoCommit(true);
            try (Statement s = db.createStatement()) {
                for (String table : List.of("user_entity", "user_attribute", "credential", "user_role_mapping")) {
                    s.execute("VACUUM (ANALYZE) " + table);
                }
                s.execute("CHECKPOINT");
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("Loading users into " + jdbcUrl + " failed", e);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** How many users the realm holds, counted in the database: all, or only those this loader made. */
    static int count(String jdbcUrl, String realm, boolean loadedOnly) {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "keycloak", "")) {
            return Integer.parseInt(single(db, "select count(*) from user_entity u join realm r on r.id = u.realm_id "
                    + "where r.name = ?" + (loadedOnly ? " and u.username like 'm-%'" : ""), realm));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count the users of " + realm, e);
        }
    }

    /**
     * PostgreSQL's plans for the lookups the pack makes (Keycloak's own JPQL, as SQL): by phone number and by legacy
     * id (user attributes), by username and by email; with the time each took, for RESULTS.md.
     */
    static Map<String, String> plans(String jdbcUrl, String realm, int index) {
        Map<String, String> plans = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "keycloak", "")) {
            String realmId = single(db, "select id from realm where name = ?", realm);
            String byAttribute = "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) select u.id from user_entity u join "
                    + "user_attribute a on a.user_id = u.id where u.realm_id = ? and a.name = ? and a.value = ?";
            plans.put("user by phone number (attribute phoneNumber)",
                    explain(db, byAttribute, realmId, "phoneNumber", phone(index)));
            plans.put("user by legacy id (attribute legacyId)",
                    explain(db, byAttribute, realmId, "legacyId", Long.toString(legacyId(index))));
            plans.put("user by username", explain(db, "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) select id from "
                    + "user_entity where username = ? and realm_id = ?", username(index), realmId));
            plans.put("user by email", explain(db, "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) select id from "
                    + "user_entity where email = ? and realm_id = ?", email(index), realmId));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot explain the lookups", e);
        }
        return plans;
    }

    /**
     * What Keycloak's attribute query costs PostgreSQL alone (no Keycloak in between): the mean microseconds of one
     * execution, through one prepared statement, over {@code values} (the ids or numbers a scenario looks up), after a
     * first pass that warms the buffers and the plan cache.
     */
    static double attributeQueryMicros(String jdbcUrl, String realm, String attribute, List<String> values) {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "keycloak", "")) {
            String realmId = single(db, "select id from realm where name = ?", realm);
            try (PreparedStatement q = db.prepareStatement("select u.id from user_entity u join user_attribute a on "
                    + "a.user_id = u.id where u.realm_id = ? and a.name = ? and a.value = ?")) {
                q.setString(1, realmId);
                q.setString(2, attribute);
                long started = 0;
                int found = 0;
                for (int pass = 0; pass < 3; pass++) {
                    if (pass == 1) {
                        started = System.nanoTime();
                        found = 0;
                    }
                    for (String value : values) {
                        q.setString(3, value);
                        try (ResultSet rs = q.executeQuery()) {
                            found += rs.next() ? 1 : 0;
                        }
                    }
                }
                if (found != 2 * values.size()) {
                    throw new IllegalStateException("Only " + found / 2 + " of " + values.size() + " " + attribute
                            + " values found");
                }
                return (System.nanoTime() - started) / 1e3 / (2.0 * values.size());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot time the " + attribute + " query", e);
        }
    }

    private static String explain(Connection db, String sql, String... parameters) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    static String id(String realm, int index, String what) {
        return UUID.nameUUIDFromBytes(("dropin-million/" + realm + "/" + index + "/" + what)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String single(Connection db, String sql, String... parameters) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Nothing for " + sql + " " + List.of(parameters));
                }
                return rs.getString(1);
            }
        }
    }

    /** One line of PostgreSQL's COPY text format. */
    private static void row(StringBuilder out, String... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            String v = values[i];
            if (v == null) {
                out.append("\\N");
            } else {
                out.append(v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"));
            }
        }
        out.append('\n');
    }
}
