package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.store.Compensations;
import io.github.dropin.keycloak.store.SlotLimiter;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link OneTimeCodeProvider} on Keycloak's {@link SingleUseObjectProvider}.
 * <p>
 * Store layout (all keys prefixed {@code dropin:} and scoped by realm id; subjects appear only as keyed hashes):
 * <ul>
 *     <li>{@code code:<realm>:<purpose>:<subject>} → {@code {id, h, len}}, living for the code's lifetime, where
 *         {@code h} is HMAC-SHA256(realm key, realm, purpose, subject, id, code);</li>
 *     <li>{@code try:<id>#n} → attempt slots of one code ({@link SlotLimiter#claimNext});</li>
 *     <li>{@code cd:<realm>:<purpose>:<subject>} → the resend cooldown, plus {@code .t} holding its end time;</li>
 *     <li>{@code hs:}, {@code hi:}, {@code fail:} → hourly-per-subject, hourly-per-IP and daily-failure slots;</li>
 *     <li>{@code idx:<realm>:<purpose>:<HMAC(code)>} → which subject a code belongs to, for purposes whose codes
 *         are unique among pending ones.</li>
 * </ul>
 * The HMAC key is the realm's active HS512 secret (every realm has one by default), so nothing new is stored
 * and every node computes the same hashes.
 */
public class DefaultOneTimeCodeProvider implements OneTimeCodeProvider {

    private static final Logger LOG = Logger.getLogger(DefaultOneTimeCodeProvider.class);
    private static final RandomGenerator RANDOM = new SecureRandom();
    private static final int HOUR = 3600;
    private static final int DAY = 86400;
    private static final int UNIQUE_CODE_TRIES = 25;

    private final KeycloakSession session;
    private final SingleUseObjectProvider store;
    private final SlotLimiter limiter;

    public DefaultOneTimeCodeProvider(KeycloakSession session) {
        this.session = session;
        this.store = session.singleUseObjects();
        this.limiter = new SlotLimiter(store);
    }

    @Override
    public IssuedCode issue(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy,
                            String clientIp) throws RateLimitedException {
        claimSendLimits(realm, purpose, subject, policy, clientIp);
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        Compensations undo = Compensations.of(session);
        long now = Time.currentTime();
        String id = UUID.randomUUID().toString();
        String code = Codes.generate(RANDOM, policy.length());
        if (policy.uniqueAmongPending()) {
            code = reserveUniqueCode(realm, purpose, subject, policy, key, id, code, undo);
        }
        store.put(key("code", realm, purpose.id(), subjectKey), policy.lifetimeSeconds(), Map.of(
                "id", id,
                "h", codeHash(key, realm, purpose, subjectKey, id, code),
                "len", Integer.toString(policy.length())));
        return new IssuedCode(code, policy.lifetimeSeconds(), now + policy.lifetimeSeconds());
    }

    @Override
    public void claimSendLimits(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy,
                                String clientIp) throws RateLimitedException {
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        Compensations undo = Compensations.of(session);
        long now = Time.currentTime();

        // The cooldown is claimed first so that concurrent requests for one subject serialise on it.
        if (policy.resendCooldown() > 0) {
            String cooldown = key("cd", realm, purpose.id(), subjectKey);
            if (!store.putIfAbsent(cooldown, policy.resendCooldown())) {
                throw new RateLimitedException(RateLimitedException.Limit.RESEND_COOLDOWN, cooldownLeft(cooldown, now, policy));
            }
            undo.onRollback(() -> store.remove(cooldown));
            store.put(cooldown + ".t", policy.resendCooldown(), Map.of("until", Long.toString(now + policy.resendCooldown())));
        }
        if (policy.hourlyLimitPerSubject() > 0) {
            claim(undo, key("hs", realm, purpose.id(), subjectKey), policy.hourlyLimitPerSubject(),
                    RateLimitedException.Limit.SUBJECT_HOURLY);
        }
        if (policy.hourlyLimitPerIp() > 0 && clientIp != null) {
            claim(undo, key("hi", realm, Codes.hmacBase64(key, "ip", clientIp)), policy.hourlyLimitPerIp(),
                    RateLimitedException.Limit.IP_HOURLY);
        }
    }

    @Override
    public void remember(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object code, CodePolicy policy) {
        String normalised = Codes.normalise(code, policy.length());
        if (normalised == null) {
            throw new IllegalArgumentException("not a code of " + policy.length() + " digits");
        }
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        String id = UUID.randomUUID().toString();
        store.put(key("code", realm, purpose.id(), subjectKey), policy.lifetimeSeconds(), Map.of(
                "id", id,
                "h", codeHash(key, realm, purpose, subjectKey, id, normalised),
                "len", Integer.toString(policy.length())));
    }

    private String reserveUniqueCode(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy,
                                     SecretKey key, String id, String first, Compensations undo) {
        String code = first;
        for (int i = 0; i < UNIQUE_CODE_TRIES; i++) {
            String index = key("idx", realm, purpose.id(), Codes.hmacBase64(key, "idx", realm.getId(), purpose.id(), code));
            if (store.putIfAbsent(index, policy.lifetimeSeconds())) {
                undo.onRollback(() -> store.remove(index));
                store.put(index + ".s", policy.lifetimeSeconds(),
                        Map.of("type", subject.type(), "value", subject.value(), "id", id));
                return code;
            }
            code = Codes.generate(RANDOM, policy.length());
        }
        // Practically unreachable (needs most of the code space pending); fail closed rather than share a code.
        throw new IllegalStateException("no free code: too many pending codes for " + purpose.id());
    }

    @Override
    public Verification verify(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object submitted,
                               CodePolicy policy) {
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        String codeKey = key("code", realm, purpose.id(), subjectKey);
        Map<String, String> pending = store.get(codeKey);
        if (pending == null || pending.get("id") == null) {
            return Verification.of(Verification.Outcome.NOT_FOUND);
        }
        String id = pending.get("id");
        int length = parseLength(pending.get("len"), policy.length());

        // Claim the attempt before comparing, so parallel guesses cannot exceed the limit. A request that finds
        // every attempt taken does not remove the code itself: the holders of the claimed attempts decide (the
        // last one kills it if wrong), so a burst of parallel requests with the right code still lets one succeed.
        int attempt = limiter.claimNext(key("try", realm, id), policy.maxAttempts(), policy.lifetimeSeconds());
        if (attempt < 0) {
            // Not compared, so not a guess: it must not count towards the user's brute-force lock.
            return new Verification(Verification.Outcome.EXHAUSTED, 0, false);
        }

        String normalised = Codes.normalise(submitted, length);
        boolean match = normalised != null
                && Codes.constantTimeEquals(codeHash(key, realm, purpose, subjectKey, id, normalised), pending.get("h"));
        if (match) {
            Map<String, String> removed = store.remove(codeKey);
            if (removed == null || !id.equals(removed.get("id"))) {
                // Another request consumed it between our read and our removal: single use wins.
                return Verification.of(Verification.Outcome.NOT_FOUND);
            }
            store.remove(key("cd", realm, purpose.id(), subjectKey));
            removeIndex(realm, purpose, key, normalised);
            return Verification.of(Verification.Outcome.VALID);
        }

        boolean withinDailyLimit = policy.dailyFailureLimit() <= 0
                || limiter.tryAcquire(key("fail", realm, subjectKey), policy.dailyFailureLimit(), DAY) != null;
        if (!withinDailyLimit || attempt >= policy.maxAttempts()) {
            store.remove(codeKey);
            return Verification.of(Verification.Outcome.EXHAUSTED);
        }
        return new Verification(Verification.Outcome.INVALID, policy.maxAttempts() - attempt);
    }

    @Override
    public Optional<CodeSubject> findSubjectByCode(RealmModel realm, CodePurpose purpose, Object submitted,
                                                   CodePolicy policy) {
        String normalised = Codes.normalise(submitted, policy.length());
        if (normalised == null) {
            return Optional.empty();
        }
        SecretKey key = hashKey(realm);
        Map<String, String> owner = store.get(key("idx", realm, purpose.id(),
                Codes.hmacBase64(key, "idx", realm.getId(), purpose.id(), normalised)) + ".s");
        if (owner == null || owner.get("type") == null || owner.get("value") == null) {
            return Optional.empty();
        }
        CodeSubject subject = new CodeSubject(owner.get("type"), owner.get("value"));
        // The index may outlive a code replaced by a newer one; only the current code's owner counts.
        Map<String, String> pending = store.get(key("code", realm, purpose.id(), subjectKey(key, subject)));
        if (pending == null || !owner.get("id").equals(pending.get("id"))) {
            return Optional.empty();
        }
        return Optional.of(subject);
    }

    @Override
    public void countVerificationAttempt(RealmModel realm, String scope, String clientIp, int hourlyLimit)
            throws RateLimitedException {
        if (hourlyLimit <= 0 || clientIp == null) {
            return;
        }
        SecretKey key = hashKey(realm);
        // Deliberately not compensated: a failed guess must keep counting.
        if (limiter.tryAcquire(key("vi", realm, scope, Codes.hmacBase64(key, "ip", clientIp)), hourlyLimit, HOUR) == null) {
            throw new RateLimitedException(RateLimitedException.Limit.IP_VERIFY, HOUR);
        }
    }

    @Override
    public boolean isPending(RealmModel realm, CodePurpose purpose, CodeSubject subject) {
        return store.contains(key("code", realm, purpose.id(), subjectKey(hashKey(realm), subject)));
    }

    @Override
    public void revoke(RealmModel realm, CodePurpose purpose, CodeSubject subject) {
        store.remove(key("code", realm, purpose.id(), subjectKey(hashKey(realm), subject)));
    }

    @Override
    public String keyedHash(RealmModel realm, String... parts) {
        return Codes.hmacBase64(hashKey(realm), parts);
    }

    private void claim(Compensations undo, String key, int limit, RateLimitedException.Limit which)
            throws RateLimitedException {
        String slot = limiter.tryAcquire(key, limit, HOUR);
        if (slot == null) {
            throw new RateLimitedException(which, HOUR);
        }
        undo.onRollback(() -> limiter.release(slot));
    }

    private void removeIndex(RealmModel realm, CodePurpose purpose, SecretKey key, String code) {
        String index = key("idx", realm, purpose.id(), Codes.hmacBase64(key, "idx", realm.getId(), purpose.id(), code));
        if (store.contains(index)) {
            store.remove(index);
            store.remove(index + ".s");
        }
    }

    private long cooldownLeft(String cooldownKey, long now, CodePolicy policy) {
        Map<String, String> notes = store.get(cooldownKey + ".t");
        if (notes != null && notes.get("until") != null) {
            try {
                return Long.parseLong(notes.get("until")) - now;
            } catch (NumberFormatException ignored) {
                // fall through to the upper bound
            }
        }
        return policy.resendCooldown();
    }

    private static int parseLength(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String codeHash(SecretKey key, RealmModel realm, CodePurpose purpose, String subjectKey, String id,
                                   String code) {
        return Codes.hmacBase64(key, "code", realm.getId(), purpose.id(), subjectKey, id, code);
    }

    private static String subjectKey(SecretKey key, CodeSubject subject) {
        return Codes.hmacBase64(key, "subject", subject.type(), subject.value()).substring(0, 24);
    }

    private static String key(String kind, RealmModel realm, String... parts) {
        StringBuilder sb = new StringBuilder(Dropin.STORE_PREFIX).append(kind).append(':').append(realm.getId());
        for (String part : parts) {
            sb.append(':').append(part);
        }
        return sb.toString();
    }

    /**
     * The realm's active HS512 secret. Should an administrator have removed every HMAC key, codes are still hashed,
     * with a key derived from the realm id, and a warning says how to restore the proper key.
     */
    private SecretKey hashKey(RealmModel realm) {
        Optional<SecretKey> active = session.keys().getKeysStream(realm, KeyUse.SIG, Algorithm.HS512)
                .filter(k -> k.getStatus() == KeyStatus.ACTIVE)
                .map(KeyWrapper::getSecretKey)
                .filter(k -> k != null)
                .findFirst();
        if (active.isPresent()) {
            return active.get();
        }
        LOG.warnf("Realm '%s' has no active HS512 key (provider hmac-generated); one-time codes are hashed with a "
                + "fallback key. Add an hmac-generated HS512 key in Realm settings > Keys.", realm.getName());
        return new SecretKeySpec(("dropin-fallback:" + realm.getId()).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }
}
