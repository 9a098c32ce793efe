package io.github.dropin.keycloak.sms;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * SMS sender {@code http}: hands every message to an SMS gateway of your own over HTTP.
 * <p>
 * Contract: {@code POST <url>} with {@code Content-Type: application/json} and the body
 * {@code {"to": "+E164", "text": "...", "realm": "<realm name>", "purpose": "<purpose>"}}, plus
 * {@code Authorization: Bearer <secret>} when a secret is configured. The gateway answers
 * <ul>
 *     <li>any 2xx: accepted (the body is ignored);</li>
 *     <li>422: the recipient number is invalid or cannot receive SMS (the user is told the number is invalid);</li>
 *     <li>429: the gateway is throttling us; any 5xx: it is unavailable;</li>
 *     <li>401/403: the secret is wrong; any other status: the URL or the gateway is misconfigured.</li>
 * </ul>
 * Everything but 2xx and 422 makes the caller answer 503, as does no answer within the timeouts. Redirects are
 * not followed. Settings as for {@code twilio}: realm attribute {@code dropin.sms.http.<key>}, then
 * {@code --spi-sms-sender--http--<key-in-dashes>}; {@link #SECRET} may be a vault reference.
 */
public class HttpSmsSenderProviderFactory implements SmsSenderProviderFactory {

    public static final String PROVIDER_ID = "http";
    /** Settings scope: realm attributes {@code dropin.sms.http.<key>}. */
    public static final String SCOPE = "sms." + PROVIDER_ID;

    public static final String URL = "url";
    public static final String SECRET = "secret";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    public static final String READ_TIMEOUT = "readTimeout";

    static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    static final long DEFAULT_READ_TIMEOUT_MS = 10_000;
    static final long MAX_CONNECT_TIMEOUT_MS = 10_000;
    static final long MAX_READ_TIMEOUT_MS = 15_000;

    private final OutboundHttp http = new OutboundHttp();
    private Config.Scope config;

    @Override
    public SmsSenderProvider create(KeycloakSession session) {
        return new HttpSmsSender(session, config, http);
    }

    @Override
    public void init(Config.Scope config) {
        this.config = config;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(URL).label("Gateway URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("http(s) URL the messages are POSTed to as JSON {to, text, realm, purpose}.").add()
                .property().name(SECRET).label("Bearer secret").type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("Optional; sent as 'Authorization: Bearer <secret>'. May be a vault reference ${vault.key}.").add()
                .property().name(CONNECT_TIMEOUT).label("Connect timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_CONNECT_TIMEOUT_MS)
                .helpText("Longest wait for a connection, 100-" + MAX_CONNECT_TIMEOUT_MS + " ms.").add()
                .property().name(READ_TIMEOUT).label("Read timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_READ_TIMEOUT_MS)
                .helpText("Longest wait for the gateway's answer after connecting, 100-" + MAX_READ_TIMEOUT_MS + " ms.").add()
                .build();
    }
}
