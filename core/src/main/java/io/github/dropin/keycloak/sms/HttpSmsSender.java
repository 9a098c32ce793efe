package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static io.github.dropin.keycloak.sms.HttpSmsSenderProviderFactory.*;

/**
 * Posts one message to the realm's SMS gateway (the contract is on {@link HttpSmsSenderProviderFactory}).
 * The JSON is written by Keycloak's own Jackson ({@link JsonSerialization}), not the copy shaded for Twilio.
 */
final class HttpSmsSender extends NetworkSender {

    private static final Logger LOG = Logger.getLogger(HttpSmsSender.class);

    HttpSmsSender(KeycloakSession session, OutboundHttp http) {
        super(session, http);
    }

    @Override
    public void send(SmsMessage message) throws DeliveryException {
        SenderSettings settings = SenderSettings.of(session, message.realm(), PROVIDER_ID);
        SenderSettings.Endpoint endpoint = settings.endpoint(URL, null);
        URI url = endpoint.uri();
        // A realm's own gateway gets the realm's own secret or none, never the server's.
        Optional<String> secret = settings.credential(SECRET, endpoint);
        if (secret.isPresent()) {
            settings.requireSafeTransport(endpoint);
        }
        Duration connect = settings.connectTimeout();
        Duration read = settings.readTimeout();
        Duration deadline = connect.plus(read);

        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(deadline)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .header("User-Agent", "keycloak-dropin-sms")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(message)));
        secret.ifPresent(s -> request.header("Authorization", "Bearer " + s));

        HttpResponse<byte[]> response;
        try {
            response = OutboundHttp.send(http.client(connect), request.build(), deadline);
        } catch (TimeoutException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, DeliveryException.Category.TIMEOUT,
                    "http gateway: no answer within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, DeliveryException.Category.TIMEOUT,
                    "http gateway: interrupted while waiting");
        } catch (IOException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, DeliveryException.Category.UNREACHABLE,
                    "http gateway unreachable: " + e.getClass().getSimpleName()
                            + (e.getMessage() != null ? " " + e.getMessage() : ""));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            LOG.debugf("Realm '%s': SMS gateway accepted a message (HTTP %d, purpose %s)", message.realm().getName(),
                    status, message.purpose());
            return;
        }
        throw failure(status, settings);
    }

    /** The gateway's answer as a failure; see the contract on {@link HttpSmsSenderProviderFactory}. */
    static DeliveryException failure(int status, SenderSettings settings) {
        String detail = "http gateway answered HTTP " + status;
        if (status == 422) {
            return DeliveryException.sms(DeliveryException.Reason.INVALID_RECIPIENT, detail + ": recipient refused");
        }
        if (status == 429) {
            return DeliveryException.sms(DeliveryException.Reason.PROVIDER_RATE_LIMITED, detail);
        }
        if (status >= 500) {
            return DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, detail);
        }
        if (status == 401 || status == 403) {
            return DeliveryException.sms(DeliveryException.Reason.MISCONFIGURED,
                    DeliveryException.Category.REJECTED_CREDENTIALS, detail + ": credentials refused; check "
                            + settings.whereToSet(SECRET));
        }
        // 3xx (redirects are not followed) and other 4xx: the gateway does not accept what we send where we send it.
        return DeliveryException.sms(DeliveryException.Reason.MISCONFIGURED, detail + "; check " + settings.whereToSet(URL));
    }

    static byte[] body(SmsMessage message) throws DeliveryException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("to", message.to());
        body.put("text", message.text());
        body.put("realm", message.realm().getName());
        body.put("purpose", message.purpose());
        try {
            return JsonSerialization.writeValueAsBytes(body);
        } catch (IOException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, "http gateway: cannot write the request body", e);
        }
    }
}
