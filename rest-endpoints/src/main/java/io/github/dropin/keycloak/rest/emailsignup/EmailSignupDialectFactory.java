package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.rest.http.DialectProviderFactory;

/** Registers dialect {@code email-signup} at {@code /realms/{realm}/email-signup}. */
public class EmailSignupDialectFactory extends DialectProviderFactory {

    public EmailSignupDialectFactory() {
        super(new EmailSignupDialect());
    }
}
