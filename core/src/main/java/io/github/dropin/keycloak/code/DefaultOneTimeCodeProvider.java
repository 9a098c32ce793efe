package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.store.Compensations;
import io.github.dropin.keycloak.store.SlotLimiter;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKey;

/**
 * {@link OneTimeCodeProvider} on Keycloak's {@link SingleUseObjectProvider}.
 * <p>
 * Store layout (all keys prefixed {@code dropin:} and scoped by realm id; subjects appear only as keyed hashes):
 * <ul>
 *     <li>{@code code:<realm>:<purpose>:<subject>} → {@code {id, h, len, max, aud, a, p}}, living for the code's
 *         lifetime, where {@code h} is HMAC-SHA256(realm key, realm, purpose, subject, id, code), {@code max} and
 *         {@code aud} the attempts and audience of the policy it was issued with, {@code a} the keyed hash of the
 *         address it went to and {@code p} its pending-code slot;</li>
 *     <li>{@code try:<id>#n} → attempt slots of one code ({@link SlotLimiter#claimNext});</li>
 *     <li>{@code cd:<realm>:<purpose>:<subject or address>} → the resend cooldown, plus {@code .t} holding its end
 *         time;</li>
 *     <li>{@code bo:<realm>:<purpose>:<address>} → the resend back-off: codes in the last hour and when the last one
 *         went out;</li>
 *     <li>{@code hs:}, {@code ha:}, {@code hi:}, {@code fail:} → hourly-per-subject, hourly-per-address,
 *         hourly-per-client and daily-failure slots;</li>
 *     <li>{@code pend:<realm>:<purpose>} → pending-code slots of purposes whose codes are unique;</li>
 *     <li>{@code idx:<realm>:<purpose>:<HMAC(code)>} → which subject a code belongs to, for purposes whose codes
 *         are unique among pending ones.</li>
 * </ul>
 * The HMAC key comes from {@link CodeKeys}: in a server a secret of the pack's own per realm ({@link CodeSecret}),
 * so that rotating the realm's signing keys neither drops pending codes nor resets limits.
 */
public class DefaultOneTimeCodeProvider implements OneTimeCodeProvider {

    private static final RandomGenerator RANDOM = new SecureRandom();
    private static final int HOUR = 3600;
    private static final int DAY = 86400;
    private static final int UNIQUE_CODE_TRIES = 25;
    /** Codes per hour the back-off counts; beyond it every wait is the cap. */
    private static final int BACKOFF_COUNT = 16;

    private final KeycloakSession session;
    private final SingleUseObjectProvider store;
    private final SlotLimiter limiter;
    private final CodeKeys keys;

    public DefaultOneTimeCodeProvider(KeycloakSession session) {
        this(session, new CodeSecret(session));
    }

    public DefaultOneTimeCodeProvider(KeycloakSession session, CodeKeys keys) {
        this.session = session;
        this.store = session.singleUseObjects();
        this.limiter = new SlotLimiter(store);
        this.keys = keys;
    }

    @Override
    public IssuedCode issue(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodeSubject address,
                            CodePolicy policy, String clientIp) throws RateLimitedException {
        claimSendLimits(realm, purpose, subject, address, policy, clientIp);
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        Compensations undo = Compensations.of(session);
        long now = Time.currentTime();
        String id = UUID.randomUUID().toString();
        String code = Codes.generate(RANDOM, policy.length());
        String pendingSlot = "";
        if (policy.uniqueAmongPending()) {
            pendingSlot = claimPendingSlot(realm, purpose, policy, undo);
            code = reserveUniqueCode(realm, purpose, subject, policy, key, id, code, undo);
        }
        store.put(key("code", realm, purpose.id(), subjectKey), policy.lifetimeSeconds(),
                record(key, realm, purpose, subjectKey, id, code, policy, address == null ? subject : address, pendingSlot));
        return new IssuedCode(code, policy.lifetimeSeconds(), now + policy.lifetimeSeconds());
    }

    private Map<String, String> record(SecretKey key, RealmModel realm, CodePurpose purpose, String subjectKey, String id,
                                       String code, CodePolicy policy, CodeSubject address, String pendingSlot) {
        return Map.of(
                "id", id,
                "h", codeHash(key, realm, purpose, subjectKey, id, code),
                "len", Integer.toString(policy.length()),
                "max", Integer.toString(policy.maxAttempts()),
                "aud", policy.audience(),
                "a", subjectKey(key, address),
                "p", pendingSlot);
    }

    @Override
    public void claimSendLimits(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodeSubject address,
                                CodePolicy policy, String clientIp) throws RateLimitedException {
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        String addressKey = address == null ? subjectKey : subjectKey(key, address);
        boolean separateAddress = !addressKey.equals(subjectKey);
        Compensations undo = Compensations.of(session);
        long now = Time.currentTime();

        // The back-off's count first (it sets how long the address's cooldown lasts), then the cooldowns, so that
        // concurrent requests for one subject or address serialise on them.
        int sent = claimBackoffSlot(undo, realm, purpose, addressKey, policy);
        // A refused cooldown was claimed by the code before this one, which was the (sent - 1)-th: its length is the
        // best guess of the time left when its note is gone (a request rolled back keeps the claim, not the note).
        long previous = sent > 1 ? backoffWait(policy, sent - 1) : policy.resendCooldown();
        if (separateAddress) {
            claimCooldown(undo, realm, purpose, subjectKey, policy.resendCooldown(), false, policy.resendCooldown(), now);
            claimCooldown(undo, realm, purpose, addressKey, backoffWait(policy, sent), sent > 1, previous, now);
        } else {
            claimCooldown(undo, realm, purpose, subjectKey, backoffWait(policy, sent), sent > 1, previous, now);
        }
        if (policy.hourlyLimitPerSubject() > 0) {
            claim(undo, key("hs", realm, purpose.id(), subjectKey), policy.hourlyLimitPerSubject(),
                    RateLimitedException.Limit.SUBJECT_HOURLY);
            if (separateAddress) {
                claim(undo, key("ha", realm, purpose.id(), addressKey), policy.hourlyLimitPerSubject(),
                        RateLimitedException.Limit.ADDRESS_HOURLY);
            }
        }
        if (policy.hourlyLimitPerIp() > 0 && clientIp != null) {
            claim(undo, key("hi", realm, Codes.hmacBase64(key, "ip", clientIp)), policy.hourlyLimitPerIp(),
                    RateLimitedException.Limit.IP_HOURLY);
        }
    }

    /**
     * Claims the cooldown of {@code who} lasting {@code seconds} (nothing for 0). A cooldown longer than the policy's
     * is the back-off's; a refusal then reports {@link RateLimitedException.Limit#RESEND_BACKOFF}.
     *
     * @param upperBound the time left to report when the cooldown's note (its end) cannot be read
     */
    private void claimCooldown(Compensations undo, RealmModel realm, CodePurpose purpose, String who, long seconds,
                               boolean backoff, long upperBound, long now) throws RateLimitedException {
        if (seconds <= 0) {
            return;
        }
        String cooldown = key("cd", realm, purpose.id(), who);
        if (!store.putIfAbsent(cooldown, seconds)) {
            Map<String, String> notes = store.get(cooldown + ".t");
            boolean wasBackoff = notes != null && "backoff".equals(notes.get("kind"));
            throw new RateLimitedException(wasBackoff ? RateLimitedException.Limit.RESEND_BACKOFF
                    : RateLimitedException.Limit.RESEND_COOLDOWN, cooldownLeft(notes, now, upperBound));
        }
        undo.onRollback(() -> store.remove(cooldown));
        store.put(cooldown + ".t", seconds, Map.of("until", Long.toString(now + seconds),
                "kind", backoff ? "backoff" : "cooldown"));
    }

    /**
     * The resend back-off of one address and purpose: the n-th code within the hour (counted with slots that live an
     * hour, {@link SlotLimiter#claimNext}) makes the address wait the cooldown times 2<sup>n-1</sup> before the next
     * one, at most {@link CodePolicy#resendBackoffMax()}: the cooldown after the first code, twice it after the
     * second, and so on. A code used successfully lifts the wait (the cooldown goes), not the count. Silent codes
     * count like real ones, so that the waits tell nobody whether a number has an account.
     *
     * @return which code within the hour this one is (1 for the first, or when the back-off is off)
     */
    private int claimBackoffSlot(Compensations undo, RealmModel realm, CodePurpose purpose, String addressKey,
                                 CodePolicy policy) {
        if (policy.resendCooldown() <= 0 || policy.resendBackoffMax() <= policy.resendCooldown()) {
            return 1;
        }
        String counter = key("bo", realm, purpose.id(), addressKey);
        int n = limiter.claimNext(counter, BACKOFF_COUNT, HOUR);
        if (n < 0) {
            return BACKOFF_COUNT + 1;
        }
        undo.onRollback(() -> limiter.release(counter + "#" + n));
        return n;
    }

    /** Seconds the address waits after its {@code sent}-th code of the hour: cooldown x 2^(sent-1), capped. */
    static long backoffWait(CodePolicy policy, int sent) {
        long wait = (long) policy.resendCooldown() << Math.min(20, Math.max(0, sent - 1));
        return Math.min(wait, Math.max(policy.resendCooldown(), policy.resendBackoffMax()));
    }

    /**
     * One of the purpose's {@link CodePolicy#maxPending()} pending-code slots, each held for a code's lifetime: a
     * full code space is a limit like the others (429 with the time until slots free up), never an error.
     */
    private String claimPendingSlot(RealmModel realm, CodePurpose purpose, CodePolicy policy, Compensations undo)
            throws RateLimitedException {
        if (policy.maxPending() <= 0) {
            return "";
        }
        String slot = limiter.tryAcquire(key("pend", realm, purpose.id()), policy.maxPending(), policy.lifetimeSeconds());
        if (slot == null) {
            throw new RateLimitedException(RateLimitedException.Limit.CODE_SPACE, policy.lifetimeSeconds());
        }
        undo.onRollback(() -> limiter.release(slot));
        return slot;
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
        store.put(key("code", realm, purpose.id(), subjectKey), policy.lifetimeSeconds(),
                record(key, realm, purpose, subjectKey, id, normalised, policy, subject, ""));
    }

    private String reserveUniqueCode(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy,
                                     SecretKey key, String id, String first, Compensations undo)
            throws RateLimitedException {
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
        // Most of the code space is pending (only without a pending-code cap, or with one near the space's size):
        // refuse rather than share a code, as a limit, for as long as codes live.
        throw new RateLimitedException(RateLimitedException.Limit.CODE_SPACE, policy.lifetimeSeconds());
    }

    @Override
    public Verification verify(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object submitted,
                               CodePolicy policy) {
        SecretKey key = hashKey(realm);
        String subjectKey = subjectKey(key, subject);
        String codeKey = key("code", realm, purpose.id(), subjectKey);
        Map<String, String> pending = store.get(codeKey);
        if (pending == null || pending.get("id") == null
                || !policy.audience().equals(pending.getOrDefault("aud", ""))) {
            // A code of another audience (the browser's, for the direct grant) is not this flow's to check.
            return Verification.of(Verification.Outcome.NOT_FOUND);
        }
        String id = pending.get("id");
        int length = parseInt(pending.get("len"), policy.length());
        // The attempts of the policy the code was issued with, whichever flow checks it.
        int maxAttempts = Math.max(1, parseInt(pending.get("max"), policy.maxAttempts()));

        // Claim the attempt before comparing, so parallel guesses cannot exceed the limit. A request that finds
        // every attempt taken does not remove the code itself: the holders of the claimed attempts decide (the
        // last one kills it if wrong), so a burst of parallel requests with the right code still lets one succeed.
        int attempt = limiter.claimNext(key("try", realm, id), maxAttempts, policy.lifetimeSeconds());
        if (attempt < 0) {
            // Not compared, so not a guess: it must not count towards the user's brute-force lock.
            return new Verification(Verification.Outcome.EXHAUSTED, 0, false);
        }
        // The daily failure budget is claimed before comparing too: once it is spent, no code of this subject is
        // compared at all (a new code does not buy a new guess). A right code gives its claim back.
        String failure = null;
        if (policy.dailyFailureLimit() > 0) {
            failure = limiter.tryAcquire(key("fail", realm, subjectKey), policy.dailyFailureLimit(), DAY);
            if (failure == null) {
                store.remove(codeKey);
                return new Verification(Verification.Outcome.EXHAUSTED, 0, false);
            }
        }

        String normalised = Codes.normalise(submitted, length);
        boolean match = normalised != null
                && Codes.constantTimeEquals(codeHash(key, realm, purpose, subjectKey, id, normalised), pending.get("h"));
        if (match) {
            if (failure != null) {
                limiter.release(failure);
            }
            Map<String, String> removed = store.remove(codeKey);
            if (removed == null || !id.equals(removed.get("id"))) {
                // Another request consumed it between our read and our removal: single use wins.
                return Verification.of(Verification.Outcome.NOT_FOUND);
            }
            store.remove(key("cd", realm, purpose.id(), subjectKey));
            String addressKey = pending.get("a");
            if (addressKey != null && !addressKey.isEmpty()) {
                // The code reached its owner: the address's cooldown and back-off start afresh.
                store.remove(key("cd", realm, purpose.id(), addressKey));
                store.remove(key("bo", realm, purpose.id(), addressKey));
            }
            String pendingSlot = pending.get("p");
            if (pendingSlot != null && !pendingSlot.isEmpty()) {
                limiter.release(pendingSlot);
            }
            removeIndex(realm, purpose, key, normalised);
            return Verification.of(Verification.Outcome.VALID);
        }
        if (attempt >= maxAttempts) {
            store.remove(codeKey);
            return Verification.of(Verification.Outcome.EXHAUSTED);
        }
        return new Verification(Verification.Outcome.INVALID, maxAttempts - attempt);
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

    private static long cooldownLeft(Map<String, String> notes, long now, long upperBound) {
        if (notes != null && notes.get("until") != null) {
            try {
                return Long.parseLong(notes.get("until")) - now;
            } catch (NumberFormatException ignored) {
                // fall through to the upper bound
            }
        }
        return upperBound;
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int parseInt(String value, int fallback) {
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

    /** The realm's code key ({@link CodeKeys}). */
    private SecretKey hashKey(RealmModel realm) {
        return keys.of(realm);
    }
}
