package io.github.dropin.keycloak.rest.phoneotp;

import io.github.dropin.keycloak.rest.http.DialectProviderFactory;

/** Registers dialect {@code phone-otp} at {@code /realms/{realm}/phone-otp}. */
public class PhoneOtpDialectFactory extends DialectProviderFactory {

    public PhoneOtpDialectFactory() {
        super(new PhoneOtpDialect());
    }
}
