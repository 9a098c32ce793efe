package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.store.Compensations;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.Map;

/**
 * Short-lived, single-use authorisations a verified code leaves behind for the next step ("this account may now set
 * its first password", "... reset its PIN", "... reset its password with this code"), kept in Keycloak's
 * cluster-replicated single-use store under {@code dropin:<kind>:<realm id>:<user id>}.
 * <p>
 * A grant is written with {@code put} (applied when the request commits, so a failed request leaves none) and
 * consumed with {@code remove}, of which exactly one of several concurrent callers wins. They live in memory only:
 * a restart of every node forgets them, and the user asks for a new code.
 */
final class Grants {

    /** May set the first password (after {@code verify-code}, purpose {@code email_verification}). */
    static final String SET_PASSWORD = "es-setpw";
    /**
     * Who may use {@link #SET_PASSWORD} (client, network, token hash), read and never consumed: kept apart from the
     * grant so that putting a consumed grant back on rollback (an immediate write, without notes) keeps the binding.
     */
    static final String SET_PASSWORD_CALLER = "es-setpw-caller";
    /** May reset the password with the code that was verified (purpose {@code password_recovery}). */
    static final String RECOVERY = "es-recovery";
    /** May set a new PIN without the current one (after {@code reset-pin-verify}). */
    static final String PIN_RESET = "es-pinreset";

    private Grants() {
    }

    static void give(Call call, String kind, String userId, int seconds, Map<String, String> notes) {
        call.session().singleUseObjects().put(key(call, kind, userId), seconds, notes);
    }

    /** The grant's notes, without consuming it; {@code null} if there is none. */
    static Map<String, String> peek(Call call, String kind, String userId) {
        return call.session().singleUseObjects().get(key(call, kind, userId));
    }

    /**
     * Consumes a grant without notes. If the request then fails, the grant is put back (for the same window),
     * so that a refused request costs the user nothing.
     *
     * @return whether this call held the grant
     */
    static boolean consume(Call call, String kind, String userId, int seconds) {
        SingleUseObjectProvider store = call.session().singleUseObjects();
        String key = key(call, kind, userId);
        if (store.remove(key) == null) {
            return false;
        }
        Compensations.of(call.session()).onRollback(() -> store.putIfAbsent(key, seconds));
        return true;
    }

    /** Consumes a grant with notes; only the caller whose {@code remove} returns the expected id wins. */
    static boolean consume(Call call, String kind, String userId, String expectedId) {
        Map<String, String> removed = call.session().singleUseObjects().remove(key(call, kind, userId));
        return removed != null && expectedId.equals(removed.get("id"));
    }

    static void revoke(Call call, String kind, String userId) {
        call.session().singleUseObjects().remove(key(call, kind, userId));
    }

    private static String key(Call call, String kind, String userId) {
        return Dropin.STORE_PREFIX + kind + ":" + call.realm().getId() + ":" + userId;
    }
}
