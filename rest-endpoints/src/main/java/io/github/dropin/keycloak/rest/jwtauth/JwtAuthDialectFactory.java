package io.github.dropin.keycloak.rest.jwtauth;

import io.github.dropin.keycloak.rest.http.DialectProviderFactory;

/** Registers dialect {@code jwt-auth} at {@code /realms/{realm}/jwt-auth}. */
public class JwtAuthDialectFactory extends DialectProviderFactory {

    public JwtAuthDialectFactory() {
        super(new JwtAuthDialect());
    }
}
