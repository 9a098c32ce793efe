package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Runs the {@link KeycloakCluster} classes after all others (by class name within each group), so that the cluster
 * starts once, when the single-node tests are done, and a focused run ({@code -Dit.test=SomeIT}) never starts it.
 * Configured in {@code junit-platform.properties}.
 */
public final class ClusterClassesLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> d.isAnnotated(KeycloakCluster.class))
                .thenComparing(d -> d.getTestClass().getName()));
    }
}
