package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;
import java.util.Set;

/**
 * The JUnit side of {@link KeycloakCluster}: one {@link Cluster} per test JVM, started by the first class that needs
 * it and stopped after the run; a realm per class, imported through the first node and deleted through whichever
 * node is still running; every node's log marked before each test, and clocks a test moved put back after it.
 * Before each class, nodes an earlier class killed are started again, so every class begins with a complete cluster. {@link ClusterClassesLast} runs these
 * classes after the single-node ones.
 */
public final class ClusterExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);
    private static final Set<Class<?>> INJECTABLE = Set.of(Cluster.class, ClusterRealm.class, MailServer.class);

    /** {@code -Ddropin.it.skipCluster=true} skips every cluster class, e.g. for a quick local run. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Boolean.getBoolean("dropin.it.skipCluster")
                ? ConditionEvaluationResult.disabled("cluster tests skipped (-Ddropin.it.skipCluster=true)")
                : ConditionEvaluationResult.enabled("cluster tests enabled");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // A no-op unless an earlier class killed or stopped a node.
        cluster(context).ensureComplete();
        realmOwner(context).ifPresent(owner -> realm(owner, context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (ClusterNode node : cluster(context).nodes()) {
            node.log().mark();
        }
    }

    /** Nodes whose clock a test moved run on the real time again for the next test. */
    @Override
    public void afterEach(ExtensionContext context) {
        resetClocks(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        resetClocks(context);
    }

    private static void resetClocks(ExtensionContext context) {
        Cluster cluster = context.getRoot().getStore(NAMESPACE).get(Cluster.class, Cluster.class);
        if (cluster != null && cluster.resetClocks()) {
            // As in KeycloakExtension: events dated on the moved clock would stay the realm's newest.
            realmOwner(context).map(owner -> owner.getStore(NAMESPACE).get("realm:" + owner.getRequiredTestClass().getName(),
                    Fixture.class)).ifPresent(fixture -> fixture.realm().admin().clearEvents());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == Cluster.class) {
            return cluster(context);
        }
        if (type == MailServer.class) {
            return KeycloakExtension.mail(context);
        }
        ExtensionContext owner = realmOwner(context).orElseThrow(() -> new ParameterResolutionException(
                "A ClusterRealm needs @KeycloakCluster(\"realms/<fixture>.json\") on the test class"));
        return realm(owner, context);
    }

    static Cluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Cluster.class,
                key -> Cluster.start(Cluster.Config.fromSystemProperties()), Cluster.class);
    }

    private static ClusterRealm realm(ExtensionContext owner, ExtensionContext context) {
        Class<?> testClass = owner.getRequiredTestClass();
        String resource = AnnotationSupport.findAnnotation(testClass, KeycloakCluster.class).orElseThrow().value();
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent("realm:" + testClass.getName(),
                key -> Fixture.importInto(cluster(context), resource, () -> KeycloakExtension.mail(context)),
                Fixture.class).realm();
    }

    private static Optional<ExtensionContext> realmOwner(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            ExtensionContext candidate = c.get();
            if (candidate.getTestMethod().isEmpty() && candidate.getTestClass()
                    .filter(type -> AnnotationSupport.isAnnotated(type, KeycloakCluster.class)).isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** A class's realm; deleted through a node that is still running when JUnit closes the class's store. */
    private record Fixture(ClusterRealm realm) implements AutoCloseable {

        static Fixture importInto(Cluster cluster, String resource, java.util.function.Supplier<MailServer> mail) {
            TestRealm imported = RealmFixture.importFrom(cluster.a(), resource, mail).realm();
            return new Fixture(new ClusterRealm(cluster, imported.name()));
        }

        @Override
        public void close() {
            realm.admin().deleteRealm();
        }
    }
}
