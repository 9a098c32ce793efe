package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.IssuedCode;
import io.github.dropin.keycloak.delivery.CodeMessenger;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Sends a freshly issued code and turns delivery failures into the caller's answer: a validation error when the
 * provider refuses the recipient, 503 otherwise, and in both cases an error event with the provider's reason.
 * The dispatcher then rolls the request back, so the code, its cooldown and any account created for it vanish.
 */
public final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);
    /** Keycloak executor (ExecutorsProvider task type) for background emails. */
    private static final String EXECUTOR = "dropin-delivery";

    private Delivery() {
    }

    public static void sms(Call call, EventBuilder event, UserModel user, String phone, CodePurpose purpose,
                           IssuedCode code, Supplier<ApiError> recipientError) throws ApiError {
        try {
            new CodeMessenger(call.session()).sendSms(call.realm(), user, phone, purpose, code.code(), code.lifetimeSeconds());
        } catch (DeliveryException e) {
            throw failed(call, event, e, recipientError);
        }
    }

    public static void email(Call call, EventBuilder event, UserModel user, String address, CodePurpose purpose,
                             IssuedCode code, Supplier<ApiError> recipientError) throws ApiError {
        try {
            new CodeMessenger(call.session()).sendEmail(call.realm(), user, address, purpose, code.code(), code.lifetimeSeconds());
        } catch (DeliveryException e) {
            throw failed(call, event, e, recipientError);
        }
    }

    /** An email to send in the background, given a fresh session's messenger, realm and user. */
    @FunctionalInterface
    public interface EmailJob {
        void send(CodeMessenger messenger, RealmModel realm, UserModel user) throws DeliveryException;
    }

    /**
     * Sends an email once the request's transaction has committed, on Keycloak's executor (in its own session and
     * transaction), so that the answer does not wait for the mail server.
     * <p>
     * For endpoints that must answer alike whether or not an account exists (password recovery): a synchronous
     * send would make known addresses measurably slower, and a failed send could not be reported without telling
     * the caller the address exists. A failure is logged and recorded as an error event of {@code eventType}.
     * Nothing is sent if the request rolls back.
     */
    public static void emailAfterCommit(Call call, EventType eventType, UserModel user, EmailJob job) {
        KeycloakSessionFactory factory = call.session().getKeycloakSessionFactory();
        ExecutorService executor = call.session().getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        String realmId = call.realm().getId();
        String userId = user.getId();
        String dialect = call.dialect().id();
        String ip = call.clientIp();
        ClientModel client = call.session().getContext().getClient();
        String clientId = client == null ? null : client.getClientId();
        call.session().getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.execute(() -> sendInBackground(factory, realmId, userId, dialect, ip, clientId, eventType, job));
            }

            @Override
            protected void rollbackImpl() {
                // the request failed: nothing to send
            }
        });
    }

    private static void sendInBackground(KeycloakSessionFactory factory, String realmId, String userId, String dialect,
                                         String ip, String clientId, EventType eventType, EmailJob job) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                if (realm == null) {
                    return;
                }
                s.getContext().setRealm(realm);
                UserModel user = s.users().getUserById(realm, userId);
                if (user == null) {
                    return;
                }
                try {
                    job.send(new CodeMessenger(s), realm, user);
                } catch (DeliveryException e) {
                    LOG.warnf("Realm '%s', dialect '%s': %s delivery failed: %s (%s)", realm.getName(), dialect,
                            e.channel(), e.reason(), e.detail());
                    EventBuilder event = new EventBuilder(realm, s).event(eventType).ipAddress(ip).user(user)
                            .detail("dialect", dialect).detail("channel", e.channel())
                            .detail("reason", e.reason() + ": " + e.detail());
                    if (clientId != null) {
                        event.client(clientId);
                    }
                    event.error("delivery_failed");
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Realm %s, dialect '%s': background email failed", realmId, dialect);
        }
    }

    private static ApiError failed(Call call, EventBuilder event, DeliveryException e, Supplier<ApiError> recipientError) {
        event.detail("reason", e.reason() + ": " + e.detail()).detail("channel", e.channel());
        if (e.isRecipientProblem()) {
            event.error("invalid_recipient");
            return recipientError.get();
        }
        // The cause may carry provider details useful to operators; it never holds the code or credentials.
        LOG.warnf("Realm '%s', dialect '%s': %s delivery failed: %s (%s)", call.realm().getName(),
                call.dialect().id(), e.channel(), e.reason(), e.detail());
        event.error("delivery_failed");
        return ApiError.unavailable();
    }
}
