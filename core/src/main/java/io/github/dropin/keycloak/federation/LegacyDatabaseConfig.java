package io.github.dropin.keycloak.federation;

import org.keycloak.component.ComponentModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration of a "Legacy Django database" federation component, as the admin console's form writes it: the
 * key constants, the form ({@link #PROPERTIES}) and a typed reader with Django's defaults that tolerates a missing
 * value ({@link #of}), plus the checks {@link #problems()} that need no database.
 * <p>
 * Table and column names are put into SQL as they are (a statement's parameters cannot name them), so each must be a
 * plain identifier ({@value #IDENTIFIER_TEXT}, a table optionally qualified by its schema); anything else is refused
 * when the component is saved and never reaches a statement. Values always travel as statement parameters.
 */
public final class LegacyDatabaseConfig {

    public static final String JDBC_URL = "jdbcUrl";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String TABLE = "table";
    public static final String ID_COLUMN = "idColumn";
    public static final String USERNAME_COLUMN = "usernameColumn";
    public static final String EMAIL_COLUMN = "emailColumn";
    public static final String PASSWORD_COLUMN = "passwordColumn";
    public static final String FIRST_NAME_COLUMN = "firstNameColumn";
    public static final String LAST_NAME_COLUMN = "lastNameColumn";
    public static final String ACTIVE_COLUMN = "activeColumn";
    public static final String DATE_JOINED_COLUMN = "dateJoinedColumn";
    public static final String PHONE_TABLE = "phoneTable";
    public static final String PHONE_USER_ID_COLUMN = "phoneUserIdColumn";
    public static final String PHONE_COLUMN = "phoneColumn";
    public static final String PHONE_VERIFIED_COLUMN = "phoneVerifiedColumn";
    public static final String CONNECT_TIMEOUT = "connectTimeout";

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

    /** The admin console's form, in display order. */
    public static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(JDBC_URL).label("JDBC URL").type(ProviderConfigProperty.STRING_TYPE).required(true)
            .helpText("The legacy database, e.g. jdbc:postgresql://db.internal:5432/app (also jdbc:mysql: and "
                    + "jdbc:mariadb:; Keycloak ships these drivers). Read only: the provider runs SELECTs only. Put no "
                    + "password in the URL.").add()
            .property().name(USER).label("Database user").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("A user that may read the tables below (SELECT only is enough).").add()
            .property().name(PASSWORD).label("Database password").type(ProviderConfigProperty.STRING_TYPE)
            // A reference, not a secret: shown as it is, so an administrator can tell which vault key is used.
            .helpText("A vault reference such as ${vault.legacy_db_password} (Keycloak's vault: a file, a Kubernetes "
                    + "secret); a plain password is refused. Empty: no password (trust or certificate authentication).")
            .add()
            .property().name(TABLE).label("User table").type(ProviderConfigProperty.STRING_TYPE).defaultValue("auth_user")
            .helpText("The table of the users (Django: auth_user, or <app>_<model> for a custom user model); "
                    + "schema.table is allowed.").add()
            .property().name(ID_COLUMN).label("Id column").type(ProviderConfigProperty.STRING_TYPE).defaultValue("id")
            .helpText("The integer primary key; it becomes the user's legacyId, as in the bulk import.").add()
            .property().name(USERNAME_COLUMN).label("Username column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("username").helpText("Empty: the users have none (they are named by their email).").add()
            .property().name(EMAIL_COLUMN).label("Email column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("email").helpText("Empty: not read (no sign-in by email).").add()
            .property().name(PASSWORD_COLUMN).label("Password column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("password").helpText("Django's encoded hash (pbkdf2_sha256$..., argon2$..., bcrypt_sha256$...)."
                    + " Checked at the user's first sign-in, then stored in Keycloak re-hashed by the realm's policy.").add()
            .property().name(FIRST_NAME_COLUMN).label("First name column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("first_name").helpText("Empty: not read.").add()
            .property().name(LAST_NAME_COLUMN).label("Last name column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("last_name").helpText("Empty: not read.").add()
            .property().name(ACTIVE_COLUMN).label("Active column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("is_active").helpText("A boolean; inactive users are imported disabled, as by the bulk "
                    + "import. Empty: every user is active.").add()
            .property().name(DATE_JOINED_COLUMN).label("Date joined column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("date_joined").helpText("A timestamp; it becomes the user's creation date. Empty: not read.")
            .add()
            .property().name(PHONE_TABLE).label("Phone table").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Where the phone number is: empty for a column of the user table, or a profile table joined by "
                    + "the user id column below (e.g. accounts_profile).").add()
            .property().name(PHONE_USER_ID_COLUMN).label("Phone table's user id column")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("user_id")
            .helpText("The phone table's column that holds the user's id (a OneToOneField to the user: user_id).")
            .add()
            .property().name(PHONE_COLUMN).label("Phone column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The phone number (E.164 as django-phonenumber-field stores it, or a number in the realm's "
                    + "default region); it becomes attribute phoneNumber. Empty: no phone numbers.").add()
            .property().name(PHONE_VERIFIED_COLUMN).label("Phone verified column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("A boolean; it becomes phoneNumberVerified. Empty: imported numbers count as not verified.").add()
            .property().name(CONNECT_TIMEOUT).label("Connect timeout (s)").type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(DEFAULT_CONNECT_TIMEOUT_SECONDS)
            .helpText("Longest wait for a connection and for a query, 1-" + MAX_CONNECT_TIMEOUT_SECONDS + " s. A "
                    + "sign-in waits this long when the database is unreachable, then fails.").add()
            .build();

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String table;
    private final String idColumn;
    private final String usernameColumn;
    private final String emailColumn;
    private final String passwordColumn;
    private final String firstNameColumn;
    private final String lastNameColumn;
    private final String activeColumn;
    private final String dateJoinedColumn;
    private final String phoneTable;
    private final String phoneUserIdColumn;
    private final String phoneColumn;
    private final String phoneVerifiedColumn;
    private final String connectTimeout;

    private LegacyDatabaseConfig(Map<String, String> values) {
        this.jdbcUrl = text(values, JDBC_URL, "");
        this.user = text(values, USER, "");
        this.password = text(values, PASSWORD, "");
        this.table = text(values, TABLE, "auth_user");
        this.idColumn = text(values, ID_COLUMN, "id");
        this.usernameColumn = optional(values, USERNAME_COLUMN, "username");
        this.emailColumn = optional(values, EMAIL_COLUMN, "email");
        this.passwordColumn = text(values, PASSWORD_COLUMN, "password");
        this.firstNameColumn = optional(values, FIRST_NAME_COLUMN, "first_name");
        this.lastNameColumn = optional(values, LAST_NAME_COLUMN, "last_name");
        this.activeColumn = optional(values, ACTIVE_COLUMN, "is_active");
        this.dateJoinedColumn = optional(values, DATE_JOINED_COLUMN, "date_joined");
        this.phoneTable = optional(values, PHONE_TABLE, "");
        this.phoneUserIdColumn = text(values, PHONE_USER_ID_COLUMN, "user_id");
        this.phoneColumn = optional(values, PHONE_COLUMN, "");
        this.phoneVerifiedColumn = optional(values, PHONE_VERIFIED_COLUMN, "");
        this.connectTimeout = text(values, CONNECT_TIMEOUT, Integer.toString(DEFAULT_CONNECT_TIMEOUT_SECONDS));
    }

    /** The component's configuration (missing keys: the defaults). */
    public static LegacyDatabaseConfig of(ComponentModel model) {
        Map<String, String> values = new java.util.HashMap<>();
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
        table(TABLE, table, true, problems);
        identifier(ID_COLUMN, idColumn, true, problems);
        identifier(USERNAME_COLUMN, usernameColumn, false, problems);
        identifier(EMAIL_COLUMN, emailColumn, false, problems);
        identifier(PASSWORD_COLUMN, passwordColumn, true, problems);
        identifier(FIRST_NAME_COLUMN, firstNameColumn, false, problems);
        identifier(LAST_NAME_COLUMN, lastNameColumn, false, problems);
        identifier(ACTIVE_COLUMN, activeColumn, false, problems);
        identifier(DATE_JOINED_COLUMN, dateJoinedColumn, false, problems);
        table(PHONE_TABLE, phoneTable, false, problems);
        identifier(PHONE_COLUMN, phoneColumn, false, problems);
        identifier(PHONE_VERIFIED_COLUMN, phoneVerifiedColumn, false, problems);
        if (!phoneTable.isEmpty()) {
            identifier(PHONE_USER_ID_COLUMN, phoneUserIdColumn, true, problems);
            if (phoneColumn.isEmpty()) {
                problems.add(PHONE_TABLE + " is set but " + PHONE_COLUMN + " is empty");
            }
        }
        if (usernameColumn.isEmpty() && emailColumn.isEmpty()) {
            problems.add("either " + USERNAME_COLUMN + " or " + EMAIL_COLUMN + " is needed to name the users");
        }
        try {
            int seconds = Integer.parseInt(connectTimeout);
            if (seconds < 1 || seconds > MAX_CONNECT_TIMEOUT_SECONDS) {
                problems.add(CONNECT_TIMEOUT + " must be 1-" + MAX_CONNECT_TIMEOUT_SECONDS + " seconds");
            }
        } catch (NumberFormatException e) {
            problems.add(CONNECT_TIMEOUT + " must be a whole number of seconds");
        }
        return problems;
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
        return DRIVERS.entrySet().stream().filter(e -> jdbcUrl.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The URL without its query part (where drivers take options, and careless operators put passwords), for logs. */
    public String safeUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** The password field: a vault reference, or empty. */
    public String passwordReference() {
        return password;
    }

    public String table() {
        return table;
    }

    public String idColumn() {
        return idColumn;
    }

    /** Empty when the users have no username. */
    public String usernameColumn() {
        return usernameColumn;
    }

    public String emailColumn() {
        return emailColumn;
    }

    public String passwordColumn() {
        return passwordColumn;
    }

    public String firstNameColumn() {
        return firstNameColumn;
    }

    public String lastNameColumn() {
        return lastNameColumn;
    }

    public String activeColumn() {
        return activeColumn;
    }

    public String dateJoinedColumn() {
        return dateJoinedColumn;
    }

    /** Empty: the phone column, if any, is on the user table. */
    public String phoneTable() {
        return phoneTable;
    }

    public String phoneUserIdColumn() {
        return phoneUserIdColumn;
    }

    public String phoneColumn() {
        return phoneColumn;
    }

    public String phoneVerifiedColumn() {
        return phoneVerifiedColumn;
    }

    /** The connect (and query) timeout in seconds, within its bounds. */
    public int connectTimeoutSeconds() {
        try {
            return Math.max(1, Math.min(MAX_CONNECT_TIMEOUT_SECONDS, Integer.parseInt(connectTimeout)));
        } catch (NumberFormatException e) {
            return DEFAULT_CONNECT_TIMEOUT_SECONDS;
        }
    }

    private static String text(Map<String, String> values, String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * A column that may be left out: a missing key takes the default, a key present but empty means "not read" (the
     * console sends an emptied field as an empty value).
     */
    private static String optional(Map<String, String> values, String key, String fallback) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        String value = values.get(key);
        return value == null ? "" : value.trim();
    }
}
