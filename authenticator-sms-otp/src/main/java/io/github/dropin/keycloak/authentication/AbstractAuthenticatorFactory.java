package io.github.dropin.keycloak.authentication;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;

/** Base of the pack's authenticator factories: one stateless authenticator each ({@link FlowStepFactory}). */
public abstract class AbstractAuthenticatorFactory extends FlowStepFactory<Authenticator> implements AuthenticatorFactory {

    protected AbstractAuthenticatorFactory(Description description, Authenticator authenticator) {
        super(description, authenticator);
    }
}
