package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.rest.http.DialectProviderFactory;

/** Registers dialect {@code users-api} at {@code /realms/{realm}/users-api}. */
public class UsersApiDialectFactory extends DialectProviderFactory {

    public UsersApiDialectFactory() {
        super(new UsersApiDialect());
    }
}
