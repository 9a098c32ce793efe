package io.github.dropin.keycloak.testing;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One session's {@link SingleUseObjectProvider} on an {@link InMemorySingleUseObjects}, with the transactional
 * behaviour of Keycloak 26.7.3's embedded-Infinispan implementation ({@code InfinispanSingleUseObjectProvider}):
 * <ul>
 *     <li>{@link #put} is deferred: it is written when the session's transaction commits (after completion) and
 *         dropped when it rolls back; until then only this session's {@link #get} sees it. A second {@code put} of
 *         the same key in one transaction fails, as Infinispan's transaction refuses a second task for a key;</li>
 *     <li>{@link #putIfAbsent}, {@link #remove}, {@link #replace} and {@link #contains} act on the shared store at
 *         once and are not undone by a rollback (which is why the engine registers compensations).</li>
 * </ul>
 */
public final class InMemorySingleUseObjectProvider implements SingleUseObjectProvider {

    private final InMemorySingleUseObjects store;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    InMemorySingleUseObjectProvider(InMemorySingleUseObjects store, FakeTransactionManager transactions) {
        this.store = store;
        transactions.enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                pending.forEach((key, write) -> store.put(key, write.lifespanSeconds(), write.notes()));
                pending.clear();
            }

            @Override
            protected void rollbackImpl() {
                pending.clear();
            }
        });
    }

    @Override
    public void put(String key, long lifespanSeconds, Map<String, String> notes) {
        Objects.requireNonNull(key);
        if (lifespanSeconds <= 0) {
            throw new IllegalArgumentException("lifespanSeconds must be positive");
        }
        if (pending.containsKey(key)) {
            throw new IllegalStateException("Can't add session: task in progress for session");
        }
        pending.put(key, new Pending(lifespanSeconds, InMemorySingleUseObjects.copy(notes)));
    }

    @Override
    public Map<String, String> get(String key) {
        Objects.requireNonNull(key);
        Pending write = pending.get(key);
        return write != null ? write.notes() : store.get(key);
    }

    @Override
    public Map<String, String> remove(String key) {
        Objects.requireNonNull(key);
        return store.remove(key);
    }

    @Override
    public boolean replace(String key, Map<String, String> notes) {
        Objects.requireNonNull(key);
        return store.replace(key, notes);
    }

    @Override
    public boolean putIfAbsent(String key, long lifespanInSeconds) {
        Objects.requireNonNull(key);
        if (lifespanInSeconds <= 0) {
            throw new IllegalArgumentException("lifespanInSeconds must be positive");
        }
        return store.putIfAbsent(key, lifespanInSeconds);
    }

    @Override
    public boolean contains(String key) {
        Objects.requireNonNull(key);
        return store.contains(key);
    }

    @Override
    public void close() {
    }

    private record Pending(long lifespanSeconds, Map<String, String> notes) {
    }
}
