package io.github.dropin.keycloak.federation;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The JDBC drivers Keycloak ships, for the legacy database. Keycloak's distribution holds the PostgreSQL, MySQL and
 * MariaDB drivers in {@code lib/lib/main}, but {@code kc.sh build} puts only the driver of Keycloak's own database
 * ({@code --db}) on the class path of the running server. So a driver is taken, in this order, from the thread's
 * context class loader and the pack's class loader (Keycloak's own vendor, or a driver jar the operator put into
 * {@code providers/}), else from its jar in {@code lib/lib/main} through a class loader of its own, made once per
 * driver and kept for the life of the server. {@code DriverManager} is not used: it hands out only drivers that its
 * caller's class loader can see.
 */
final class JdbcDrivers {

    private static final Logger LOG = Logger.getLogger(JdbcDrivers.class);

    /** Driver class → the name its jar starts with in {@code lib/lib/main}. */
    private static final Map<String, String> SHIPPED_JARS = Map.of(
            "org.postgresql.Driver", "org.postgresql.postgresql-",
            "com.mysql.cj.jdbc.Driver", "com.mysql.mysql-connector-j-",
            "org.mariadb.jdbc.Driver", "org.mariadb.jdbc.mariadb-java-client-");

    private static final Map<String, ClassLoader> SHIPPED_LOADERS = new ConcurrentHashMap<>();

    private JdbcDrivers() {
    }

    /** A new instance of {@code driverClass}. */
    static Driver driver(String driverClass) throws SQLException {
        List<String> tried = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(JdbcDrivers.class.getClassLoader());
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            try {
                return instantiate(driverClass, loader);
            } catch (ClassNotFoundException e) {
                tried.add(loader.getClass().getSimpleName());
            }
        }
        Optional<ClassLoader> shipped = shippedLoader(driverClass);
        if (shipped.isPresent()) {
            try {
                return instantiate(driverClass, shipped.get());
            } catch (ClassNotFoundException e) {
                tried.add("lib/lib/main");
            }
        }
        throw new SQLException("JDBC driver " + driverClass + " is not available (looked in " + tried + " and "
                + libDir().map(Path::toString).orElse("no kc.home.dir") + "); put its jar into providers/");
    }

    private static Driver instantiate(String driverClass, ClassLoader loader) throws ClassNotFoundException,
            SQLException {
        try {
            return (Driver) Class.forName(driverClass, true, loader).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw e;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new SQLException("JDBC driver " + driverClass + " cannot be loaded: " + e, e);
        }
    }

    private static Optional<ClassLoader> shippedLoader(String driverClass) throws SQLException {
        String prefix = SHIPPED_JARS.get(driverClass);
        Optional<Path> lib = libDir();
        if (prefix == null || lib.isEmpty()) {
            return Optional.empty();
        }
        ClassLoader existing = SHIPPED_LOADERS.get(driverClass);
        if (existing != null) {
            return Optional.of(existing);
        }
        Optional<Path> jar;
        try (Stream<Path> files = Files.list(lib.get())) {
            jar = files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".jar"))
                    .findFirst();
        } catch (IOException e) {
            throw new SQLException("cannot list " + lib.get() + ": " + e.getMessage(), e);
        }
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try {
            ClassLoader loader = new URLClassLoader("dropin-jdbc-" + driverClass, new URL[]{jar.get().toUri().toURL()},
                    JdbcDrivers.class.getClassLoader());
            ClassLoader winner = SHIPPED_LOADERS.putIfAbsent(driverClass, loader);
            if (winner == null) {
                LOG.infof("Legacy database: JDBC driver %s loaded from %s (Keycloak's own database is another kind, "
                        + "so its build left this driver out)", driverClass, jar.get());
                return Optional.of(loader);
            }
            return Optional.of(winner);
        } catch (MalformedURLException e) {
            throw new SQLException("bad driver path " + jar.get(), e);
        }
    }

    /** {@code <kc.home.dir>/lib/lib/main}, where the distribution keeps its libraries. */
    private static Optional<Path> libDir() {
        String home = System.getProperty("kc.home.dir");
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        Path lib = Path.of(home, "lib", "lib", "main");
        return Files.isDirectory(lib) ? Optional.of(lib) : Optional.empty();
    }
}
