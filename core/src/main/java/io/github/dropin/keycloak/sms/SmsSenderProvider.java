package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import org.keycloak.provider.Provider;

/**
 * Sends text messages. Implementations read their per-realm settings from {@link SmsMessage#realm()}
 * (realm attributes {@code dropin.sms.<provider>.<key>}, with the provider's SPI options as defaults), so one
 * server can serve realms with different gateways.
 * <p>
 * {@link #send} returns only once the provider has accepted the message; every failure is an
 * {@link DeliveryException}, never a silent success.
 */
public interface SmsSenderProvider extends Provider {

    void send(SmsMessage message) throws DeliveryException;

    @Override
    default void close() {
    }
}
