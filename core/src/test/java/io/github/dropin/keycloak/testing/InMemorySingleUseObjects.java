package io.github.dropin.keycloak.testing;

import org.keycloak.common.util.Time;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state behind Keycloak's single-use object store, in memory: what the {@code actionTokens} Infinispan cache
 * holds and every session (on every node) sees. Sessions reach it through an {@link InMemorySingleUseObjectProvider}
 * of their own, which adds the transactional part of the contract.
 * <p>
 * Lifespans are kept against Keycloak's {@link Time}, so {@code Time.setOffset(...)} ages entries as it ages
 * everything else in Keycloak (what Keycloak's own tests do, with Infinispan's time service switched to {@code Time}).
 * An entry of lifespan L written at t is gone from t + L on. Infinispan keeps it one millisecond longer
 * ({@code now > created + lifespan}); the difference is invisible to callers and lets a test put the clock exactly
 * at the end of a lifetime without racing the wall clock's milliseconds.
 * <p>
 * Conditional operations are atomic, as Infinispan's are across a cluster: of concurrent {@code putIfAbsent}s of one
 * key exactly one succeeds, and of concurrent {@code remove}s exactly one returns the data.
 */
public final class InMemorySingleUseObjects {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A session's view of the store; its {@code put}s are written when {@code transactions} commits. */
    public InMemorySingleUseObjectProvider provider(FakeTransactionManager transactions) {
        return new InMemorySingleUseObjectProvider(this, transactions);
    }

    /** Every live entry, by key, in key order: for tests that look at what is stored. */
    public Map<String, Map<String, String>> snapshot() {
        long now = Time.currentTimeMillis();
        Map<String, Map<String, String>> live = new TreeMap<>();
        entries.forEach((key, entry) -> {
            if (!entry.expired(now)) {
                live.put(key, entry.notes());
            }
        });
        return live;
    }

    /** Number of live entries. */
    public int size() {
        return snapshot().size();
    }

    void put(String key, long lifespanSeconds, Map<String, String> notes) {
        entries.put(key, new Entry(copy(notes), Time.currentTimeMillis(), lifespanSeconds * 1000));
    }

    Map<String, String> get(String key) {
        Entry entry = entries.get(key);
        return entry == null || entry.expired(Time.currentTimeMillis()) ? null : entry.notes();
    }

    Map<String, String> remove(String key) {
        AtomicReference<Map<String, String>> removed = new AtomicReference<>();
        long now = Time.currentTimeMillis();
        entries.computeIfPresent(key, (k, entry) -> {
            if (!entry.expired(now)) {
                removed.set(entry.notes());
            }
            return null;
        });
        return removed.get();
    }

    boolean replace(String key, Map<String, String> notes) {
        AtomicBoolean replaced = new AtomicBoolean();
        long now = Time.currentTimeMillis();
        entries.computeIfPresent(key, (k, entry) -> {
            if (entry.expired(now)) {
                return null;
            }
            replaced.set(true);
            // Infinispan's replace(key, value) takes the cache's default expiration, and Keycloak's actionTokens
            // cache sets none: the replaced entry no longer expires. Modelled as such so that a caller relying
            // on replace keeping the lifespan is caught here rather than in production.
            return new Entry(copy(notes), now, -1);
        });
        return replaced.get();
    }

    boolean putIfAbsent(String key, long lifespanSeconds) {
        AtomicBoolean put = new AtomicBoolean();
        long now = Time.currentTimeMillis();
        entries.compute(key, (k, entry) -> {
            if (entry != null && !entry.expired(now)) {
                return entry;
            }
            put.set(true);
            return new Entry(Map.of(), now, lifespanSeconds * 1000);
        });
        return put.get();
    }

    boolean contains(String key) {
        return get(key) != null;
    }

    /** Like Keycloak's {@code SingleUseObjectValueEntity}: an immutable copy without null values. */
    static Map<String, String> copy(Map<String, String> notes) {
        if (notes == null || notes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>(notes);
        copy.values().removeIf(Objects::isNull);
        return Map.copyOf(copy);
    }

    private record Entry(Map<String, String> notes, long created, long lifespanMillis) {

        boolean expired(long now) {
            return lifespanMillis >= 0 && now >= created + lifespanMillis;
        }
    }
}
