package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;
import java.util.Set;

/**
 * Gives integration tests a real Keycloak with the pack installed: one server per test JVM, started by the
 * first class that needs it and stopped when the test run ends, plus a fresh realm per class
 * ({@link KeycloakRealm}). Injects {@link TestRealm}, {@link KeycloakServer}, {@link ServerLog},
 * {@link SmsInbox} and {@link MailServer} (a loopback SMTP server, started on first use) into constructors, {@code @BeforeAll} and test methods, marks the server log before
 * every test, and puts the server's clock back after a test or class that moved it.
 *
 * <p>Why our own extension rather than Keycloak's test framework ({@code org.keycloak.testframework},
 * {@code @KeycloakIntegrationTest}): its artifacts are not on the Maven mirror this project builds from;
 * it is built around Keycloak's own test realms and clients; and we need exactly what an administrator
 * does (the distribution artifact, our jars in {@code providers/}, {@code kc.sh build}, {@code start
 * --optimized}) plus the server's console log, which the pack's development senders write codes to.
 * This class and its helpers are small enough to own.
 *
 * <p>Test classes run one after another in the failsafe JVM (JUnit's default); parallel classes would
 * share the log marks.
 */
public final class KeycloakExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);
    private static final Set<Class<?>> INJECTABLE = Set.of(TestRealm.class, KeycloakServer.class, ServerLog.class, SmsInbox.class,
            MailServer.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
        // Import now, so a broken fixture fails the class before any @BeforeAll runs.
        realmOwner(context).ifPresent(owner -> realm(owner, context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server(context).log().mark();
    }

    /** A test that moved the clock ({@link KeycloakServer#moveClock}) leaves the next one the real time. */
    @Override
    public void afterEach(ExtensionContext context) {
        resetClock(context);
    }

    /** Likewise for a move in {@code @BeforeAll} or {@code @AfterAll}: the next class starts on the real time. */
    @Override
    public void afterAll(ExtensionContext context) {
        resetClock(context);
    }

    private static void resetClock(ExtensionContext context) {
        // Only a server that is running; none is started just for this.
        KeycloakServer server = context.getRoot().getStore(NAMESPACE).get(KeycloakServer.class, KeycloakServer.class);
        if (server == null || !server.isClockMoved()) {
            return;
        }
        server.resetClock();
        // Events recorded while the clock was ahead keep their future dates, so they would stay the realm's newest
        // until the real time caught up, and the class's next tests would read them as their own.
        realmOwner(context).map(owner -> owner.getStore(NAMESPACE).get("realm:" + owner.getRequiredTestClass().getName(),
                RealmFixture.class)).ifPresent(fixture -> fixture.realm().admin().clearEvents());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestRealm.class) {
            ExtensionContext owner = realmOwner(context).orElseThrow(() -> new ParameterResolutionException(
                    "A TestRealm needs @KeycloakRealm(\"realms/<fixture>.json\") on the test class"));
            return realm(owner, context);
        }
        if (type == MailServer.class) {
            return mail(context);
        }
        KeycloakServer server = server(context);
        if (type == KeycloakServer.class) {
            return server;
        }
        if (type == ServerLog.class) {
            return server.log();
        }
        return new SmsInbox(server.log());
    }

    /** The JVM-wide server, started on first use; the root store closes it after the last test. */
    static KeycloakServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KeycloakServer.class,
                key -> KeycloakServer.start(HarnessConfig.fromSystemProperties()), KeycloakServer.class);
    }

    /**
     * The realm of the class that declares {@link KeycloakRealm}, imported once and kept in that class's store,
     * so that JUnit deletes it (via {@link RealmFixture#close()}) when that class is done.
     */
    private static TestRealm realm(ExtensionContext owner, ExtensionContext context) {
        Class<?> testClass = owner.getRequiredTestClass();
        String resource = AnnotationSupport.findAnnotation(testClass, KeycloakRealm.class).orElseThrow().value();
        // Keyed by class: the store also looks in ancestors, where an enclosing class may keep its own realm.
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent("realm:" + testClass.getName(),
                key -> RealmFixture.importFrom(server(context), resource, () -> mail(context)), RealmFixture.class).realm();
    }

    /** The shared SMTP server, started the first time a test or a fixture needs it, stopped at the end of the run. */
    static MailServer mail(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(MailServer.class,
                key -> MailServer.start(), MailServer.class);
    }

    /**
     * The class-level context, from this one outwards, whose class carries {@link KeycloakRealm}: the test's
     * own class or, for {@code @Nested} classes, an enclosing one.
     */
    private static Optional<ExtensionContext> realmOwner(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            ExtensionContext candidate = c.get();
            if (candidate.getTestMethod().isEmpty() && candidate.getTestClass()
                    .filter(type -> AnnotationSupport.isAnnotated(type, KeycloakRealm.class)).isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }
}
