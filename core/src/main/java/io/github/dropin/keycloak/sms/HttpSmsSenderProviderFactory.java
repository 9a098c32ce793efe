package io.github.dropin.keycloak.sms;

import org.keycloak.models.KeycloakSession;
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
public class HttpSmsSenderProviderFactory extends NetworkSenderFactory {

    public static final String PROVIDER_ID = "http";
    /** Settings scope: realm attributes {@code dropin.sms.http.<key>}. */
    public static final String SCOPE = "sms." + PROVIDER_ID;

    public static final String URL = "url";
    public static final String SECRET = "secret";

    public HttpSmsSenderProviderFactory() {
        super(PROVIDER_ID, URL, null, List.of(SECRET));
    }

    @Override
    SmsSenderProvider create(KeycloakSession session, OutboundHttp http) {
        return new HttpSmsSender(session, http);
    }




    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return withNetworkOptions(ProviderConfigurationBuilder.create()
                .property().name(URL).label("Gateway URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("http(s) URL the messages are POSTed to as JSON {to, text, realm, purpose}. A realm may name "
                        + "another one only where allowed-endpoints admits it, and then gets no secret but its own.").add()
                .property().name(SECRET).label("Bearer secret").type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("Optional; sent as 'Authorization: Bearer <secret>'. May be a vault reference ${vault.key}.").add(),
                        "the gateway", "dropin.sms.http.url")
                .build();
    }
}
