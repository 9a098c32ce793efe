package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.Codes;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.Locale;

/**
 * Cluster-wide "check, then create" for values that must be unique in a realm (phone numbers, which Keycloak does
 * not constrain, and usernames and emails, whose database constraint would otherwise fail only at commit, as a
 * 500). The lock is a single-use-object key taken with the cluster-atomic {@code putIfAbsent} and released after
 * the request's transaction has committed or rolled back, so the next holder's lookup sees the committed user.
 */
public final class UniqueGuard {

    /** Long enough for any request that creates a user; only matters if a node dies while holding a lock. */
    private static final long LOCK_LIFESPAN_SECONDS = 30;
    private static final long WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 20;

    private UniqueGuard() {
    }

    /**
     * Takes the lock for {@code kind}/{@code value} (case-insensitive) until the current transaction ends, waiting
     * for a concurrent holder to finish.
     *
     * @return false if the lock could not be taken in time (the caller answers "try again", never "created")
     */
    public static boolean lock(KeycloakSession session, RealmModel realm, String kind, String value) {
        SingleUseObjectProvider store = session.singleUseObjects();
        String key = Dropin.STORE_PREFIX + "lock:" + realm.getId() + ":" + kind + ":"
                + Codes.digest(value.toLowerCase(Locale.ROOT));
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!store.putIfAbsent(key, LOCK_LIFESPAN_SECONDS)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
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
}
