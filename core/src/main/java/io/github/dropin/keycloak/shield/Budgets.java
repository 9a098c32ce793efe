package io.github.dropin.keycloak.shield;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.metrics.PackMetrics;
import io.github.dropin.keycloak.store.Compensations;
import io.github.dropin.keycloak.store.SlotLimiter;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.Optional;

/**
 * Counts {@link Budget}s on Keycloak's single-use object store, cluster-wide: a budget of N for the current window is N
 * slot keys ({@link SlotLimiter}) that live until the window ends; a claim takes one. The first refusal of a window
 * leaves a marker, so that every later request of that window is refused with one read, and raises the shield's
 * alert (a WARN and a Keycloak admin event, {@link ShieldAlert}) once per budget and window. A budget resumes by
 * itself when the next window starts.
 * <p>
 * Slots are claimed from a random one on (cheap at any size, {@link SlotLimiter#tryAcquire}), so a budget lowered in
 * the middle of a window counts only the window's earlier messages that happen to hold its lower slots; it is exact
 * from the next window on. Raising a budget takes effect at once.
 */
public final class Budgets {

    private final KeycloakSession session;
    private final SingleUseObjectProvider store;
    private final SlotLimiter slots;

    private Budgets(KeycloakSession session) {
        this.session = session;
        this.store = session.singleUseObjects();
        this.slots = new SlotLimiter(store);
    }

    public static Budgets of(KeycloakSession session) {
        return new Budgets(session);
    }

    /**
     * Takes one place in {@code budget}.
     *
     * @param clientIp    the caller's address, for the alert
     * @param compensated whether the place goes back if the request's transaction rolls back (a message that was not
     *                    sent); {@code false} for counts that must stick whatever the answer (failed guesses)
     * @return the place taken (to {@link #release} it), empty when the budget is off
     * @throws RateLimitedException when the budget of the current window is spent; retry after the window's end
     */
    public Optional<String> claim(RealmModel realm, Budget budget, String clientIp, boolean compensated)
            throws RateLimitedException {
        if (budget.isOff()) {
            return Optional.empty();
        }
        long now = Time.currentTime();
        long window = now / budget.windowSeconds();
        long end = (window + 1) * budget.windowSeconds();
        long left = Math.max(1, end - now);
        String base = Dropin.STORE_PREFIX + "budget:" + realm.getId() + ":" + budget.name() + ":" + window;
        // Per limit: an operator who raises a spent budget gets the new room at once, not at the next window.
        String spent = base + ":spent:" + budget.limit();
        if (store.contains(spent)) {
            PackMetrics.shieldTrip(realm, budget.kind());
            throw new RateLimitedException(budget.kind(), left);
        }
        String slot = slots.tryAcquire(base, budget.limit(), left);
        if (slot == null) {
            if (store.putIfAbsent(spent, left)) {
                // The first refusal of this window: tell the operators once.
                ShieldAlert.raise(session, realm, budget, left, clientIp);
            }
            PackMetrics.shieldTrip(realm, budget.kind());
            throw new RateLimitedException(budget.kind(), left);
        }
        if (compensated) {
            Compensations.of(session).onRollback(() -> slots.release(slot));
        }
        return Optional.of(slot);
    }

    /**
     * Refuses exactly when {@link #claim} would, without taking a place: for codes that are issued but sent to
     * nobody (silent codes of numbers without an account), which must meet the same answers as real ones and must not
     * spend the budget (or anyone could spend it for free with unknown numbers).
     */
    public void check(RealmModel realm, Budget budget, String clientIp) throws RateLimitedException {
        claim(realm, budget, clientIp, false).ifPresent(slots::release);
    }

    /** Gives a place back (a right guess, a message that in the end was not sent). */
    public void release(String slot) {
        slots.release(slot);
    }
}
