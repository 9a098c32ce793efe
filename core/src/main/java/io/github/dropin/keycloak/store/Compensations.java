package io.github.dropin.keycloak.store;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

import java.util.ArrayList;
import java.util.List;

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

    /** Undo actions in registration order; {@code null} where an action was kept (will never run). */
    private final List<Runnable> undo = new ArrayList<>();

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
                created.undoSince(0);
            }
        });
        return created;
    }

    public void onRollback(Runnable action) {
        undo.add(action);
    }

    /** A position in the list of undo actions, to {@link #undoSince undo} or {@link #keep keep} what follows it. */
    public int mark() {
        return undo.size();
    }

    /**
     * Runs the undo actions registered since {@code mark}, newest first, now, and forgets them. For callers that must
     * keep the rest of the request's work although one step failed: a login page that reports an SMS that could not
     * be sent keeps its authentication session, so it cannot roll the transaction back.
     */
    public void undoSince(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            Runnable action = undo.remove(i);
            if (action != null) {
                action.run();
            }
        }
    }

    /**
     * Keeps the writes registered between {@code from} (inclusive) and {@code to} (exclusive) whatever happens to
     * the request: a limit claimed for a message that was actually sent must stay claimed even if the request then
     * fails, or every failed request would be a free message.
     */
    public void keep(int from, int to) {
        for (int i = from; i < Math.min(to, undo.size()); i++) {
            undo.set(i, null);
        }
    }
}
