package io.github.dropin.keycloak.code;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

import java.util.Optional;

/**
 * The one-time-code engine of SPEC §2.2: issues codes under rate limits and verifies them once.
 * <p>
 * Obtain it with {@code session.getProvider(OneTimeCodeProvider.class)}. All state lives in Keycloak's
 * cluster-aware single-use object store, only as keyed hashes; every method may run on any cluster node.
 * Writes that take effect at once are undone if the request's transaction rolls back, so a request that
 * fails (for example because the SMS could not be sent) leaves no cooldown, no used-up limit and no code.
 */
public interface OneTimeCodeProvider extends Provider {

    /**
     * Issues a new code for {@code purpose} and {@code subject}, replacing any pending one.
     *
     * @param address  where the code goes ({@link CodeSubject#phone}, {@link CodeSubject#email}), or {@code null} when
     *                 the subject is the address. The cooldown and hourly limit apply per address too, whatever the
     *                 subject (a registration's code is for a new account, which a failed request rolls back, but its
     *                 SMS goes to a number others can name again), and the resend back-off grows per address
     * @param clientIp the caller's address, or the network it belongs to, for the per-client limit; {@code null}
     *                 skips that limit
     * @throws RateLimitedException when a cooldown, the back-off, an hourly limit or the pending-code cap refuses it
     */
    IssuedCode issue(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodeSubject address, CodePolicy policy,
                     String clientIp) throws RateLimitedException;

    /** {@link #issue(RealmModel, CodePurpose, CodeSubject, CodeSubject, CodePolicy, String)} where the subject is the address. */
    default IssuedCode issue(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy, String clientIp)
            throws RateLimitedException {
        return issue(realm, purpose, subject, null, policy, clientIp);
    }

    /**
     * Claims the cooldowns, back-off and hourly limits of one message to {@code subject} at {@code address} without
     * issuing a code, for messages that carry a secret of their own (a password-reset token) but must obey the same
     * limits. Undone if the request's transaction rolls back.
     *
     * @throws RateLimitedException when a limit refuses it
     */
    void claimSendLimits(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodeSubject address,
                         CodePolicy policy, String clientIp) throws RateLimitedException;

    /** {@link #claimSendLimits(RealmModel, CodePurpose, CodeSubject, CodeSubject, CodePolicy, String)} where the subject is the address. */
    default void claimSendLimits(RealmModel realm, CodePurpose purpose, CodeSubject subject, CodePolicy policy,
                                 String clientIp) throws RateLimitedException {
        claimSendLimits(realm, purpose, subject, null, policy, clientIp);
    }

    /**
     * Checks a submitted code in constant time. {@code submitted} may be a string or a number; a number shorter
     * than the code is left-padded with zeros ({@code 12345} matches {@code "012345"}). A code verifies only under a
     * policy of the audience it was issued for, and has the attempts of the policy it was issued with. Once the
     * subject's daily failure budget is spent, no code of it is compared any more.
     */
    Verification verify(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object submitted, CodePolicy policy);

    /**
     * Keeps a code that was just verified as pending again, for another subject and {@code policy}'s lifetime, without
     * claiming any limit: for flows where one code authorises two steps (verify it, then use it to reset a password),
     * so that the second step is bound to the very code of the first, attempt-limited and single use like any code.
     */
    void remember(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object code, CodePolicy policy);

    /**
     * For purposes issued with {@link CodePolicy#uniqueAmongPending()}: the subject whose pending code this is.
     * Does not consume the code and does not count as an attempt; follow with {@link #verify}.
     */
    Optional<CodeSubject> findSubjectByCode(RealmModel realm, CodePurpose purpose, Object submitted, CodePolicy policy);

    /**
     * Counts one verification attempt against a per-IP hourly limit (for flows where the code alone identifies
     * the subject, so guessing is not bound to one subject).
     */
    void countVerificationAttempt(RealmModel realm, String scope, String clientIp, int hourlyLimit)
            throws RateLimitedException;

    /** True while a code for this purpose and subject is pending (issued, unused, not expired, not dead). */
    boolean isPending(RealmModel realm, CodePurpose purpose, CodeSubject subject);

    /** Removes any pending code for this purpose and subject. */
    void revoke(RealmModel realm, CodePurpose purpose, CodeSubject subject);

    /**
     * HMAC-SHA256 (base64url) of {@code parts} under the same realm key the engine hashes codes with, for callers
     * that keep code-derived state of their own (e.g. "this code was verified, it may now authorise one reset")
     * and must not keep the code in a form that can be reversed by trying all values.
     */
    String keyedHash(RealmModel realm, String... parts);

    @Override
    default void close() {
    }
}
