package io.github.dropin.keycloak.sms;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * SMS sender {@code twilio}: Twilio's Messages API through the official Java SDK (shaded into this jar).
 * <p>
 * Every setting is read per realm, first hit wins: realm attribute {@code dropin.sms.twilio.<key>}, then the SPI
 * option {@code --spi-sms-sender--twilio--<key-in-dashes>} (or its environment variable
 * {@code KC_SPI_SMS_SENDER__TWILIO__<KEY>}), then the default. So one server can serve realms with different
 * Twilio accounts, and a realm can switch without a restart. {@link #ACCOUNT_SID}, {@link #AUTH_TOKEN},
 * {@link #API_KEY_SID} and {@link #API_KEY_SECRET} may be vault references ({@code ${vault.key}}).
 */
public class TwilioSmsSenderProviderFactory extends NetworkSenderFactory {

    public static final String PROVIDER_ID = "twilio";
    /** Settings scope: realm attributes {@code dropin.sms.twilio.<key>}. */
    public static final String SCOPE = "sms." + PROVIDER_ID;

    public static final String ACCOUNT_SID = "accountSid";
    public static final String AUTH_TOKEN = "authToken";
    public static final String API_KEY_SID = "apiKeySid";
    public static final String API_KEY_SECRET = "apiKeySecret";
    public static final String FROM = "from";
    public static final String MESSAGING_SERVICE_SID = "messagingServiceSid";
    public static final String API_BASE_URL = "apiBaseUrl";

    static final String DEFAULT_API_BASE_URL = "https://api.twilio.com";

    private static final Logger LOG = Logger.getLogger(TwilioSmsSenderProviderFactory.class);

    public TwilioSmsSenderProviderFactory() {
        super(PROVIDER_ID, API_BASE_URL, DEFAULT_API_BASE_URL,
                List.of(ACCOUNT_SID, AUTH_TOKEN, API_KEY_SID, API_KEY_SECRET));
    }

    @Override
    SmsSenderProvider create(KeycloakSession session, OutboundHttp http) {
        return new TwilioSmsSender(session, http);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        super.postInit(factory);
        if (PROVIDER_ID.equals(Config.getDefaultProvider(SmsSenderSpi.NAME)) 
                && Config.scope(SmsSenderSpi.NAME, PROVIDER_ID).get(ACCOUNT_SID) == null) {
            LOG.warnf("SMS sender 'twilio' is the server default but --spi-sms-sender--twilio--account-sid is not set: "
                    + "every realm must set realm attribute dropin.%s.%s (and its credentials), or sending fails",
                    SCOPE, ACCOUNT_SID);
        }
    }




    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return withNetworkOptions(ProviderConfigurationBuilder.create()
                .property().name(ACCOUNT_SID).label("Account SID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Twilio account SID (AC...), or a vault reference ${vault.key}. Realm attribute "
                        + "dropin.sms.twilio.accountSid overrides it.").add()
                .property().name(AUTH_TOKEN).label("Auth token").type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("The account's auth token, or a vault reference ${vault.key}. Not needed with an API key.").add()
                .property().name(API_KEY_SID).label("API key SID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Optional API key (SK...) to sign in with instead of the auth token (Twilio's advice for production).").add()
                .property().name(API_KEY_SECRET).label("API key secret").type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("The API key's secret, or a vault reference ${vault.key}.").add()
                .property().name(FROM).label("From").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Sender: a Twilio phone number in E.164 or an alphanumeric sender ID. Needed unless a "
                        + "Messaging Service SID is set.").add()
                .property().name(MESSAGING_SERVICE_SID).label("Messaging Service SID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Messaging Service (MG...) that picks the sender number; wins over From when both are set.").add()
                .property().name(API_BASE_URL).label("API base URL").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(DEFAULT_API_BASE_URL)
                .helpText("Base URL of Twilio's REST API (a regional endpoint, a proxy, or a test double). A realm may "
                        + "name another one only where allowed-endpoints admits it, and must then set its own credentials.")
                .add(), "Twilio", "dropin.sms.twilio.apiBaseUrl")
                .build();
    }
}
