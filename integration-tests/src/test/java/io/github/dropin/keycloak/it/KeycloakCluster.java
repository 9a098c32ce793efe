package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against a two-node Keycloak cluster on PostgreSQL ({@link Cluster}) with a realm imported
 * from a classpath JSON fixture, e.g. {@code @KeycloakCluster("realms/phone-otp.json")}: the same fixtures as
 * {@link KeycloakRealm}. Inject {@link Cluster} (the nodes: {@code a()}, {@code b()}, {@code kill()}) and
 * {@link ClusterRealm} (the realm as seen through any node).
 *
 * <p>Name such classes {@code *ClusterIT}. They run in the same failsafe JVM as the single-node ITs, after them
 * ({@link ClusterClassesLast}); the cluster starts with the first such class and stops when the run ends; before
 * each class, nodes that an earlier class killed are started again. {@code -Ddropin.it.skipCluster=true} skips
 * them.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ClusterExtension.class)
public @interface KeycloakCluster {

    /** Classpath resource of the realm JSON, e.g. {@code realms/phone-otp.json}. */
    String value();
}
