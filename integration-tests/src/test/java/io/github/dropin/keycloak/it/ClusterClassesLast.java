package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

import java.util.Comparator;

/**
 * Runs the {@link KeycloakCluster} classes after all others, so that the cluster starts once, when the single-node
 * tests are done, and a focused run ({@code -Dit.test=SomeIT}) never starts it. Within each group classes run by
 * JUnit's {@link Order} (default {@link Order#DEFAULT}), then by name: a cluster class that kills nodes says
 * {@code @Order(Integer.MAX_VALUE)}, so that it runs last and no other class waits for nodes to start again.
 * Configured in {@code junit-platform.properties}.
 */
public final class ClusterClassesLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> d.isAnnotated(KeycloakCluster.class))
                .thenComparingInt(d -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
                .thenComparing(d -> d.getTestClass().getName()));
    }
}
