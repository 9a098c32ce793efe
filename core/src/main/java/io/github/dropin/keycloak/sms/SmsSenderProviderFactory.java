package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.PackProviderFactory;

/** Factory of {@link SmsSenderProvider}s; its id is the name a realm uses in {@code dropin.sms.sender}. */
public interface SmsSenderProviderFactory extends PackProviderFactory<SmsSenderProvider> {
}
