package io.github.dropin.keycloak.sms;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.github.dropin.keycloak.delivery.DeliveryException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import static io.github.dropin.keycloak.sms.TwilioSmsSenderProviderFactory.*;

/**
 * Sends one message through Twilio's Messages API with the official SDK, configured for the message's realm.
 * <p>
 * A {@code TwilioRestClient} is built per message: it is only the credentials and settings (cheap), while the
 * connection pool it sends through is the factory's and shared. The SDK's static {@code Twilio.init} is never
 * used: it is one global account for the whole JVM, and realms have their own.
 */
final class TwilioSmsSender extends NetworkSender {

    private static final Logger LOG = Logger.getLogger(TwilioSmsSender.class);
    private static final Set<Message.Status> FAILED = Set.of(Message.Status.FAILED, Message.Status.UNDELIVERED,
            Message.Status.CANCELED);

    TwilioSmsSender(KeycloakSession session, OutboundHttp http) {
        super(session, http);
    }

    @Override
    public void send(SmsMessage message) throws DeliveryException {
        SenderSettings settings = SenderSettings.of(session, message.realm(), PROVIDER_ID);
        // First where the credentials would go: a realm's own endpoint gets only the realm's own credentials.
        SenderSettings.Endpoint endpoint = settings.endpoint(API_BASE_URL, DEFAULT_API_BASE_URL);
        // Both halves of the credentials may live in the vault. The account SID counts as one: it names the account
        // in the URL and is the user name of the auth token.
        String accountSid = settings.requiredCredential(ACCOUNT_SID, endpoint);
        Optional<String> apiKey = settings.credential(API_KEY_SID, endpoint);
        // An API key (SK...) signs in instead of the account; the URL still names the account.
        String username = apiKey.orElse(accountSid);
        String password = apiKey.isPresent() ? settings.requiredCredential(API_KEY_SECRET, endpoint)
                : settings.requiredCredential(AUTH_TOKEN, endpoint);
        settings.requireSafeTransport(endpoint);
        Optional<String> service = settings.optional(MESSAGING_SERVICE_SID);
        Optional<String> from = settings.optional(FROM);
        if (service.isEmpty() && from.isEmpty()) {
            throw settings.misconfigured(FROM, "is not set, and neither is " + MESSAGING_SERVICE_SID);
        }
        URI baseUrl = endpoint.uri();
        Duration connect = settings.connectTimeout();
        Duration read = settings.readTimeout();

        TwilioRestClient client = new TwilioRestClient.Builder(username, password)
                .accountSid(accountSid)
                .httpClient(new TwilioTransport(http.client(connect), baseUrl, connect.plus(read)))
                .build();
        PhoneNumber to = new PhoneNumber(message.to());
        // A Messaging Service picks the sender number itself (and wins when both are set, as in Twilio's API).
        MessageCreator creator = service.isPresent()
                ? Message.creator(to, service.get(), message.text())
                : Message.creator(to, new PhoneNumber(from.get()), message.text());
        Message sent;
        try {
            sent = creator.create(client);
        } catch (ApiConnectionException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, e.getCause() instanceof TimeoutException
                    ? DeliveryException.Category.TIMEOUT : DeliveryException.Category.UNREACHABLE, "twilio: " + e.getMessage());
        } catch (ApiException e) {
            Integer status = e.getStatusCode() != null ? e.getStatusCode() : e.getHttpStatusCode();
            throw TwilioErrors.toException(e.getCode(), status, key -> !key.equals(AUTH_TOKEN) || apiKey.isEmpty()
                    ? settings.whereToSet(key)
                    // Signed in with an API key: that is what Twilio refused.
                    : settings.whereToSet(API_KEY_SID) + ", " + settings.whereToSet(API_KEY_SECRET));
        } catch (TwilioException e) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, DeliveryException.Category.PROVIDER_ERROR,
                    "twilio: unexpected answer (" + e.getClass().getSimpleName() + ")");
        }
        if (sent.getStatus() != null && FAILED.contains(sent.getStatus())) {
            throw DeliveryException.sms(DeliveryException.Reason.UNAVAILABLE, "twilio accepted the request but reported status "
                    + sent.getStatus() + (sent.getErrorCode() != null ? " (error " + sent.getErrorCode() + ")" : ""));
        }
        LOG.debugf("Realm '%s': Twilio accepted message %s (status %s, purpose %s)", message.realm().getName(),
                sent.getSid(), sent.getStatus(), message.purpose());
    }
}
