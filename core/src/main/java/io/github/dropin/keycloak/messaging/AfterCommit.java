package io.github.dropin.keycloak.messaging;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.delivery.DeliveryException;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Sends a message once the request's transaction has committed, on Keycloak's executor (in a session and
 * transaction of its own), so that the answer does not wait for the mail server or the SMS provider.
 * <p>
 * For endpoints that must answer alike whether or not an account exists (password recovery): a synchronous send
 * would make known addresses measurably slower, and a failed send could not be reported without telling the caller
 * that the address exists. A failure is logged and recorded as an error event shaped like the request's event.
 * Nothing is sent if the request rolls back.
 */
public final class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class);
    /** Keycloak executor ({@link ExecutorsProvider} task type) for background messages. */
    private static final String EXECUTOR = "dropin-delivery";

    private AfterCommit() {
    }

    /** A message to send in the background, given a fresh session's messenger, realm and user. */
    @FunctionalInterface
    public interface Job {
        void send(CodeMessenger messenger, RealmModel realm, UserModel user) throws DeliveryException;
    }

    /** What to undo, in the background job's session, when the message could not be sent. */
    @FunctionalInterface
    public interface Failed {
        void undo(KeycloakSession session);
    }

    /**
     * Runs {@code job} for {@code user} after the request committed.
     *
     * @param event the request's event: a failure is recorded with its type, client, IP and details
     */
    public static void send(KeycloakSession session, EventBuilder event, UserModel user, Job job) {
        send(session, event, user, job, s -> { });
    }

    /**
     * Runs {@code job} for {@code user} after the request committed, and {@code failed} if it could not send.
     *
     * @param user  the recipient's account; may be {@code null} for an SMS (an email needs one)
     * @param event the request's event: a failure is recorded with its type, client, IP and details
     */
    public static void send(KeycloakSession session, EventBuilder event, UserModel user, Job job, Failed failed) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        String realmId = session.getContext().getRealm().getId();
        String userId = user == null ? null : user.getId();
        Event template = event.getEvent().clone();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.execute(() -> sendInBackground(factory, realmId, userId, template, job, failed));
            }

            @Override
            protected void rollbackImpl() {
                // the request failed: nothing to send
            }
        });
    }

    private static void sendInBackground(KeycloakSessionFactory factory, String realmId, String userId, Event template,
                                         Job job, Failed failed) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                if (realm == null) {
                    return;
                }
                s.getContext().setRealm(realm);
                UserModel user = userId == null ? null : s.users().getUserById(realm, userId);
                if (userId != null && user == null) {
                    return;
                }
                try {
                    job.send(new CodeMessenger(s), realm, user);
                } catch (DeliveryException e) {
                    failed.undo(s);
                    LOG.warnf("Realm '%s': %s delivery failed: %s (%s)", realm.getName(), e.channel().id(), e.reason(),
                            e.detail());
                    failureEvent(s, realm, user, template).detail("channel", e.channel().id())
                            .detail("reason", e.reason() + ": " + e.detail())
                            .error(e.isRecipientProblem() ? EventErrors.INVALID_RECIPIENT : e.channel().sendFailedError());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Realm %s: background delivery failed", realmId);
        }
    }

    private static EventBuilder failureEvent(KeycloakSession session, RealmModel realm, UserModel user, Event template) {
        EventBuilder event = new EventBuilder(realm, session).event(template.getType())
                .ipAddress(template.getIpAddress()).user(user);
        if (template.getClientId() != null) {
            event.client(template.getClientId());
        }
        Map<String, String> details = template.getDetails() == null ? Map.of() : new HashMap<>(template.getDetails());
        details.forEach(event::detail);
        return event;
    }
}
