package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against the shared Keycloak with a realm imported from a classpath JSON fixture
 * (a realm representation, as the admin console exports it), e.g.
 * {@code @KeycloakRealm("realms/phone-otp.json")}. The realm gets a unique name, see {@link TestRealm};
 * {@code @Nested} classes use their enclosing class's realm unless they declare their own.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KeycloakExtension.class)
public @interface KeycloakRealm {

    /** Classpath resource of the realm JSON, e.g. {@code realms/smoke.json}. */
    String value();
}
