package io.github.dropin.keycloak.it;

/**
 * The SMS provider credentials the test server has server-wide ({@link ServerOptions}): a Twilio account SID and
 * auth token and an SMS gateway secret, all fake. They are there so that tests can show where the server's
 * credentials go, and where they never go (an endpoint a realm administrator chose).
 */
public final class ServerSecrets {

    public static final String TWILIO_ACCOUNT_SID = "AC5e17e25e17e25e17e25e17e25e17e25e";
    public static final String TWILIO_AUTH_TOKEN = "5e17e25e17e25e17e25e17e25e17e2aa";
    public static final String GATEWAY_SECRET = "server-gateway-secret-5e17e2";
    /** A host in the allow-list without a scheme: realms may use it, over https only. It never resolves. */
    public static final String HTTPS_ONLY_HOST = "sms-provider.example.test";
    /** The allow-list of realm endpoints of both network senders. */
    static final String REALM_ENDPOINTS = "http://127.0.0.1,http://host.testcontainers.internal," + HTTPS_ONLY_HOST;

    private ServerSecrets() {
    }
}
