package io.github.dropin.keycloak.store;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undo actions for writes that take effect at once (single-use-object {@code putIfAbsent}/{@code remove}) and so
 * would survive a rolled-back request. They run, newest first, only if the request's Keycloak transaction rolls
 * back; a committed request keeps its writes.
 * <p>
 * This is what makes "a request that fails changes nothing" hold for cooldowns, rate-limit slots and locks:
 * REST resources of the pack roll the transaction back on every error response.
 */
public final class Compensations {

    private static final String ATTRIBUTE = Compensations.class.getName();

    private final Deque<Runnable> undo = new ArrayDeque<>();

    private Compensations() {
    }

    /** The compensations of this session's transaction, enlisted on first use. */
    public static Compensations of(KeycloakSession session) {
        Compensations existing = session.getAttribute(ATTRIBUTE, Compensations.class);
        if (existing != null) {
            return existing;
        }
        Compensations created = new Compensations();
        session.setAttribute(ATTRIBUTE, created);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                created.undo.clear();
            }

            @Override
            protected void rollbackImpl() {
                created.runAll();
            }
        });
        return created;
    }

    public void onRollback(Runnable action) {
        undo.push(action);
    }

    /**
     * Runs the undo actions registered so far, newest first, now, and forgets them. For callers that must keep the
     * rest of the request's work although one step failed: a login page that reports an SMS that could not be sent
     * keeps its authentication session, so it cannot roll the transaction back.
     */
    public void undoNow() {
        runAll();
    }

    private void runAll() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }
}
