package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import jakarta.ws.rs.core.Response;
import org.keycloak.forms.login.LoginFormsProvider;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.CodeCheck;
import io.github.dropin.keycloak.service.CodeRequest;
import io.github.dropin.keycloak.service.CodeService;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;

/**
 * One "we texted you a code" step of a login flow or a required action, on the core's {@link CodeService}.
 * <p>
 * The code goes out once per step: the authentication session remembers when and to which number a code of this
 * purpose was sent (never the code, which only the engine keeps, hashed), so reloading the page does not send
 * another SMS, also when Keycloak re-runs the flow from its start on a reload and reaches the code page through
 * another execution of the same purpose. A new code is sent only on an explicit {@link #resend}, under the engine's
 * cooldown and hourly limits. Codes are bound to the purpose and the phone number, so a code texted for one step
 * never completes another.
 * <p>
 * A silent send ({@code deliver = false}) issues a code exactly as a real send does, under the same limits, and
 * texts nobody (see {@link Delivery}).
 */
public final class CodeStep {

    private static final String NOTE_PREFIX = "dropin.code.";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationSessionModel authSession;
    private final CodePurpose purpose;
    private final CodePolicy policy;
    private final boolean afterResponse;

    public CodeStep(KeycloakSession session, AuthenticationSessionModel authSession, CodePurpose purpose,
                    CodePolicy policy) {
        this(session, authSession, purpose, policy, false);
    }

    /**
     * @param afterResponse send the SMS after the response (for steps whose page must look the same for a real and a
     *                      silent code: the provider's delay would tell them apart); a send that then fails is an
     *                      event and a WARN, not a message on the page
     */
    public CodeStep(KeycloakSession session, AuthenticationSessionModel authSession, CodePurpose purpose,
                    CodePolicy policy, boolean afterResponse) {
        this.session = session;
        this.realm = authSession.getRealm();
        this.authSession = authSession;
        this.purpose = purpose;
        this.policy = policy;
        this.afterResponse = afterResponse;
    }

    /**
     * The code page of this step: the code's length and lifetime from the step's policy, and a new code offered once
     * both the step's cooldown and {@code retryAfter} (a limit's wait, 0 for none) have passed.
     */
    public Response page(LoginFormsProvider form, Pages.Texts texts, String phone, long retryAfter, boolean changeNumber) {
        return Pages.code(form, texts, phone, policy, Math.max(resendIn(), retryAfter), changeNumber);
    }

    /** Whether this step already sent a code to {@code phone}. */
    public boolean sentTo(String phone) {
        return phone.equals(authSession.getAuthNote(note("phone"))) && authSession.getAuthNote(note("sentAt")) != null;
    }

    /** Sends a code unless this step already sent one to {@code phone} (then empty: nothing was sent). */
    public Optional<IssueResult> sendOnce(String phone, UserModel user, boolean deliver, String clientIp,
                                          EventBuilder event) {
        return sentTo(phone) ? Optional.empty() : Optional.of(resend(phone, user, deliver, clientIp, event));
    }

    /** Sends a new code (replacing the pending one) if the limits allow it. */
    public IssueResult resend(String phone, UserModel user, boolean deliver, String clientIp, EventBuilder event) {
        IssueResult result = issue(session, realm, purpose, policy, phone, user, deliver, clientIp, event, afterResponse);
        if (result.isIssued()) {
            authSession.setAuthNote(note("phone"), phone);
            authSession.setAuthNote(note("sentAt"), Long.toString(nowSeconds()));
        }
        return result;
    }

    /**
     * Issues a code for {@code phone} and texts it (unless {@code deliver} is false), outside any step: for callers
     * without an authentication session, such as the direct-grant code request endpoint.
     *
     * @param user          the recipient if known (for the message's language), may be {@code null}
     * @param afterResponse send after the response, so that its timing does not tell a real code from a silent one
     */
    public static IssueResult issue(KeycloakSession session, RealmModel realm, CodePurpose purpose, CodePolicy policy,
                                    String phone, UserModel user, boolean deliver, String clientIp, EventBuilder event,
                                    boolean afterResponse) {
        CodeRequest request = CodeRequest.of(realm, purpose, policy, clientIp, event,
                Delivery.sms(CodeSubject.phone(phone), phone, user).onlyIf(deliver));
        return CodeService.of(session).issueAndDeliver(afterResponse ? request.sendAfterCommit() : request);
    }

    /**
     * Checks a submitted code for {@code phone} and accounts for it (lock, attempts, brute force, event).
     *
     * @param mayUse whether a right code may complete the step (false for a number that may not sign in)
     */
    public CheckResult verify(String phone, UserModel user, String submitted, boolean mayUse, EventBuilder event) {
        CodeCheck check = CodeCheck.of(realm, purpose, CodeSubject.phone(phone), submitted.strip(), policy, user, event);
        return CodeService.of(session).verifyAndAccount(mayUse ? check : check.unusable());
    }

    /** Seconds until a resend is allowed by the cooldown (0: now). An estimate for the page; the engine decides. */
    public long resendIn() {
        String sentAt = authSession.getAuthNote(note("sentAt"));
        if (sentAt == null) {
            return 0;
        }
        try {
            long elapsed = nowSeconds() - Long.parseLong(sentAt);
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

    /** Keycloak's clock in seconds ({@code Time.currentTimeSeconds()} is newer than Keycloak 26.4). */
    private static long nowSeconds() {
        return Time.currentTimeMillis() / 1000;
    }

    private String note(String name) {
        return NOTE_PREFIX + purpose.id() + "." + name;
    }
}
