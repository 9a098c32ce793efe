package io.github.dropin.keycloak.phone;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * Parses and normalises phone numbers typed by users into E.164 ({@code +4915112345678}).
 * <p>
 * Obtain it with {@code session.getProvider(PhoneNumberProvider.class)}. The default implementation uses
 * libphonenumber; a realm may set a default region for numbers typed without {@code +} and restrict the
 * countries it accepts.
 */
public interface PhoneNumberProvider extends Provider {

    /**
     * @param realm the realm whose settings apply (default region, allowed regions)
     * @param input what the user typed; may be {@code null}
     * @return the number in E.164 form
     * @throws InvalidPhoneNumberException when the input is not a valid, accepted phone number
     */
    String toE164(RealmModel realm, String input) throws InvalidPhoneNumberException;

    @Override
    default void close() {
    }
}
