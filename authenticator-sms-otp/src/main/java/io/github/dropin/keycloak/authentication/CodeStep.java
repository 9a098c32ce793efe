package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.IssuedCode;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.code.Verification;
import io.github.dropin.keycloak.delivery.CodeMessenger;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.store.Compensations;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * One "we texted you a code" step of a login flow or a required action.
 * <p>
 * The code goes out once per step: the authentication session remembers when and to which number a code of this
 * purpose was sent (never the code, which only the engine keeps, hashed), so reloading the page does not send
 * another SMS, also when Keycloak re-runs the flow from its start on a reload and reaches the code page through
 * another execution of the same purpose. A new code is sent only on an explicit {@link #resend}, under the engine's
 * cooldown and hourly limits. Codes are bound to the purpose and the phone number, so a code texted for one step
 * never completes another.
 * <p>
 * A "silent" send ({@code deliver = false}) issues a code exactly as a real send does, with the same limits, and
 * texts nobody. Flows use it for numbers that must not learn anything (unknown, disabled, locked), so that every
 * number sees the same pages, the same cooldowns and the same "wrong code" answers.
 */
public final class CodeStep {

    private static final String NOTE_PREFIX = "dropin.code.";

    /** What a send attempt did. */
    public enum Status {
        /** A code was issued (and texted, unless silent). */
        SENT,
        /** A code for this number was already sent in this step; nothing was sent. */
        ALREADY_SENT,
        /** A limit refused it ({@link SendResult#retryAfterSeconds()}); nothing was sent or stored. */
        RATE_LIMITED,
        /** The SMS could not be sent ({@link SendResult#failure()}); the limits it used were given back. */
        FAILED
    }

    /**
     * @param status            what happened
     * @param limit             for {@link Status#RATE_LIMITED}: which limit
     * @param retryAfterSeconds for {@link Status#RATE_LIMITED}: when to try again
     * @param failure           for {@link Status#FAILED}: why
     */
    public record SendResult(Status status, RateLimitedException.Limit limit, long retryAfterSeconds,
                             DeliveryException failure) {

        static SendResult of(Status status) {
            return new SendResult(status, null, 0, null);
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationSessionModel authSession;
    private final CodePurpose purpose;
    private final CodePolicy policy;

    public CodeStep(KeycloakSession session, AuthenticationSessionModel authSession, CodePurpose purpose,
                    CodePolicy policy) {
        this.session = session;
        this.realm = authSession.getRealm();
        this.authSession = authSession;
        this.purpose = purpose;
        this.policy = policy;
    }

    public CodePolicy policy() {
        return policy;
    }

    /** Whether this step already sent a code to {@code phone}. */
    public boolean sentTo(String phone) {
        return phone.equals(authSession.getAuthNote(note("phone"))) && authSession.getAuthNote(note("sentAt")) != null;
    }

    /** Sends a code unless this step already sent one to {@code phone}. */
    public SendResult sendOnce(String phone, UserModel user, boolean deliver, String clientIp) {
        if (sentTo(phone)) {
            return SendResult.of(Status.ALREADY_SENT);
        }
        return send(phone, user, deliver, clientIp);
    }

    /** Sends a new code (replacing the pending one) if the limits allow it. */
    public SendResult resend(String phone, UserModel user, boolean deliver, String clientIp) {
        return send(phone, user, deliver, clientIp);
    }

    private SendResult send(String phone, UserModel user, boolean deliver, String clientIp) {
        SendResult result = issue(session, realm, purpose, policy, phone, user, deliver, clientIp);
        if (result.status() == Status.SENT) {
            authSession.setAuthNote(note("phone"), phone);
            authSession.setAuthNote(note("sentAt"), Long.toString(Time.currentTimeSeconds()));
        }
        return result;
    }

    /**
     * Issues a code for {@code phone} and texts it (unless {@code deliver} is false), outside any step: for callers
     * without an authentication session, such as the direct-grant code request endpoint.
     *
     * @param user the recipient if known (for the message's language), may be {@code null}
     */
    public static SendResult issue(KeycloakSession session, RealmModel realm, CodePurpose purpose, CodePolicy policy,
                                   String phone, UserModel user, boolean deliver, String clientIp) {
        IssuedCode code;
        try {
            code = session.getProvider(OneTimeCodeProvider.class)
                    .issue(realm, purpose, CodeSubject.phone(phone), policy, clientIp);
        } catch (RateLimitedException e) {
            return new SendResult(Status.RATE_LIMITED, e.limit(), e.retryAfterSeconds(), null);
        }
        if (deliver) {
            try {
                new CodeMessenger(session).sendSms(realm, user, phone, purpose, code.code(), code.lifetimeSeconds());
            } catch (DeliveryException e) {
                // Login flows keep their authentication session, so they cannot roll the request back: give the
                // cooldown and the limit slots back now, so that the person can ask again at once.
                Compensations.of(session).undoNow();
                return new SendResult(Status.FAILED, null, 0, e);
            }
        }
        return SendResult.of(Status.SENT);
    }

    /** Checks a submitted code for {@code phone}; the engine counts the attempt. */
    public Verification verify(String phone, String submitted) {
        return session.getProvider(OneTimeCodeProvider.class)
                .verify(realm, purpose, CodeSubject.phone(phone), submitted, policy);
    }

    /** Seconds until a resend is allowed by the cooldown (0: now). An estimate for the page; the engine decides. */
    public long resendIn() {
        String sentAt = authSession.getAuthNote(note("sentAt"));
        if (sentAt == null) {
            return 0;
        }
        try {
            long elapsed = Time.currentTimeSeconds() - Long.parseLong(sentAt);
            return Math.max(0, policy.resendCooldown() - elapsed);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Forgets this step's notes (after success, or when the person switches to another number). */
    public void forget() {
        authSession.removeAuthNote(note("phone"));
        authSession.removeAuthNote(note("sentAt"));
    }

    private String note(String name) {
        return NOTE_PREFIX + purpose.id() + "." + name;
    }
}
