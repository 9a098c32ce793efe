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
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.CodeCheck;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.requiredactions.TermsAndConditions;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-up of seed 002: {@code users/} (POST), {@code verify-code/} and {@code public-set-password/}.
 */
final class SignupEndpoints {

    static final String TERMS_REQUIRED = "You must accept the terms and conditions.";
    /** What DRF's UniqueValidator says for a custom user model's {@code email = EmailField(_("email address"), unique=True)}. */
    static final String EMAIL_TAKEN = "user with this email address already exists.";
    /** Django's SetPasswordForm (note the typographic apostrophe, as Django writes it). */
    static final String PASSWORD_MISMATCH = "The two password fields didn\u2019t match.";
    static final String SET_PASSWORD_NOT_ALLOWED =
            "The email address is not verified or the account already has a password. Use account recovery instead.";
    static final String EMAIL_VERIFICATION = "email_verification";
    static final String PASSWORD_RECOVERY = "password_recovery";

    private final EmailSignupDialect dialect;

    SignupEndpoints(EmailSignupDialect dialect) {
        this.dialect = dialect;
    }

    /** {@code POST users/}: a new account without password, and an {@code email_verification} code by email. */
    Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, dialect.id());
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email).detail(Details.USERNAME, email);

        Map<String, List<String>> errors = new LinkedHashMap<>();
        Accounts.lock(call, Accounts.USERNAME, email);
        Accounts.lock(call, Accounts.EMAIL, email);
        if (Accounts.userByEmail(call, email) != null || Accounts.usernameTaken(call, email)) {
            errors.put("email", List.of(EMAIL_TAKEN));
        }
        if (!call.input().bool("terms_accepted")) {
            errors.put("terms_accepted", List.of(TERMS_REQUIRED));
        }
        if (!errors.isEmpty()) {
            event.error(errors.containsKey("email") ? Errors.EMAIL_IN_USE : Errors.INVALID_REGISTRATION);
            throw ApiError.fields(errors);
        }

        event.client(call.client());
        UserModel user = call.session().users().addUser(call.realm(), email);
        user.setEnabled(true);
        user.setEmail(email);
        user.setEmailVerified(false);
        // Recorded the way Keycloak's own "Terms and Conditions" required action records acceptance.
        user.setAttribute(TermsAndConditions.USER_ATTRIBUTE, List.of(Integer.toString(Time.currentTime())));
        event.user(user);

        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.EMAIL_VERIFICATION, event,
                Delivery.email(CodeSubject.email(email), email, user)));
        CodeAnswers.requireIssued(sent, channel -> ApiError.field("email", Validator.INVALID_EMAIL));
        event.success();
        return Json.response(201, EmailSignupDialect.userJson(call, user));
    }

    /**
     * {@code POST verify-code/}: an {@code email_verification} code marks the email verified and lets the account
     * set its first password once; a {@code password_recovery} code is consumed here and authorises one
     * {@code recovery-reset-password/} with the same code within the recovery window.
     */
    Response verifyCode(Call call) throws ApiError {
        String purposeName = call.input().str("purpose");
        boolean recovery = PASSWORD_RECOVERY.equals(purposeName);
        if (!recovery && !EMAIL_VERIFICATION.equals(purposeName)) {
            throw ApiError.field("purpose", "\"" + purposeName + "\" is not a valid choice.");
        }
        CodePurpose purpose = recovery ? CodePurpose.PASSWORD_RESET : CodePurpose.EMAIL_VERIFICATION;
        EventBuilder event = call.event(recovery ? EventType.RESET_PASSWORD : EventType.VERIFY_EMAIL);
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email);
        UserModel user = Accounts.userByEmail(call, email);
        if (user != null) {
            event.user(user).detail(Details.USERNAME, user.getUsername());
        }
        if (recovery && user != null && !user.isEnabled()) {
            event.error(Errors.USER_DISABLED);
            throw ApiError.field("code", EmailSignupDialect.INVALID_CODE);
        }

        CodeCheck check = call.codeCheck(purpose, CodeSubject.email(email), call.input().code("code"), user, event);
        CheckResult result = call.codes().verifyAndAccount(user == null ? check.unusable() : check);
        if (!result.isValid()) {
            // An address without an account only ever had a silent code: whatever came in, it is "invalid".
            throw user == null ? ApiError.field("code", EmailSignupDialect.INVALID_CODE) : EmailSignupDialect.codeError(result);
        }

        // Either purpose proves that the person controls the address.
        user.setEmailVerified(true);
        if (recovery) {
            // The same code now authorises one password reset within the recovery window (RecoveryEndpoints#reset).
            call.codes().carryOver(check, RecoveryEndpoints.resetSubject(user), EmailSignupDialect.seconds(call,
                    EmailSignupDialect.RECOVERY_WINDOW, EmailSignupDialect.DEFAULT_RECOVERY_WINDOW));
        } else if (!user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            Grants.give(call, Grants.SET_PASSWORD, user.getId(), setPasswordWindow(call), Map.of("by", "email_verification"));
        }
        event.success();
        return Json.ok(Json.object("detail", EmailSignupDialect.OK));
    }

    /** {@code POST public-set-password/}: the first password, once, after the email was verified. */
    Response setFirstPassword(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD);
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email);
        String password = call.input().str("password");
        if (!password.equals(call.input().str("repeat_password"))) {
            event.error(Errors.PASSWORD_CONFIRM_ERROR);
            throw ApiError.field("repeat_password", PASSWORD_MISMATCH);
        }
        UserModel user = Accounts.userByEmail(call, email);
        if (user == null || !user.isEnabled() || !user.isEmailVerified()
                || user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            if (user != null) {
                event.user(user);
            }
            event.error(Errors.NOT_ALLOWED);
            throw ApiError.nonField(SET_PASSWORD_NOT_ALLOWED);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        List<String> problems = Passwords.violations(call, user, password);
        if (!problems.isEmpty()) {
            event.error(Errors.PASSWORD_REJECTED);
            throw ApiError.fields(Map.of("password", problems));
        }
        // Only one of several concurrent requests can take the grant: "only once" holds across nodes.
        if (!Grants.consume(call, Grants.SET_PASSWORD, user.getId(), setPasswordWindow(call))) {
            event.error(Errors.NOT_ALLOWED);
            throw ApiError.nonField(SET_PASSWORD_NOT_ALLOWED);
        }
        Passwords.set(call, user, password, "password");
        event.success();
        return Json.ok(Json.object("detail", "New password has been saved."));
    }

    private static int setPasswordWindow(Call call) {
        return EmailSignupDialect.seconds(call, EmailSignupDialect.SET_PASSWORD_WINDOW,
                EmailSignupDialect.DEFAULT_SET_PASSWORD_WINDOW);
    }
}
