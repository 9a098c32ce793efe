package io.github.dropin.keycloak.store;

import org.keycloak.models.SingleUseObjectProvider;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Counting limits ("at most N per window") on Keycloak's single-use object store, which offers no atomic
 * counter but a cluster-wide atomic {@code putIfAbsent}. A limit of N is N slot keys, each living for the window
 * once claimed: an event may happen if it can claim a free slot. Each slot expires one window after it was
 * claimed, so this is a sliding-window log, exact across cluster nodes in steady state.
 */
public final class SlotLimiter {

    private static final RandomGenerator RANDOM = new SecureRandom();

    private final SingleUseObjectProvider store;

    public SlotLimiter(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Claims any free slot. Probing starts at a random slot, so far from the limit a claim costs about one store
     * call; only a request that is refused probes every slot.
     *
     * @return the claimed slot's key (to release it again), or {@code null} when all {@code limit} are taken
     */
    public String tryAcquire(String key, int limit, long windowSeconds) {
        int start = RANDOM.nextInt(limit);
        for (int i = 0; i < limit; i++) {
            String slot = key + "#" + ((start + i) % limit);
            if (store.putIfAbsent(slot, windowSeconds)) {
                return slot;
            }
        }
        return null;
    }

    /**
     * Claims the lowest free slot, for small limits where the caller needs the count (attempts per code).
     *
     * @return the 1-based number of the claimed slot, or -1 when all {@code limit} are taken
     */
    public int claimNext(String key, int limit, long windowSeconds) {
        for (int i = 1; i <= limit; i++) {
            if (store.putIfAbsent(key + "#" + i, windowSeconds)) {
                return i;
            }
        }
        return -1;
    }

    public void release(String slotKey) {
        store.remove(slotKey);
    }
}
