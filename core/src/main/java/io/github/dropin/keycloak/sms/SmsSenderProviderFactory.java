package io.github.dropin.keycloak.sms;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link SmsSenderProvider}s; its id is the name a realm uses in {@code dropin.sms.sender}. */
public interface SmsSenderProviderFactory extends ProviderFactory<SmsSenderProvider> {
}
