package io.github.dropin.keycloak.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake store keeps the contract the engine tests rely on. */
class InMemorySingleUseObjectsTest {

    final FakeKeycloak keycloak = new FakeKeycloak();

    @AfterEach
    void resetClock() {
        Time.setOffset(0);
    }

    @Test
    void entriesLiveTheirLifespanOnKeycloaksClock() {
        FakeKeycloak.Session session = keycloak.openSession();
        SingleUseObjectProvider store = session.session().singleUseObjects();
        store.put("a", 10, Map.of("k", "v"));
        assertThat(store.putIfAbsent("b", 10)).isTrue();
        session.commit();

        Time.setOffset(9);
        assertThat(keycloak.store().snapshot()).containsOnlyKeys("a", "b");
        Time.setOffset(10);
        assertThat(keycloak.store().snapshot()).isEmpty();
        SingleUseObjectProvider later = keycloak.openSession().session().singleUseObjects();
        assertThat(later.get("a")).isNull();
        assertThat(later.contains("b")).isFalse();
        assertThat(later.putIfAbsent("b", 10)).as("an expired key is free again").isTrue();
    }

    @Test
    void putIsDeferredToTheCommitAndOnlyItsOwnSessionSeesItBefore() {
        FakeKeycloak.Session writer = keycloak.openSession();
        SingleUseObjectProvider store = writer.session().singleUseObjects();
        store.put("k", 60, Map.of("n", "1"));
        assertThat(store.get("k")).containsEntry("n", "1");
        assertThat(store.contains("k")).as("contains reads the shared cache").isFalse();
        assertThat(keycloak.openSession().session().singleUseObjects().get("k")).isNull();
        assertThatThrownBy(() -> store.put("k", 60, Map.of())).isInstanceOf(IllegalStateException.class);
        writer.commit();
        assertThat(keycloak.store().snapshot()).containsEntry("k", Map.of("n", "1"));

        FakeKeycloak.Session rolledBack = keycloak.openSession();
        rolledBack.session().singleUseObjects().put("gone", 60, Map.of());
        rolledBack.session().singleUseObjects().putIfAbsent("kept", 60);
        rolledBack.rollback();
        assertThat(keycloak.store().snapshot()).containsOnlyKeys("k", "kept");
    }

    @Test
    void concurrentPutIfAbsentAndRemoveHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (String operation : List.of("putIfAbsent", "remove")) {
                if (operation.equals("remove")) {
                    keycloak.store().provider(new FakeTransactionManager()).putIfAbsent("key", 60);
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(pool.submit(() -> {
                        SingleUseObjectProvider store = keycloak.openSession().session().singleUseObjects();
                        start.await();
                        return operation.equals("remove") ? store.remove("key") != null : store.putIfAbsent("key", 60);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as(operation).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lifespansMustBePositiveAndKeysPresent() {
        SingleUseObjectProvider store = keycloak.openSession().session().singleUseObjects();
        assertThatThrownBy(() -> store.put("k", 0, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putIfAbsent("k", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    }
}
