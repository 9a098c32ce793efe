package io.github.dropin.keycloak.federation;

import org.keycloak.component.ComponentModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration of a "Legacy Django database" federation component, as the admin console's form writes it: the
 * fields ({@link Field}: key, label, default, help), the form built from them ({@link #PROPERTIES}) and a typed reader
 * with Django's defaults that tolerates a missing value ({@link #of}), plus the checks {@link #problems()} that need no
 * database.
 * <p>
 * Table and column names are put into SQL as they are (a statement's parameters cannot name them), so each must be a
 * plain identifier ({@value #IDENTIFIER_TEXT}, a table optionally qualified by its schema); anything else is refused
 * when the component is saved and never reaches a statement. Values always travel as statement parameters.
 */
public final class LegacyDatabaseConfig {

    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    public static final int MAX_CONNECT_TIMEOUT_SECONDS = 30;

    static final String IDENTIFIER_TEXT = "letters, digits and _, not starting with a digit, at most 63 characters";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern VAULT_EXPRESSION = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");

    /** The databases whose JDBC drivers Keycloak ships (lib/lib/main), by URL prefix, with their driver class. */
    static final Map<String, String> DRIVERS = Map.of(
            "jdbc:postgresql:", "org.postgresql.Driver",
            "jdbc:mysql:", "com.mysql.cj.jdbc.Driver",
            "jdbc:mariadb:", "org.mariadb.jdbc.Driver");

    /**
     * The form's fields in display order, each with its property name, label, how it is read ({@link Kind}), default
     * (the form's, and the reader's for a missing value; none: empty) and help text.
     *
     * @param key the property name in the component's configuration
     */
    public record Field(String key, String label, Kind kind, Object defaultValue, String help) {

        public static final Field JDBC_URL = new Field("jdbcUrl", "JDBC URL", Kind.REQUIRED, null,
                "The legacy database, e.g. jdbc:postgresql://db.internal:5432/app (also jdbc:mysql: and "
                        + "jdbc:mariadb:; Keycloak ships these drivers). Read only: the provider runs SELECTs only. Put "
                        + "no password in the URL.");
        public static final Field USER = new Field("user", "Database user", Kind.TEXT, null,
                "A user that may read the tables below (SELECT only is enough).");
        // A reference, not a secret: shown as it is, so an administrator can tell which vault key is used.
        public static final Field PASSWORD = new Field("password", "Database password", Kind.TEXT, null,
                "A vault reference such as ${vault.legacy_db_password} (Keycloak's vault: a file, a Kubernetes "
                        + "secret); a plain password is refused. Empty: no password (trust or certificate "
                        + "authentication).");
        public static final Field TABLE = new Field("table", "User table", Kind.TEXT, "auth_user",
                "The table of the users (Django: auth_user, or <app>_<model> for a custom user model); schema.table "
                        + "is allowed.");
        public static final Field ID_COLUMN = new Field("idColumn", "Id column", Kind.TEXT, "id",
                "The integer primary key; it becomes the user's legacyId, as in the bulk import.");
        public static final Field USERNAME_COLUMN = new Field("usernameColumn", "Username column", Kind.OPTIONAL,
                "username", "Empty: the users have none (they are named by their email).");
        public static final Field EMAIL_COLUMN = new Field("emailColumn", "Email column", Kind.OPTIONAL, "email",
                "Empty: not read (no sign-in by email).");
        public static final Field PASSWORD_COLUMN = new Field("passwordColumn", "Password column", Kind.TEXT,
                "password", "Django's encoded hash (pbkdf2_sha256$..., argon2$..., bcrypt_sha256$...). Checked at the "
                + "user's first sign-in, then stored in Keycloak re-hashed by the realm's policy.");
        public static final Field FIRST_NAME_COLUMN = new Field("firstNameColumn", "First name column", Kind.OPTIONAL,
                "first_name", "Empty: not read.");
        public static final Field LAST_NAME_COLUMN = new Field("lastNameColumn", "Last name column", Kind.OPTIONAL,
                "last_name", "Empty: not read.");
        public static final Field ACTIVE_COLUMN = new Field("activeColumn", "Active column", Kind.OPTIONAL,
                "is_active", "A boolean; inactive users are imported disabled, as by the bulk import. Empty: every "
                + "user is active.");
        public static final Field DATE_JOINED_COLUMN = new Field("dateJoinedColumn", "Date joined column",
                Kind.OPTIONAL, "date_joined", "A timestamp; it becomes the user's creation date. Empty: not read.");
        public static final Field PHONE_TABLE = new Field("phoneTable", "Phone table", Kind.OPTIONAL, null,
                "Where the phone number is: empty for a column of the user table, or a profile table joined by the "
                        + "user id column below (e.g. accounts_profile).");
        public static final Field PHONE_USER_ID_COLUMN = new Field("phoneUserIdColumn", "Phone table's user id column",
                Kind.TEXT, "user_id",
                "The phone table's column that holds the user's id (a OneToOneField to the user: user_id).");
        public static final Field PHONE_COLUMN = new Field("phoneColumn", "Phone column", Kind.OPTIONAL, null,
                "The phone number (E.164 as django-phonenumber-field stores it, or a number in the realm's default "
                        + "region); it becomes attribute phoneNumber. Empty: no phone numbers.");
        public static final Field PHONE_VERIFIED_COLUMN = new Field("phoneVerifiedColumn", "Phone verified column",
                Kind.OPTIONAL, null,
                "A boolean; it becomes phoneNumberVerified. Empty: imported numbers count as not verified.");
        public static final Field CONNECT_TIMEOUT = new Field("connectTimeout", "Connect timeout (s)", Kind.SECONDS,
                DEFAULT_CONNECT_TIMEOUT_SECONDS, "Longest wait for a connection and for a query, 1-"
                + MAX_CONNECT_TIMEOUT_SECONDS + " s. A sign-in waits this long when the database is unreachable, "
                + "then fails.");

        /** All fields, in display order. */
        static final List<Field> ALL = List.of(JDBC_URL, USER, PASSWORD, TABLE, ID_COLUMN, USERNAME_COLUMN,
                EMAIL_COLUMN, PASSWORD_COLUMN, FIRST_NAME_COLUMN, LAST_NAME_COLUMN, ACTIVE_COLUMN, DATE_JOINED_COLUMN,
                PHONE_TABLE, PHONE_USER_ID_COLUMN, PHONE_COLUMN, PHONE_VERIFIED_COLUMN, CONNECT_TIMEOUT);

        /** The value in the component's configuration, or the default as {@link Kind} says. */
        private String read(Map<String, String> values) {
            String fallback = defaultValue == null ? "" : defaultValue.toString();
            String value = values.get(key);
            if (kind == Kind.OPTIONAL) {
                // The console sends an emptied field as an empty value: present but empty means "not read".
                return !values.containsKey(key) ? fallback : value == null ? "" : value.trim();
            }
            return value == null || value.isBlank() ? fallback : value.trim();
        }
    }

    /** How a field is shown and read. */
    public enum Kind {
        /** Text the form requires; blank: the default. */
        REQUIRED,
        /** Text; blank: the default. */
        TEXT,
        /** A column that may be left out: a missing key takes the default, an empty value means "not read". */
        OPTIONAL,
        /** A whole number of seconds; blank: the default. */
        SECONDS
    }

    /** The fields that name a table or a column, in the order their problems are told. */
    private static final List<Field> SQL_NAMES = List.of(Field.TABLE, Field.ID_COLUMN, Field.USERNAME_COLUMN,
            Field.EMAIL_COLUMN, Field.PASSWORD_COLUMN, Field.FIRST_NAME_COLUMN, Field.LAST_NAME_COLUMN,
            Field.ACTIVE_COLUMN, Field.DATE_JOINED_COLUMN, Field.PHONE_TABLE, Field.PHONE_COLUMN,
            Field.PHONE_VERIFIED_COLUMN, Field.PHONE_USER_ID_COLUMN);

    /** The admin console's form, in display order. */
    public static final List<ProviderConfigProperty> PROPERTIES = form();

    private final Map<Field, String> values = new HashMap<>();

    private LegacyDatabaseConfig(Map<String, String> values) {
        for (Field field : Field.ALL) {
            this.values.put(field, field.read(values));
        }
    }

    private static List<ProviderConfigProperty> form() {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Field field : Field.ALL) {
            builder.property().name(field.key()).label(field.label())
                    .type(field.kind() == Kind.SECONDS ? ProviderConfigProperty.INTEGER_TYPE
                            : ProviderConfigProperty.STRING_TYPE)
                    .required(field.kind() == Kind.REQUIRED).defaultValue(field.defaultValue())
                    .helpText(field.help()).add();
        }
        return builder.build();
    }

    /** The component's configuration (missing keys: the defaults). */
    public static LegacyDatabaseConfig of(ComponentModel model) {
        Map<String, String> values = new HashMap<>();
        model.getConfig().forEach((key, list) -> {
            if (list != null && !list.isEmpty()) {
                values.put(key, list.get(0));
            }
        });
        return of(values);
    }

    /** A configuration from plain values (missing keys: the defaults). */
    public static LegacyDatabaseConfig of(Map<String, String> values) {
        return new LegacyDatabaseConfig(values);
    }

    /**
     * What is wrong with this configuration without asking the database, one sentence each; empty when nothing.
     * Never repeats the password.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String jdbcUrl = jdbcUrl();
        String password = passwordReference();
        if (jdbcUrl.isEmpty()) {
            problems.add("JDBC URL is required");
        } else if (driverClass().isEmpty()) {
            problems.add("JDBC URL must start with one of " + DRIVERS.keySet().stream().sorted().toList()
                    + " (the drivers Keycloak ships)");
        } else if (jdbcUrl.toLowerCase(Locale.ROOT).contains("password=")) {
            problems.add("JDBC URL must not carry a password; use the password field with a vault reference");
        }
        if (!password.isEmpty() && !VAULT_EXPRESSION.matcher(password).matches()) {
            problems.add("the database password must be a vault reference such as ${vault.legacy_db_password}, "
                    + "not the password itself");
        }
        for (Field field : SQL_NAMES) {
            // The phone table's user id column is read only with a phone table.
            if (field != Field.PHONE_USER_ID_COLUMN || !phoneTable().isEmpty()) {
                sqlName(field, problems);
            }
        }
        if (!phoneTable().isEmpty() && phoneColumn().isEmpty()) {
            problems.add(Field.PHONE_TABLE.key() + " is set but " + Field.PHONE_COLUMN.key() + " is empty");
        }
        if (usernameColumn().isEmpty() && emailColumn().isEmpty()) {
            problems.add("either " + Field.USERNAME_COLUMN.key() + " or " + Field.EMAIL_COLUMN.key()
                    + " is needed to name the users");
        }
        try {
            int seconds = Integer.parseInt(values.get(Field.CONNECT_TIMEOUT));
            if (seconds < 1 || seconds > MAX_CONNECT_TIMEOUT_SECONDS) {
                problems.add(Field.CONNECT_TIMEOUT.key() + " must be 1-" + MAX_CONNECT_TIMEOUT_SECONDS + " seconds");
            }
        } catch (NumberFormatException e) {
            problems.add(Field.CONNECT_TIMEOUT.key() + " must be a whole number of seconds");
        }
        return problems;
    }

    /** Whether the field's value is a plain table (schema.table allowed) or column name, and there if required. */
    private void sqlName(Field field, List<String> problems) {
        boolean required = field.kind() != Kind.OPTIONAL;
        if (field == Field.TABLE || field == Field.PHONE_TABLE) {
            table(field.key(), values.get(field), required, problems);
        } else {
            identifier(field.key(), values.get(field), required, problems);
        }
    }

    private static void identifier(String key, String value, boolean required, List<String> problems) {
        if (value.isEmpty()) {
            if (required) {
                problems.add(key + " is required");
            }
        } else if (!IDENTIFIER.matcher(value).matches()) {
            problems.add(key + " '" + abbreviate(value) + "' is not a plain SQL name (" + IDENTIFIER_TEXT + ")");
        }
    }

    private static void table(String key, String value, boolean required, List<String> problems) {
        int dot = value.indexOf('.');
        if (dot < 0) {
            identifier(key, value, required, problems);
        } else if (!IDENTIFIER.matcher(value.substring(0, dot)).matches()
                || !IDENTIFIER.matcher(value.substring(dot + 1)).matches()) {
            problems.add(key + " '" + abbreviate(value) + "' is not a plain SQL name (" + IDENTIFIER_TEXT
                    + ", optionally schema.table)");
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }

    /** The driver class for the URL's database, if it is one Keycloak ships. */
    public Optional<String> driverClass() {
        return DRIVERS.entrySet().stream().filter(e -> jdbcUrl().startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The URL without its query part (where drivers take options, and careless operators put passwords), for logs. */
    public String safeUrl() {
        String jdbcUrl = jdbcUrl();
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    public String jdbcUrl() {
        return values.get(Field.JDBC_URL);
    }

    public String user() {
        return values.get(Field.USER);
    }

    /** The password field: a vault reference, or empty. */
    public String passwordReference() {
        return values.get(Field.PASSWORD);
    }

    public String table() {
        return values.get(Field.TABLE);
    }

    public String idColumn() {
        return values.get(Field.ID_COLUMN);
    }

    /** Empty when the users have no username. */
    public String usernameColumn() {
        return values.get(Field.USERNAME_COLUMN);
    }

    public String emailColumn() {
        return values.get(Field.EMAIL_COLUMN);
    }

    public String passwordColumn() {
        return values.get(Field.PASSWORD_COLUMN);
    }

    public String firstNameColumn() {
        return values.get(Field.FIRST_NAME_COLUMN);
    }

    public String lastNameColumn() {
        return values.get(Field.LAST_NAME_COLUMN);
    }

    public String activeColumn() {
        return values.get(Field.ACTIVE_COLUMN);
    }

    public String dateJoinedColumn() {
        return values.get(Field.DATE_JOINED_COLUMN);
    }

    /** Empty: the phone column, if any, is on the user table. */
    public String phoneTable() {
        return values.get(Field.PHONE_TABLE);
    }

    public String phoneUserIdColumn() {
        return values.get(Field.PHONE_USER_ID_COLUMN);
    }

    public String phoneColumn() {
        return values.get(Field.PHONE_COLUMN);
    }

    public String phoneVerifiedColumn() {
        return values.get(Field.PHONE_VERIFIED_COLUMN);
    }

    /** The connect (and query) timeout in seconds, within its bounds. */
    public int connectTimeoutSeconds() {
        try {
            int seconds = Integer.parseInt(values.get(Field.CONNECT_TIMEOUT));
            return Math.max(1, Math.min(MAX_CONNECT_TIMEOUT_SECONDS, seconds));
        } catch (NumberFormatException e) {
            return DEFAULT_CONNECT_TIMEOUT_SECONDS;
        }
    }
}
