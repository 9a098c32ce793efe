package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.Codes;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Cluster-wide "check, then create" for values that must be unique in a realm (phone numbers, which Keycloak does
 * not constrain, and usernames and emails, whose database constraint would otherwise fail only at commit, as a
 * 500). The lock is a single-use-object key taken with the cluster-atomic {@code putIfAbsent} and released after
 * the request's transaction has committed or rolled back, so the next holder's lookup sees the committed user.
 * <p>
 * A lock is tried once and never waited for: a value that another request is creating right now is as good as taken,
 * and the caller answers as it answers for a taken value. (Polling for the holder used to keep a worker thread
 * asleep for up to 10 s per request, which a burst of registrations of one number turned into thread starvation.)
 * Within one request a lock is re-entrant, so the same value may be claimed twice by one request.
 */
public final class UniqueGuard {

    /** Long enough for any request that creates a user; only matters if a node dies while holding a lock. */
    private static final long LOCK_LIFESPAN_SECONDS = 30;
    /** Session attribute: the lock keys this request holds. */
    private static final String HELD = UniqueGuard.class.getName() + ".held";

    private UniqueGuard() {
    }

    /**
     * Takes the lock for {@code kind}/{@code value} (case-insensitive) until the current transaction ends.
     *
     * @return false if another request holds it (the value is being created there: the caller answers "taken",
     *         never "created")
     */
    public static boolean lock(KeycloakSession session, RealmModel realm, String kind, String value) {
        String key = Dropin.STORE_PREFIX + "lock:" + realm.getId() + ":" + kind + ":"
                + Codes.digest(value.toLowerCase(Locale.ROOT));
        Set<String> held = held(session);
        if (held.contains(key)) {
            return true;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        if (!store.putIfAbsent(key, LOCK_LIFESPAN_SECONDS)) {
            return false;
        }
        held.add(key);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                store.remove(key);
            }

            @Override
            protected void rollbackImpl() {
                store.remove(key);
            }
        });
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> held(KeycloakSession session) {
        Object held = session.getAttribute(HELD);
        if (held instanceof Set<?> set) {
            return (Set<String>) set;
        }
        Set<String> fresh = new HashSet<>();
        session.setAttribute(HELD, fresh);
        return fresh;
    }
}
