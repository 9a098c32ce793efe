package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Validator;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.CodeAnswers;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Account recovery of seed 002: {@code recovery-request/} and {@code recovery-reset-password/}; the middle step is
 * {@code verify-code/} with purpose {@code password_recovery} ({@link SignupEndpoints#verifyCode}).
 * <p>
 * How the code travels through the three steps: {@code recovery-request} issues a {@code password_reset} code for
 * the email; {@code verify-code} consumes it (single use, attempt-limited by the code engine) and leaves a recovery
 * grant holding an HMAC of that code (under the realm key, like the engine's own hashes) for
 * {@link EmailSignupDialect#RECOVERY_WINDOW} (600 seconds by default); {@code recovery-reset-password} accepts
 * the same code only against that grant, at most as many wrong tries as a code allows, and consumes the grant.
 * So a code resets a password at most once, only after it was verified, and only within the window.
 */
final class RecoveryEndpoints {

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
        boolean known = user != null && user.isEnabled();
        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.PASSWORD_RESET, event,
                Delivery.email(CodeSubject.email(email), email, user).onlyIf(known)).sendAfterCommit());
        CodeAnswers.requireIssued(sent, channel -> ApiError.field("email", Validator.INVALID_EMAIL));
        if (known) {
            event.user(user).detail(Details.USERNAME, user.getUsername()).success();
        } else {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.USER_DISABLED);
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
        if (user == null || !user.isEnabled()) {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.USER_DISABLED);
            throw ApiError.field("code", EmailSignupDialect.INVALID_CODE);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        // Policy first: a weak password must not use up the verified code.
        List<String> problems = Passwords.violations(call, user, password);
        if (!problems.isEmpty()) {
            event.error(Errors.PASSWORD_REJECTED);
            throw ApiError.fields(Map.of("password", problems));
        }
        CheckResult result = call.codes().verifyAndAccount(call.codeCheck(CodePurpose.PASSWORD_RESET,
                resetSubject(user), call.input().code("code"), user, event));
        if (!result.isValid()) {
            throw EmailSignupDialect.codeError(result);
        }
        Passwords.set(call, user, password, "password");
        Grants.revoke(call, Grants.SET_PASSWORD, user.getId());
        SessionIssuer.logoutAll(call.session(), call.realm(), user);
        event.success();
        return Json.ok(Json.object("detail", "Password has been reset with the new password."));
    }

    /**
     * Where a verified recovery code waits for {@code recovery-reset-password/}: bound to the account and to the
     * address the code was sent to, so that an email change (by an administrator, another dialect, the account
     * console) ends a recovery under way.
     */
    static CodeSubject resetSubject(UserModel user) {
        String email = user.getEmail() == null ? "" : user.getEmail().toLowerCase(Locale.ROOT);
        return new CodeSubject("recovery", user.getId() + "/" + email);
    }
}
