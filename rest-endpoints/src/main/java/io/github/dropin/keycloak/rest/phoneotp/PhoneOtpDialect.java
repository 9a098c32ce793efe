package io.github.dropin.keycloak.rest.phoneotp;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.Codes;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.BodyReader;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.OpenApi;
import io.github.dropin.keycloak.rest.http.Route;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.CodeAnswers;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.service.BruteForce;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.users.LegacyIds;
import io.github.dropin.keycloak.users.PhoneUsers;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessTokenResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dialect {@code phone-otp}: seed 001, passwordless phone accounts (SPEC §4.2).
 * <p>
 * Registration creates a Keycloak user named after the E.164 number with {@code phoneNumberVerified=false} and
 * texts a code; {@code verify} proves possession. Login texts a code to the user's number; {@code login/verify}
 * exchanges it for a real Keycloak session and the realm's access and refresh tokens for the dialect's client.
 */
public final class PhoneOtpDialect extends Dialect {

    public static final String ID = "phone-otp";

    /** Seed 001: codes valid 5 minutes; one pending login per user per 5-minute window. */
    static final CodePolicy DEFAULTS = new CodePolicy(6, 300, 5, 300, 5, 20, 20, false);

    static final String ACCOUNT_EXISTS = "Account already Exists";
    static final String USER_DOES_NOT_EXIST = "User does not exist";
    static final String LOGIN_PENDING = "User already have a request for login";
    static final String LOGIN_FIRST = "login first";
    static final String INVALID_PHONE = "Invalid phone number";
    static final String INVALID_CODE = "Invalid code";
    static final String INVALID_TOKEN = "Invalid token";
    static final String TOO_MANY_ATTEMPTS = "Too many failed attempts, request a new code";
    static final String ACCOUNT_DISABLED = "Account disabled";
    private static final String REGISTRATION_TOKEN_PREFIX = Dropin.STORE_PREFIX + "reg:";

    public PhoneOtpDialect() {
        super(ID, Conventions.DRF.errors(new PhoneOtpErrors()).accepts(BodyReader.Accepts.JSON_ONLY)
                .codeDefaults(DEFAULTS),
                List.of(Setting.integer(CodePolicy.RESEND_COOLDOWN, DEFAULTS.resendCooldown(),
                "Seconds a pending login code blocks a new one (seed: 5 minutes).")));
        serve(List.of(
                Route.at("auth/api/Register").post(this::register, Field.string("phonenumber").max(64))
                        .summary("Creates a passwordless account for a phone number and texts it a code")
                        .responds(200, Json.object("message", "User Created Successfully", "phone", "+4915112345678",
                                "token", OpenApi.EXAMPLE_ID))
                        .responds(409, Json.object("error", ACCOUNT_EXISTS)).build(),
                Route.at("auth/api/verify").post(this::verify,
                        Field.code("code"), Field.string("token").max(64), Field.string("phone").max(64))
                        .summary("Verifies a new account's number with the texted code and the token from Register")
                        .responds(200, Json.object("message", "User verify Successfully!"))
                        .responds(400, Json.object("error", INVALID_CODE)).build(),
                Route.at("auth/api/login").post(this::login, Field.string("phone").max(64))
                        .summary("Texts a sign-in code to a registered number")
                        .responds(200, Json.object("expire_time", "300", "message", "Code Send to user",
                                "user_id", OpenApi.EXAMPLE_ID))
                        .responds(404, Json.object("error", USER_DOES_NOT_EXIST))
                        .responds(429, Json.object("message", LOGIN_PENDING)).build(),
                Route.at("auth/api/login/verify").post(this::loginVerify,
                        Field.code("code"), Field.string("user_id").max(64))
                        .summary("Exchanges the texted code for the realm's access and refresh tokens")
                        .responds(200, Json.object("access_token", OpenApi.EXAMPLE_JWT, "refresh_token", OpenApi.EXAMPLE_JWT))
                        .responds(400, Json.object("error", LOGIN_FIRST)).build()));
    }

    private Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER);
        String phone = phone(call, call.input().str("phonenumber"), event);
        event.detail(Details.USERNAME, phone);
        // The account is named after its number, so both the username and the number are claimed; each lock is
        // tried once, and a number another registration is creating right now is answered as existing.
        boolean claimed = Accounts.claim(call, Accounts.USERNAME, phone) && Accounts.claim(call, Accounts.PHONE, phone);
        if (!claimed || PhoneUsers.findByPhone(call.session(), call.realm(), phone).isPresent()
                || Accounts.usernameTaken(call, phone)) {
            event.error(Errors.USERNAME_IN_USE);
            throw ApiError.body(409, Json.object("error", ACCOUNT_EXISTS));
        }
        ClientModel client = call.client();
        UserModel user = call.session().users().addUser(call.realm(), phone);
        user.setEnabled(true);
        PhoneUsers.setPhone(user, phone, false);
        // What lets the account sign in by SMS before its number is verified (see mayLogIn).
        user.setSingleAttribute(Dropin.ATTR_REGISTERED_BY, ID);
        event.user(user);

        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.REGISTRATION, event,
                Delivery.sms(CodeSubject.phone(phone), phone, user)));
        CodeAnswers.requireIssued(sent, channel -> invalidPhone());

        String token = UUID.randomUUID().toString();
        call.session().singleUseObjects().put(registrationKey(call, token), sent.lifetimeSeconds(),
                Map.of("user", user.getId(), "phone", phone));
        event.client(client).detail(Details.REGISTER_METHOD, ID).success();
        return Json.ok(Json.object("message", "User Created Successfully", "phone", phone, "token", token));
    }

    private Response verify(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.UPDATE_PROFILE);
        String phone = phone(call, call.input().str("phone"), event);
        Map<String, String> registration = call.session().singleUseObjects()
                .get(registrationKey(call, call.input().str("token")));
        UserModel user = registration == null ? null
                : call.session().users().getUserById(call.realm(), registration.get("user"));
        if (user == null || !phone.equals(registration.get("phone"))
                || !phone.equals(user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER))) {
            event.error(Errors.INVALID_TOKEN);
            throw ApiError.body(400, Json.object("error", INVALID_TOKEN));
        }
        event.user(user);
        CheckResult result = call.codes().verifyAndAccount(call.codeCheck(CodePurpose.REGISTRATION,
                CodeSubject.phone(phone), call.input().code("code"), user, event));
        if (!result.isValid()) {
            throw codeError(result);
        }
        PhoneUsers.markPhoneVerified(user);
        call.session().singleUseObjects().remove(registrationKey(call, call.input().str("token")));
        event.detail("updated_" + Dropin.ATTR_PHONE_NUMBER_VERIFIED, "true").success();
        return Json.ok(Json.object("message", "User verify Successfully!"));
    }

    private Response login(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN);
        String phone = phone(call, call.input().str("phone"), event);
        UserModel user = PhoneUsers.findByPhone(call.session(), call.realm(), phone).filter(u -> mayLogIn(call, u))
                .orElse(null);
        if (user == null) {
            event.detail(Details.USERNAME, phone).error(Errors.USER_NOT_FOUND);
            throw ApiError.body(404, Json.object("error", USER_DOES_NOT_EXIST));
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        refuseIfDisabled(call, user, event);
        call.client();
        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.LOGIN, event,
                Delivery.sms(CodeSubject.user(user.getId()), phone, user)));
        if (sent.status() == IssueResult.Status.THROTTLED && sent.limit() == RateLimitedException.Limit.RESEND_COOLDOWN) {
            throw ApiError.response(Response.fromResponse(Json.response(429, Json.object("message", LOGIN_PENDING)))
                    .header("Retry-After", Long.toString(sent.retryAfterSeconds())).build());
        }
        CodeAnswers.requireIssued(sent, channel -> invalidPhone());
        return Json.ok(Json.object(
                "expire_time", Integer.toString(sent.lifetimeSeconds()),
                "message", "Code Send to user",
                "user_id", userId(call, user)));
    }

    private Response loginVerify(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN);
        UserModel user = findUser(call, call.input().str("user_id"));
        CodeSubject subject = user == null ? null : CodeSubject.user(user.getId());
        if (user == null || !call.codes().engine().isPending(call.realm(), CodePurpose.LOGIN, subject)) {
            event.error(Errors.INVALID_CODE);
            throw ApiError.body(400, Json.object("error", LOGIN_FIRST));
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!mayLogIn(call, user)) {
            // The account changed since the code went out (another credential, a new number): as if never sent.
            event.error(Errors.INVALID_CODE);
            throw ApiError.body(400, Json.object("error", LOGIN_FIRST));
        }
        refuseIfDisabled(call, user, event);
        ClientModel client = call.client();
        CheckResult result = call.codes().verifyAndAccount(call.codeCheck(CodePurpose.LOGIN, subject,
                call.input().code("code"), user, event));
        if (result.outcome() == CheckResult.Outcome.EXPIRED) {
            throw ApiError.body(400, Json.object("error", LOGIN_FIRST));
        }
        if (!result.isValid()) {
            throw codeError(result);
        }
        // Receiving the code proves possession of the number.
        PhoneUsers.markPhoneVerified(user);
        event.client(client).detail(Details.AUTH_METHOD, ID);
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, user, event);
        AccessTokenResponse tokens = SessionIssuer.tokens(call.session(), call.realm(), client, context, event);
        event.success();
        return Json.ok(Json.object("access_token", tokens.getToken(), "refresh_token", tokens.getRefreshToken()));
    }

    /**
     * Whether phone-otp may sign {@code user} in by a code to its number (SPEC §4.2): always once the number is
     * verified; before that only for a passwordless account phone-otp itself created and nobody else has a credential
     * on. Otherwise anyone could plant an account on someone else's number (registering elsewhere with it, unverified,
     * and a password of their own) and wait for its owner to sign into it by SMS, verifying it on the way. Such an
     * account answers as an unknown number.
     */
    static boolean mayLogIn(Call call, UserModel user) {
        if (PhoneUsers.isPhoneVerified(user)) {
            return true;
        }
        // Accounts from before the marker existed are recognised by phone-otp's naming: the number is the username,
        // which no other path gives an account that does not hold that number (see PhoneUsers#mayUseUsername).
        boolean ours = ID.equals(user.getFirstAttribute(Dropin.ATTR_REGISTERED_BY))
                || user.getUsername().equals(user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER));
        return ours && user.getFederationLink() == null
                && user.credentialManager().getStoredCredentialsStream().findAny().isEmpty()
                && call.session().users().getFederatedIdentitiesStream(call.realm(), user).findAny().isEmpty();
    }

    /**
     * The {@code user_id} of the login answer: the legacy public id (flask's {@code public_id}, imported as
     * {@code legacyPublicId}) where the dialect's {@code legacyIds} setting is on, for users without one (and with the
     * setting off) Keycloak's id, which is the same kind of value (a UUID).
     */
    private static String userId(Call call, UserModel user) {
        return UserIds.legacy(call) ? LegacyIds.publicId(user) : user.getId();
    }

    private static UserModel findUser(Call call, String userId) {
        return (UserIds.legacy(call) ? LegacyIds.findByPublicId(call.session(), call.realm(), userId)
                : Optional.ofNullable(call.session().users().getUserById(call.realm(), userId))).orElse(null);
    }

    private static ApiError codeError(CheckResult result) {
        return ApiError.body(400, Json.object("error",
                result.outcome() == CheckResult.Outcome.INVALID ? INVALID_CODE : TOO_MANY_ATTEMPTS));
    }

    private void refuseIfDisabled(Call call, UserModel user, EventBuilder event) throws ApiError {
        if (!user.isEnabled()) {
            event.error(Errors.USER_DISABLED);
            throw ApiError.body(403, Json.object("error", ACCOUNT_DISABLED));
        }
        if (BruteForce.isLocked(call.session(), call.realm(), user)) {
            event.error(Errors.USER_TEMPORARILY_DISABLED);
            throw ApiError.body(403, Json.object("error", ACCOUNT_DISABLED));
        }
    }

    private static String phone(Call call, String input, EventBuilder event) throws ApiError {
        try {
            return call.session().getProvider(PhoneNumberProvider.class).toE164(call.realm(), input);
        } catch (InvalidPhoneNumberException e) {
            event.detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            throw invalidPhone();
        }
    }

    private static ApiError invalidPhone() {
        return ApiError.body(400, Json.object("error", INVALID_PHONE));
    }

    private static String registrationKey(Call call, String token) {
        return REGISTRATION_TOKEN_PREFIX + call.realm().getId() + ":" + Codes.digest(token);
    }
}
