package io.github.dropin.keycloak.store;

import org.junit.jupiter.api.Test;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SlotLimiterTest {

    /** The store's contract as far as the limiter uses it: an atomic putIfAbsent and remove. */
    static final class MemoryStore implements SingleUseObjectProvider {
        final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void put(String key, long lifespanSeconds, Map<String, String> notes) {
            entries.put(key, new HashMap<>(notes));
        }

        @Override
        public Map<String, String> get(String key) {
            return entries.get(key);
        }

        @Override
        public Map<String, String> remove(String key) {
            return entries.remove(key);
        }

        @Override
        public boolean replace(String key, Map<String, String> notes) {
            return entries.replace(key, notes) != null;
        }

        @Override
        public boolean putIfAbsent(String key, long lifespanInSeconds) {
            calls.incrementAndGet();
            return entries.putIfAbsent(key, Map.of()) == null;
        }

        @Override
        public boolean contains(String key) {
            return entries.containsKey(key);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void grantsExactlyTheLimitThenRefuses() {
        SlotLimiter limiter = new SlotLimiter(new MemoryStore());
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("k", 5, 3600)).isNotNull();
        }
        assertThat(limiter.tryAcquire("k", 5, 3600)).isNull();
        assertThat(limiter.tryAcquire("other", 5, 3600)).as("limits are per key").isNotNull();
    }

    @Test
    void releasedSlotsCanBeClaimedAgain() {
        SlotLimiter limiter = new SlotLimiter(new MemoryStore());
        String first = limiter.tryAcquire("k", 2, 3600);
        limiter.tryAcquire("k", 2, 3600);
        assertThat(limiter.tryAcquire("k", 2, 3600)).isNull();
        limiter.release(first);
        assertThat(limiter.tryAcquire("k", 2, 3600)).isNotNull();
    }

    @Test
    void claimNextCountsInOrder() {
        SlotLimiter limiter = new SlotLimiter(new MemoryStore());
        assertThat(limiter.claimNext("a", 3, 60)).isEqualTo(1);
        assertThat(limiter.claimNext("a", 3, 60)).isEqualTo(2);
        assertThat(limiter.claimNext("a", 3, 60)).isEqualTo(3);
        assertThat(limiter.claimNext("a", 3, 60)).isEqualTo(-1);
    }

    @Test
    void farFromTheLimitAClaimCostsAboutOneStoreCall() {
        MemoryStore store = new MemoryStore();
        SlotLimiter limiter = new SlotLimiter(store);
        limiter.tryAcquire("ip", 1000, 3600);
        assertThat(store.calls.get()).isEqualTo(1);
    }

    @Test
    void concurrentClaimsNeverExceedTheLimit() throws Exception {
        SlotLimiter limiter = new SlotLimiter(new MemoryStore());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger granted = new AtomicInteger();
        try {
            Future<?>[] futures = new Future<?>[200];
            for (int i = 0; i < futures.length; i++) {
                futures[i] = pool.submit(() -> {
                    if (limiter.tryAcquire("burst", 20, 3600) != null) {
                        granted.incrementAndGet();
                    }
                });
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isEqualTo(20);
    }
}
