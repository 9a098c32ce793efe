package io.github.dropin.keycloak.sms;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Base of the senders that call a provider over the network ({@code twilio}, {@code http}): one JDK HTTP client
 * per connect timeout, owned by the factory and closed with it, and the two timeouts every such sender has.
 */
abstract class NetworkSenderFactory implements SmsSenderProviderFactory {

    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String READ_TIMEOUT = "readTimeout";
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    static final long DEFAULT_READ_TIMEOUT_MS = 10_000;
    // Together below the 30 s a registration may hold its phone-number lock (UniqueGuard).
    static final long MAX_CONNECT_TIMEOUT_MS = 10_000;
    static final long MAX_READ_TIMEOUT_MS = 15_000;

    private final String id;
    private final OutboundHttp http = new OutboundHttp();

    NetworkSenderFactory(String id) {
        this.id = id;
    }

    /** A sender for this request, on the factory's shared HTTP clients. */
    abstract SmsSenderProvider create(KeycloakSession session, OutboundHttp http);

    @Override
    public SmsSenderProvider create(KeycloakSession session) {
        return create(session, http);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void close() {
        http.close();
    }

    /** Adds the connect and read timeouts to a sender's option list; {@code peer} names who answers. */
    static ProviderConfigurationBuilder withTimeouts(ProviderConfigurationBuilder options, String peer) {
        return options
                .property().name(CONNECT_TIMEOUT).label("Connect timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_CONNECT_TIMEOUT_MS)
                .helpText("Longest wait for a connection, 100-" + MAX_CONNECT_TIMEOUT_MS + " ms.").add()
                .property().name(READ_TIMEOUT).label("Read timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_READ_TIMEOUT_MS)
                .helpText("Longest wait for " + peer + "'s answer after connecting, 100-" + MAX_READ_TIMEOUT_MS + " ms.")
                .add();
    }
}
