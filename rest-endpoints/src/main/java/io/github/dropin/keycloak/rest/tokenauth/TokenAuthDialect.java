package io.github.dropin.keycloak.rest.tokenauth;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.rest.auth.DrfTokenAuthentication;
import io.github.dropin.keycloak.rest.auth.SessionKeys;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.OpenApi;
import io.github.dropin.keycloak.rest.http.Principal;
import io.github.dropin.keycloak.rest.http.Route;
import io.github.dropin.keycloak.rest.http.Validator;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.CodeAnswers;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.service.CodeService;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.users.PhoneUsers;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Dialect {@code token-auth}: seed 000, username/password accounts with a phone number and/or an email address,
 * verified with 5-digit codes, and DRF {@code Token} authentication (SPEC §4.1).
 * <p>
 * Accounts are Keycloak users; an account may log in once one of its channels is verified
 * ({@code phoneNumberVerified} or Keycloak's {@code emailVerified}), so there is no state of the dialect's own.
 * Registration sends one code to each channel given; a code verifies only the channel it was sent to, so that
 * entering the SMS code never marks an email address verified that nobody has read. Because {@code verify-user}
 * takes a code and nothing else, codes are unique among pending ones and attempts are limited per client IP.
 * <p>
 * Login starts a Keycloak user session for the dialect's client and returns an opaque {@link SessionKeys} key,
 * valid while that session lives.
 */
public final class TokenAuthDialect extends Dialect {

    public static final String ID = "token-auth";

    /** User-session note holding the hash of the session's key. */
    static final String KEY_NOTE = "dropin.key." + ID;

    /** Seed 000: 5-digit codes; 10 minutes to read an email; codes unique among pending ones. */
    static final CodePolicy DEFAULTS = new CodePolicy(5, 600, 5, 60, 5, 20, 20, true);

    /** Setting: {@code verify-user} requests per client IP per hour. */
    static final String VERIFY_LIMIT_PER_IP = "codeVerifyHourlyLimitPerIp";
    static final int DEFAULT_VERIFY_LIMIT_PER_IP = 30;

    static final String REGISTERED = "Successfully Registered. A verification code is sent to your given Phone "
            + "Number/Email. Please verify your Phone Number/Email.";
    static final String VERIFIED = "Successfully Verified. You can now log in.";
    static final String CODE_SENT = "A new verification code is sent to your given Phone Number/Email. Please verify "
            + "your Phone Number/Email.";
    static final String LOGGED_OUT = "Successfully Logged Out.";
    static final String INVALID_CREDENTIALS = "Unable to log in with provided credentials.";
    static final String NOT_VERIFIED = "Account is not verified. Please verify your Phone Number/Email.";
    static final String ALREADY_VERIFIED = "Account is already verified.";
    static final String PHONE_OR_EMAIL = "Please provide a Phone Number or an Email.";
    static final String INVALID_PHONE = "Enter a valid phone number.";
    static final String PHONE_TAKEN = "A user with that phone number already exists.";
    static final String INVALID_CODE = "Invalid or expired verification code.";
    static final String WRONG_PASSWORD = "Your old password was entered incorrectly. Please enter it again.";

    private static final String NON_FIELD = "non_field_errors";
    /** Order of keys in {@code error_message}: the request's fields, then object-level errors. */
    private static final List<String> REGISTER_FIELDS = List.of("username", "password", "phone_number", "email", NON_FIELD);

    /**
     * The subject of a registration code: the account and the channel, so that each channel has a code of its own,
     * a code verifies only the channel it was sent to, and {@link CodeService#findSubject} tells both.
     */
    static CodeSubject subject(UserModel user, Channel channel) {
        return CodeSubject.user(user.getId() + "/" + channel.name());
    }

    /** The channel of a registration code's subject. */
    static Optional<Channel> channel(CodeSubject subject) {
        int slash = subject.value().lastIndexOf('/');
        if (!"user".equals(subject.type()) || slash < 0) {
            return Optional.empty();
        }
        String name = subject.value().substring(slash + 1);
        return Arrays.stream(Channel.values()).filter(c -> c.name().equals(name)).findFirst();
    }

    static String userId(CodeSubject subject) {
        return subject.value().substring(0, subject.value().lastIndexOf('/'));
    }

    public TokenAuthDialect() {
        super(ID, Conventions.DRF.errors(new TokenAuthErrors())
                .authenticator(DrfTokenAuthentication.authenticator(KEY_NOTE)).codeDefaults(DEFAULTS),
                List.of(
                Setting.integer(CodePolicy.LENGTH, DEFAULTS.length(), "Digits per verification code (seed: 5)."),
                Setting.integer(CodePolicy.LIFETIME, DEFAULTS.lifetimeSeconds(), "Seconds a verification code stays valid."),
                Setting.integer(VERIFY_LIMIT_PER_IP, DEFAULT_VERIFY_LIMIT_PER_IP, "verify-user requests per client IP per "
                        + "hour (0: no limit). Codes alone identify accounts, so this is what stops guessing.")));
        serve(List.of(
                Route.at("api/register").post(this::register,
                        Field.string("username").max(Accounts.USERNAME_MAX_LENGTH),
                        Field.password("password"),
                        Field.string("phone_number").max(64).optional().blankAllowed().nullAllowed(),
                        Field.email("email").optional().blankAllowed().nullAllowed())
                        .summary("Creates an account and sends a verification code to its phone number and/or email")
                        .responds(200, Json.object("success_message", REGISTERED)).build(),
                Route.at("api/verify-user").post(this::verifyUser, Field.code("code"))
                        .summary("Verifies the phone number or the email the code was sent to")
                        .responds(200, Json.object("success_message", VERIFIED)).build(),
                Route.at("api/resend-code").post(this::resendCode, Field.string("username"), Field.password("password"))
                        .summary("Sends new codes to the unverified phone number and email of an account")
                        .responds(200, Json.object("success_message", CODE_SENT)).build(),
                Route.at("api/login").post(this::login, Field.string("username"), Field.password("password"))
                        .summary("Signs a verified account in; answers the key for `Authorization: Token <key>`")
                        .responds(200, Json.object("token", OpenApi.EXAMPLE_KEY)).build(),
                Route.at("api/logout").authenticated()
                        .get(this::logout).summary("Ends the session of the key")
                        .responds(200, Json.object("success_message", LOGGED_OUT))
                        .post(this::logout).summary("Ends the session of the key")
                        .responds(200, Json.object("success_message", LOGGED_OUT)).build(),
                Route.at("api/change-password").authenticated().post(this::changePassword,
                        Field.password("old_password"), Field.password("new_password"))
                        .summary("Changes the password, ends every session of the account, answers a new key")
                        .responds(200, Json.object("token", OpenApi.EXAMPLE_KEY)).build(),
                Route.at("api/profile").authenticated().get(this::profile)
                        .summary("The caller's account")
                        .responds(200, Json.object("id", OpenApi.EXAMPLE_ID, "username", "alice",
                                "email", "alice@example.com", "phone_number", "+4915112345678",
                                "is_email_verified", true, "is_phone_verified", true)).build()));
    }

    private Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, ID);
        String username = call.input().str("username");
        String password = call.input().str("password");
        String rawPhone = call.input().strOrNull("phone_number");
        String email = call.input().strOrNull("email");
        event.detail(Details.USERNAME, username);
        if (email != null) {
            event.detail(Details.EMAIL, email);
        }
        call.client();

        Map<String, List<String>> problems = new LinkedHashMap<>();
        if (!Accounts.isValidUsername(username)) {
            problems.put("username", List.of(Accounts.INVALID_USERNAME));
        }
        String phone = null;
        if (rawPhone != null) {
            try {
                phone = call.session().getProvider(PhoneNumberProvider.class).toE164(call.realm(), rawPhone);
            } catch (InvalidPhoneNumberException e) {
                problems.put("phone_number", List.of(INVALID_PHONE));
            }
        }
        if (rawPhone == null && email == null) {
            problems.put(NON_FIELD, List.of(PHONE_OR_EMAIL));
        }
        // Locks in one fixed order (username, email, phone), so two registrations never wait on each other in a circle.
        if (!problems.containsKey("username")) {
            Accounts.lock(call, Accounts.USERNAME, username);
            if (Accounts.usernameTaken(call, username)) {
                problems.put("username", List.of(Accounts.USERNAME_TAKEN));
            }
        }
        if (email != null) {
            Accounts.lock(call, Accounts.EMAIL, email);
            if (Accounts.emailTaken(call, email, null)) {
                problems.put("email", List.of(Accounts.EMAIL_TAKEN));
            }
        }
        if (phone != null) {
            Accounts.lock(call, Accounts.PHONE, phone);
            if (Accounts.phoneTaken(call, phone, null)) {
                problems.put("phone_number", List.of(PHONE_TAKEN));
            }
        }

        // The user exists from here on inside this transaction only: any error below rolls it back.
        UserModel user = problems.containsKey("username") ? null : call.session().users().addUser(call.realm(), username);
        if (user != null && !problems.isEmpty()) {
            // Report the password's problems together with the others, as a Django form would.
            List<String> weak = Passwords.violations(call, user, password);
            if (!weak.isEmpty()) {
                problems.put("password", weak);
            }
        }
        if (!problems.isEmpty()) {
            event.error(problems.containsKey("username") && problems.get("username").contains(Accounts.USERNAME_TAKEN)
                    ? Errors.USERNAME_IN_USE : Errors.INVALID_REGISTRATION);
            throw ApiError.fields(ordered(problems));
        }
        user.setEnabled(true);
        try {
            Passwords.set(call, user, password, "password");
        } catch (ApiError weak) {
            event.error(Errors.PASSWORD_REJECTED);
            throw weak;
        }
        if (email != null) {
            user.setEmail(email);
            user.setEmailVerified(false);
        }
        if (phone != null) {
            PhoneUsers.setPhone(user, phone, false);
        }
        event.user(user);
        sendCodes(call, event, user, phone != null, email != null);
        event.success();
        return Json.ok(Json.object("success_message", REGISTERED));
    }

    private Response verifyUser(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.UPDATE_PROFILE);
        CodeService codes = call.codes();
        // Counted before anything is looked up, and never given back: every guess costs.
        OptionalLong wait = codes.claimGuess(call.realm(), ID, call.clientIp(),
                call.settings().getInt(VERIFY_LIMIT_PER_IP, DEFAULT_VERIFY_LIMIT_PER_IP), event);
        if (wait.isPresent()) {
            throw ApiError.throttled(wait.getAsLong());
        }
        Object code = call.input().code("code");
        Optional<CodeSubject> subject = codes.findSubject(call.realm(), CodePurpose.REGISTRATION, code, call.codePolicy());
        Optional<Channel> channel = subject.flatMap(TokenAuthDialect::channel);
        UserModel user = channel.isEmpty() ? null : call.session().users().getUserById(call.realm(), userId(subject.get()));
        if (user == null) {
            event.error(Errors.INVALID_CODE);
            throw ApiError.field("code", INVALID_CODE);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!codes.verifyAndAccount(call.codeCheck(CodePurpose.REGISTRATION, subject.get(), code, user, event)).isValid()) {
            throw ApiError.field("code", INVALID_CODE);
        }
        if (channel.get() == Channel.SMS) {
            PhoneUsers.markPhoneVerified(user);
            event.detail("updated_" + Dropin.ATTR_PHONE_NUMBER_VERIFIED, "true").success();
        } else {
            user.setEmailVerified(true);
            event.event(EventType.VERIFY_EMAIL).detail(Details.EMAIL, user.getEmail()).success();
        }
        return Json.ok(Json.object("success_message", VERIFIED));
    }

    /** Beyond the seed: new codes for an account whose codes expired unused, for its owner only. */
    private Response resendCode(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.SEND_VERIFY_EMAIL);
        UserModel user = authenticate(call, event);
        boolean phone = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER) != null && !PhoneUsers.isPhoneVerified(user);
        boolean email = user.getEmail() != null && !user.isEmailVerified();
        if (!phone && !email) {
            event.error(Errors.EMAIL_ALREADY_VERIFIED);
            throw ApiError.field(NON_FIELD, ALREADY_VERIFIED);
        }
        sendCodes(call, event, user, phone, email);
        event.success();
        return Json.ok(Json.object("success_message", CODE_SENT));
    }

    private Response login(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, ID);
        UserModel user = authenticate(call, event);
        if (!isVerified(user)) {
            event.error(EventErrors.ACCOUNT_NOT_VERIFIED);
            throw ApiError.field(NON_FIELD, NOT_VERIFIED);
        }
        return Json.ok(Json.object("token", startSession(call, user, event)));
    }

    private Response logout(Call call) {
        Principal caller = call.principal();
        EventBuilder event = call.event(EventType.LOGOUT);
        SessionIssuer.logout(call.session(), call.realm(), caller.userSession());
        event.success();
        return Json.ok(Json.object("success_message", LOGGED_OUT));
    }

    private Response changePassword(Call call) throws ApiError {
        UserModel user = call.principal().user();
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD);
        if (!Passwords.check(call, user, call.input().str("old_password"))) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("old_password", WRONG_PASSWORD);
        }
        try {
            Passwords.set(call, user, call.input().str("new_password"), "new_password");
        } catch (ApiError weak) {
            event.error(Errors.PASSWORD_REJECTED);
            throw weak;
        }
        event.success();
        // Whoever else held a key of this account (or any Keycloak session) is out; the caller gets a fresh key.
        SessionIssuer.logoutAll(call.session(), call.realm(), user);
        EventBuilder login = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, ID)
                .detail(Details.USERNAME, user.getUsername());
        return Json.ok(Json.object("token", startSession(call, user, login)));
    }

    private Response profile(Call call) {
        UserModel user = call.principal().user();
        String phone = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
        return Json.ok(Json.object(
                "id", UserIds.of(call, user),
                "username", user.getUsername(),
                "email", user.getEmail() == null ? "" : user.getEmail(),
                "phone_number", phone == null ? "" : phone,
                "is_email_verified", user.getEmail() != null && user.isEmailVerified(),
                "is_phone_verified", phone != null && PhoneUsers.isPhoneVerified(user)));
    }

    /** The user whose username and password these are; every failure gets the same answer. */
    private static UserModel authenticate(Call call, EventBuilder event) throws ApiError {
        call.client();
        return Passwords.authenticate(call, call.input().str("username"), call.input().str("password"), event)
                .orElseThrow(() -> ApiError.field(NON_FIELD, INVALID_CREDENTIALS));
    }

    /** A new Keycloak session for the dialect's client, and the key that stands for it. */
    private static String startSession(Call call, UserModel user, EventBuilder event) throws ApiError {
        ClientModel client = call.client();
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, user, event);
        String key = SessionKeys.issue(context.getClientSession().getUserSession(), KEY_NOTE);
        event.success();
        return key;
    }

    /**
     * One code per channel, every limit of both claimed before either is sent. A refused limit or a failed delivery
     * fails the request, which rolls the account back; a message that went out keeps its limits used.
     */
    private void sendCodes(Call call, EventBuilder event, UserModel user, boolean phone, boolean email) throws ApiError {
        List<Delivery> deliveries = new ArrayList<>();
        if (phone) {
            deliveries.add(Delivery.sms(subject(user, Channel.SMS), user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER), user));
        }
        if (email) {
            deliveries.add(Delivery.email(subject(user, Channel.EMAIL), user.getEmail(), user));
        }
        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.REGISTRATION, event, deliveries));
        CodeAnswers.requireIssued(sent, channel -> channel == Channel.SMS
                ? ApiError.field("phone_number", INVALID_PHONE) : ApiError.field("email", Validator.INVALID_EMAIL));
    }

    /** May log in: at least one channel verified (phone by this dialect or any other path, email likewise). */
    static boolean isVerified(UserModel user) {
        return user.getEmail() != null && user.isEmailVerified()
                || user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER) != null && PhoneUsers.isPhoneVerified(user);
    }

    private static Map<String, List<String>> ordered(Map<String, List<String>> problems) {
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String field : REGISTER_FIELDS) {
            if (problems.containsKey(field)) {
                ordered.put(field, problems.get(field));
            }
        }
        return ordered;
    }
}
