package io.github.dropin.keycloak.rest.tokenauth;

import io.github.dropin.keycloak.rest.http.DialectProviderFactory;

/** Registers dialect {@code token-auth} at {@code /realms/{realm}/token-auth}. */
public class TokenAuthDialectFactory extends DialectProviderFactory {

    public TokenAuthDialectFactory() {
        super(new TokenAuthDialect());
    }
}
