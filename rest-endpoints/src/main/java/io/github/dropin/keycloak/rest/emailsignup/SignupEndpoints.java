package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.Codes;
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
import io.github.dropin.keycloak.service.Networks;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.requiredactions.TermsAndConditions;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

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
    /** verify-code's answer field and public-set-password's optional field binding the two calls (beyond the seed). */
    static final String SET_PASSWORD_TOKEN = "set_password_token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmailSignupDialect dialect;

    SignupEndpoints(EmailSignupDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * {@code POST users/}: a new account without password, and an {@code email_verification} code by email. Djoser's
     * user-create serializer: the email's uniqueness and the accepted terms, every field's failures at once.
     */
    Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, dialect.id());
        Map<String, List<String>> errors = call.input().errors();
        String email = call.input().valid("email") ? EmailSignupDialect.email(call) : null;
        if (email != null) {
            event.detail(Details.EMAIL, email).detail(Details.USERNAME, email);
            // Tried once: an address another registration is creating right now is as good as taken.
            boolean claimed = Accounts.claim(call, Accounts.USERNAME, email) && Accounts.claim(call, Accounts.EMAIL, email);
            if (!claimed || Accounts.userByEmail(call, email) != null || Accounts.usernameTaken(call, email)) {
                errors.put("email", List.of(EMAIL_TAKEN));
            }
        }
        if (call.input().valid("terms_accepted") && !call.input().bool("terms_accepted")) {
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
        // A choice field: the validator has refused anything but the two purposes.
        boolean recovery = PASSWORD_RECOVERY.equals(call.input().str("purpose"));
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
        String setPasswordToken = null;
        if (recovery) {
            // The same code now authorises one password reset within the recovery window (RecoveryEndpoints#reset).
            call.codes().carryOver(check, RecoveryEndpoints.resetSubject(user), EmailSignupDialect.seconds(call,
                    EmailSignupDialect.RECOVERY_WINDOW));
        } else if (!user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            setPasswordToken = grantFirstPassword(call, user);
        }
        event.success();
        return Json.ok(setPasswordToken == null ? Json.object("detail", EmailSignupDialect.OK)
                : Json.object("detail", EmailSignupDialect.OK, SET_PASSWORD_TOKEN, setPasswordToken));
    }

    /**
     * Lets the caller who verified the address set the first password, once, within the window: the grant is bound
     * to the dialect's client and to that caller, known by its network (what the seed's request shape can prove) or
     * by the token returned here (for an app that changes networks between the two calls). Anyone else who knows the
     * address (the race this closes) is refused without using the grant up.
     */
    private static String grantFirstPassword(Call call, UserModel user) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        int window = setPasswordWindow(call);
        Grants.give(call, Grants.SET_PASSWORD, user.getId(), window, Map.of("by", "email_verification"));
        Grants.give(call, Grants.SET_PASSWORD_CALLER, user.getId(), window, Map.of(
                "client", clientId(call), "net", network(call), "token", Codes.digest(token)));
        return token;
    }

    /** Whether this request comes from the caller a first-password grant is bound to. */
    private static boolean isGrantedCaller(Call call, UserModel user) {
        Map<String, String> caller = Grants.peek(call, Grants.SET_PASSWORD_CALLER, user.getId());
        if (caller == null || !clientId(call).equals(caller.get("client"))) {
            return false;
        }
        String token = call.input().strOrNull(SET_PASSWORD_TOKEN);
        if (token != null) {
            return MessageDigest.isEqual(Codes.digest(token).getBytes(StandardCharsets.US_ASCII),
                    caller.getOrDefault("token", "").getBytes(StandardCharsets.US_ASCII));
        }
        return network(call).equals(caller.get("net"));
    }

    private static String clientId(Call call) {
        return call.settings().get(Call.CLIENT_ID, call.dialect().id());
    }

    /** The caller's network (IPv4 /32, IPv6 /64 unless the realm says otherwise), keyed-hashed: no address is stored. */
    private static String network(Call call) {
        return call.codes().engine().keyedHash(call.realm(), "set-password-net",
                Networks.of(call.settings(), call.clientIp()));
    }

    /**
     * {@code POST public-set-password/}: the first password, once, after the email was verified, by the caller who
     * verified it ({@link #grantFirstPassword}), within the window; every request counts towards a limit per client
     * network.
     */
    Response setFirstPassword(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD);
        String email = EmailSignupDialect.email(call);
        event.detail(Details.EMAIL, email);
        OptionalLong wait = call.codes().claimGuess(call.realm(), dialect.id() + "/set-password",
                Networks.of(call.settings(), call.clientIp()), EmailSignupDialect.setPasswordLimit(call), event);
        if (wait.isPresent()) {
            throw ApiError.throttled(wait.getAsLong());
        }
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
        // Someone else who knows the address is refused without using the grant up; of several concurrent requests
        // of the right caller only one can take it: "only once" holds across nodes.
        if (!isGrantedCaller(call, user) || !Grants.consume(call, Grants.SET_PASSWORD, user.getId(), setPasswordWindow(call))) {
            event.error(Errors.NOT_ALLOWED);
            throw ApiError.nonField(SET_PASSWORD_NOT_ALLOWED);
        }
        Passwords.set(call, user, password, "password");
        event.success();
        return Json.ok(Json.object("detail", "New password has been saved."));
    }

    private static int setPasswordWindow(Call call) {
        return EmailSignupDialect.seconds(call, EmailSignupDialect.SET_PASSWORD_WINDOW);
    }
}
