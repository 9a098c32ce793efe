package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Optional;

/**
 * Base of the senders that call a provider over the network ({@code twilio}, {@code http}): one JDK HTTP client
 * per connect timeout, owned by the factory and closed with it, the two timeouts every such sender has, and the
 * operator's allow-list of endpoints realms may choose ({@link Endpoints}).
 */
abstract class NetworkSenderFactory implements SmsSenderProviderFactory {

    private static final Logger LOG = Logger.getLogger(NetworkSenderFactory.class);

    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String READ_TIMEOUT = "readTimeout";
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    static final long DEFAULT_READ_TIMEOUT_MS = 10_000;
    // Together below the 30 s a registration may hold its phone-number lock (UniqueGuard).
    static final long MAX_CONNECT_TIMEOUT_MS = 10_000;
    static final long MAX_READ_TIMEOUT_MS = 15_000;

    private final String id;
    /** The setting that names where messages go ({@code apiBaseUrl}, {@code url}). */
    private final String endpointKey;
    /** Its built-in default, or {@code null}. */
    private final String defaultEndpoint;
    /** The settings that sign in at the endpoint. */
    private final List<String> credentialKeys;
    private final OutboundHttp http = new OutboundHttp();

    NetworkSenderFactory(String id, String endpointKey, String defaultEndpoint, List<String> credentialKeys) {
        this.id = id;
        this.endpointKey = endpointKey;
        this.defaultEndpoint = defaultEndpoint;
        this.credentialKeys = List.copyOf(credentialKeys);
    }

    /** A sender for this request, on the factory's shared HTTP clients. */
    abstract SmsSenderProvider create(KeycloakSession session, OutboundHttp http);

    /**
     * Says at start-up what the server's own settings will make every send of a realm without its own fail:
     * credentials for an endpoint that is neither https nor loopback nor allowed plain http.
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        SenderSettings settings = SenderSettings.of(null, null, id);
        if (settings.optional(endpointKey).or(() -> Optional.ofNullable(defaultEndpoint)).isEmpty()
                || credentialKeys.stream().allMatch(key -> settings.optional(key).isEmpty())) {
            return;
        }
        try {
            settings.requireSafeTransport(settings.endpoint(endpointKey, defaultEndpoint));
        } catch (DeliveryException e) {
            LOG.warnf("SMS sender '%s': %s; realms that use the server's settings cannot send", id, e.detail());
        }
    }

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

    /**
     * Adds the allow-list of realm endpoints and the connect and read timeouts to a sender's option list; {@code peer}
     * names who answers, {@code endpointAttribute} the realm attribute the allow-list governs.
     */
    static ProviderConfigurationBuilder withNetworkOptions(ProviderConfigurationBuilder options, String peer,
                                                           String endpointAttribute) {
        return options
                .property().name(Endpoints.ALLOWED_ENDPOINTS).label("Endpoints realms may use")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated host names (any port, https; *.example.com for subdomains) or URL prefixes "
                        + "(https://host:port/path) that realm attribute " + endpointAttribute + " may name. Empty: "
                        + "realms use the server's endpoint only. A realm with its own endpoint must set its own "
                        + "credentials; credentials go over plain http only to loopback or an http:// entry here.")
                .add()
                .property().name(CONNECT_TIMEOUT).label("Connect timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_CONNECT_TIMEOUT_MS)
                .helpText("Longest wait for a connection, 100-" + MAX_CONNECT_TIMEOUT_MS + " ms.").add()
                .property().name(READ_TIMEOUT).label("Read timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_READ_TIMEOUT_MS)
                .helpText("Longest wait for " + peer + "'s answer after connecting, 100-" + MAX_READ_TIMEOUT_MS + " ms.")
                .add();
    }
}
