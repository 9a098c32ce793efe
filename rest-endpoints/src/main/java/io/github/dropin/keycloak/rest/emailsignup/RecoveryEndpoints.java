package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.Codes;
import io.github.dropin.keycloak.code.IssuedCode;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.BruteForce;
import io.github.dropin.keycloak.rest.support.Delivery;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.store.SlotLimiter;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Map;

/**
 * Account recovery of seed 002: {@code recovery-request/} and {@code recovery-reset-password/}; the middle step is
 * {@code verify-code/} with purpose {@code password_recovery} ({@link SignupEndpoints#verifyCode}).
 * <p>
 * How the code travels through the three steps: {@code recovery-request} issues a {@code password_reset} code for
 * the email; {@code verify-code} consumes it (single use, attempt-limited by the code engine) and leaves a recovery
 * grant holding an HMAC of that code (under the realm key, like the engine's own hashes) for
 * {@value EmailSignupDialect#DEFAULT_RECOVERY_WINDOW} seconds by default; {@code recovery-reset-password} accepts
 * the same code only against that grant, at most as many wrong tries as a code allows, and consumes the grant.
 * So a code resets a password at most once, only after it was verified, and only within the window.
 */
final class RecoveryEndpoints {

    private static final String TRY_PREFIX = Dropin.STORE_PREFIX + "es-recovery-try:";

    /**
     * {@code POST recovery-request/}: always the same 200. A known, enabled account gets a code by email; for any
     * other address the same work is done (limits claimed, a code issued and stored) except sending, and the email
     * leaves after the response in both cases, so neither the body, the status nor the timing tells them apart.
     */
    Response request(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.SEND_RESET_PASSWORD);
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email);
        call.client();
        UserModel user = Accounts.userByEmail(call, email);
        IssuedCode code = EmailSignupDialect.issue(call, CodePurpose.PASSWORD_RESET, CodeSubject.email(email), event);
        if (user == null || !user.isEnabled()) {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.USER_DISABLED);
        } else {
            event.user(user).detail(Details.USERNAME, user.getUsername()).success();
            Delivery.emailAfterCommit(call, EventType.SEND_RESET_PASSWORD, user, (messenger, realm, recipient) ->
                    messenger.sendEmail(realm, recipient, recipient.getEmail(), CodePurpose.PASSWORD_RESET,
                            code.code(), code.lifetimeSeconds()));
        }
        return Json.ok(Json.object("detail", "Password reset e-mail has been sent."));
    }

    /** {@code POST recovery-reset-password/}: a new password for a code verified by {@code verify-code/}. */
    Response reset(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD).detail("recovery", "true");
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email);
        String password = call.input().str("password");
        if (!password.equals(call.input().str("password2"))) {
            event.error(Errors.PASSWORD_CONFIRM_ERROR);
            throw ApiError.field("password2", SignupEndpoints.PASSWORD_MISMATCH);
        }
        UserModel user = Accounts.userByEmail(call, email);
        if (user == null || !user.isEnabled() || BruteForce.isLocked(call.session(), call.realm(), user)) {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.USER_DISABLED);
            throw invalidCode();
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());

        Map<String, String> grant = Grants.peek(call, Grants.RECOVERY, user.getId());
        if (grant == null || grant.get("id") == null || grant.get("h") == null) {
            event.error(Errors.INVALID_CODE);
            throw invalidCode();
        }
        String id = grant.get("id");
        CodePolicy policy = EmailSignupDialect.policy(call);
        // Claim the try before comparing, so parallel guesses cannot exceed the limit.
        SlotLimiter tries = new SlotLimiter(call.session().singleUseObjects());
        int attempt = tries.claimNext(TRY_PREFIX + id, policy.maxAttempts(),
                EmailSignupDialect.seconds(call, EmailSignupDialect.RECOVERY_WINDOW, EmailSignupDialect.DEFAULT_RECOVERY_WINDOW));
        String normalised = Codes.normalise(call.input().code("code"), policy.length());
        boolean match = attempt > 0 && normalised != null
                && Codes.constantTimeEquals(codeHash(call, user, id, normalised), grant.get("h"));
        if (!match) {
            BruteForce.failure(call, user, BruteForce.CODE);
            event.error(Errors.INVALID_CODE);
            if (attempt < 0 || attempt >= policy.maxAttempts()) {
                Grants.revoke(call, Grants.RECOVERY, user.getId());
                throw ApiError.field("code", EmailSignupDialect.CODE_EXHAUSTED);
            }
            throw invalidCode();
        }
        // The code is right: that try does not count, and policy complaints leave the grant for another try.
        tries.release(TRY_PREFIX + id + "#" + attempt);
        List<String> problems = Passwords.violations(call, user, password);
        if (!problems.isEmpty()) {
            event.error(Errors.PASSWORD_REJECTED);
            throw ApiError.fields(Map.of("password", problems));
        }
        if (!Grants.consume(call, Grants.RECOVERY, user.getId(), id)) {
            event.error(Errors.INVALID_CODE);
            throw invalidCode();
        }
        Passwords.set(call, user, password, "password");
        Grants.revoke(call, Grants.SET_PASSWORD, user.getId());
        SessionIssuer.logoutAll(call.session(), call.realm(), user);
        event.success();
        return Json.ok(Json.object("detail", "Password has been reset with the new password."));
    }

    /** The keyed hash a recovery grant keeps of its code: bound to realm, user and grant id. */
    static String codeHash(Call call, UserModel user, String grantId, String normalisedCode) {
        return EmailSignupDialect.codes(call).keyedHash(call.realm(), "es-recovery", call.realm().getId(), user.getId(),
                grantId, normalisedCode);
    }

    private static ApiError invalidCode() {
        return ApiError.field("code", EmailSignupDialect.INVALID_CODE);
    }
}
