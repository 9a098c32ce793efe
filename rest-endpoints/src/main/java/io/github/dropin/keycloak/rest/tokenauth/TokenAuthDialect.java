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
import io.github.dropin.keycloak.rest.http.Input;
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
 * takes a code and nothing else, codes are unique among pending ones (at most {@code codeMaxPending} of them), guesses
 * are limited per client network, and failed guesses spend a realm-wide budget; beyond the seed, an app may name the
 * account ({@code username}, {@code email} or {@code phone_number}), and then a guess is compared with that account's
 * codes only and is bound by their attempts instead of the realm's budget.
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

    static final Setting VERIFY_LIMIT_PER_IP = Setting.integer("codeVerifyHourlyLimitPerIp", 30,
            "verify-user requests per client network per hour (0: no limit).");
    static final Setting VERIFY_FAILURE_BUDGET = Setting.integer("codeVerifyFailureBudget", 100,
            "Failed verify-user requests that send only a code, realm-wide per window; once spent, such requests get "
                    + "429 until the next window (0: no budget). Codes alone identify accounts, so this is what stops "
                    + "guessing from many addresses.");
    static final Setting VERIFY_FAILURE_WINDOW = Setting.integer("codeVerifyFailureWindow", 3600,
            "Window of " + VERIFY_FAILURE_BUDGET.key() + " in seconds.");

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
                VERIFY_LIMIT_PER_IP,
                VERIFY_FAILURE_BUDGET,
                VERIFY_FAILURE_WINDOW,
                Setting.integer(CodePolicy.MAX_PENDING, DEFAULTS.maxPending(), "Codes issued per code lifetime, "
                        + "realm-wide; beyond it registration and resend-code get 429 (0: no cap). Bounds what one "
                        + "guess can hit.")));
        serve(List.of(
                // The seed's ModelSerializer: every field's failures at once; the password is the model's
                // 128-character column, taken as sent.
                Route.at("api/register").post(this::register,
                        Field.string("username").max(Accounts.USERNAME_MAX_LENGTH),
                        Field.password("password").max(128),
                        Field.string("phone_number").max(64).optional().blankAllowed().nullAllowed(),
                        Field.email("email").optional().blankAllowed().nullAllowed())
                        .reportsEveryFieldError()
                        .summary("Creates an account and sends a verification code to its phone number and/or email")
                        .responds(200, Json.object("success_message", REGISTERED)).build(),
                Route.at("api/verify-user").post(this::verifyUser, Field.code("code"),
                                Field.string("username").max(Accounts.USERNAME_MAX_LENGTH).optional().blankAllowed().nullAllowed(),
                                Field.email("email").optional().blankAllowed().nullAllowed(),
                                Field.string("phone_number").max(64).optional().blankAllowed().nullAllowed())
                        .summary("Verifies the phone number or the email the code was sent to; naming the account "
                                + "(username, email or phone_number, beyond the seed) compares the code with that "
                                + "account's codes only")
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
                        .reportsEveryFieldError()
                        .summary("Changes the password, ends every session of the account, answers a new key")
                        .responds(200, Json.object("token", OpenApi.EXAMPLE_KEY)).build(),
                Route.at("api/profile").authenticated().get(this::profile)
                        .summary("The caller's account")
                        .responds(200, Json.object("id", OpenApi.EXAMPLE_ID, "username", "alice",
                                "email", "alice@example.com", "phone_number", "+4915112345678",
                                "is_email_verified", true, "is_phone_verified", true)).build()));
    }

    /**
     * The seed's register serializer: each field's own checks (the username's rule and uniqueness, the password under
     * the realm's policy, the phone number's format and uniqueness, the email's uniqueness), every failure at once;
     * then, only when every field passed, the object-level rule that a phone number or an email is given.
     */
    private Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, ID);
        Input input = call.input();
        String username = input.str("username");
        String password = input.str("password");
        String rawPhone = input.strOrNull("phone_number");
        String email = input.strOrNull("email");
        if (username != null) {
            event.detail(Details.USERNAME, username);
        }
        if (email != null) {
            event.detail(Details.EMAIL, email);
        }
        call.client();

        Map<String, List<String>> problems = input.errors();
        if (input.valid("username") && !Accounts.isValidUsername(username)) {
            problems.put("username", List.of(Accounts.INVALID_USERNAME));
        }
        String phone = null;
        if (rawPhone != null && !problems.containsKey("phone_number")) {
            try {
                phone = call.session().getProvider(PhoneNumberProvider.class).toE164(call.realm(), rawPhone);
            } catch (InvalidPhoneNumberException e) {
                problems.put("phone_number", List.of(INVALID_PHONE));
            }
        }
        if (input.valid("username") && !problems.containsKey("username") && !Accounts.mayUseUsername(call, username, phone)) {
            problems.put("username", List.of(Accounts.USERNAME_IS_PHONE));
        }
        // Each lock is tried once: a value another registration holds right now is answered as taken.
        if (input.valid("username") && !problems.containsKey("username")
                && (!Accounts.claim(call, Accounts.USERNAME, username) || Accounts.usernameTaken(call, username))) {
            problems.put("username", List.of(Accounts.USERNAME_TAKEN));
        }
        if (email != null && !problems.containsKey("email")
                && (!Accounts.claim(call, Accounts.EMAIL, email) || Accounts.emailTaken(call, email, null))) {
            problems.put("email", List.of(Accounts.EMAIL_TAKEN));
        }
        if (phone != null && (!Accounts.claim(call, Accounts.PHONE, phone) || Accounts.phoneTaken(call, phone, null))) {
            problems.put("phone_number", List.of(PHONE_TAKEN));
        }
        if (input.valid("password")) {
            List<String> weak = Passwords.violations(call, Passwords.candidate(call,
                    problems.containsKey("username") ? null : username, email), password);
            if (!weak.isEmpty()) {
                problems.put("password", weak);
            }
        }
        if (problems.isEmpty() && rawPhone == null && email == null) {
            problems.put(NON_FIELD, List.of(PHONE_OR_EMAIL));
        }
        if (!problems.isEmpty()) {
            event.error(problems.containsKey("username") && problems.get("username").contains(Accounts.USERNAME_TAKEN)
                    ? Errors.USERNAME_IN_USE : Errors.INVALID_REGISTRATION);
            throw ApiError.fields(ordered(problems));
        }

        // The user exists from here on inside this transaction only: any error below rolls it back.
        UserModel user = call.session().users().addUser(call.realm(), username);
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
                call.settings().getInt(VERIFY_LIMIT_PER_IP), event);
        if (wait.isPresent()) {
            throw ApiError.throttled(wait.getAsLong());
        }
        Object code = call.input().code("code");
        if (namesAnAccount(call)) {
            return verifyNamed(call, event, code);
        }
        // A code alone may be anybody's: a wrong one spends the realm's budget of failed guesses (taken before the
        // lookup, so that parallel guesses cannot overshoot it; a right code gives its place back).
        CodeService.GuessPlace place = codes.claimFailedGuess(call.realm(), ID + "/verify-failures",
                "failed verify-user guesses", call.settings().getInt(VERIFY_FAILURE_BUDGET),
                call.settings().getInt(VERIFY_FAILURE_WINDOW), call.clientIp(), event);
        if (place.isRefused()) {
            throw ApiError.throttled(place.refusedFor().getAsLong());
        }
        Optional<CodeSubject> subject = codes.findSubject(call.realm(), CodePurpose.REGISTRATION, code, call.codePolicy());
        Optional<Channel> channel = subject.flatMap(TokenAuthDialect::channel);
        UserModel user = channel.isEmpty() ? null : call.session().users().getUserById(call.realm(), userId(subject.get()));
        if (user == null) {
            event.error(Errors.INVALID_CODE);
            throw ApiError.field("code", INVALID_CODE);
        }
        verified(call, event, code, user, subject.get());
        place.giveBack().run();
        return Json.ok(Json.object("success_message", VERIFIED));
    }

    /** Whether the request names the account whose code it is (any of the optional identifying fields). */
    private static boolean namesAnAccount(Call call) {
        return IDENTIFIERS.stream().anyMatch(name -> !isBlank(call.input().strOrNull(name)));
    }

    private static final List<String> IDENTIFIERS = List.of("username", "email", "phone_number");

    /**
     * Beyond the seed: {@code verify-user} with the account named. The code is compared with that account's codes
     * only, so a guess can hit one account's code, bound by its attempts (and the subject's daily failure budget),
     * and the realm's budget of failed guesses (spent by strangers' code-only guesses) does not hold it up. A
     * username allows either channel's code; a phone number the SMS code; an email the email code. Names that do not
     * resolve, or resolve to different accounts, get the answer of a wrong code.
     */
    private Response verifyNamed(Call call, EventBuilder event, Object code) throws ApiError {
        String username = blankToNull(call.input().strOrNull("username"));
        String email = blankToNull(call.input().strOrNull("email"));
        String rawPhone = blankToNull(call.input().strOrNull("phone_number"));
        List<Channel> channels = new ArrayList<>();
        UserModel user = null;
        boolean resolved = true;
        if (username != null) {
            user = call.session().users().getUserByUsername(call.realm(), username);
            resolved = user != null;
            channels.addAll(List.of(Channel.SMS, Channel.EMAIL));
        }
        if (resolved && email != null) {
            UserModel byEmail = Accounts.userByEmail(call, email);
            resolved = byEmail != null && (user == null || user.getId().equals(byEmail.getId()));
            user = byEmail;
            channels.add(Channel.EMAIL);
        }
        if (resolved && rawPhone != null) {
            UserModel byPhone = phoneUser(call, rawPhone);
            resolved = byPhone != null && (user == null || user.getId().equals(byPhone.getId()));
            user = byPhone;
            channels.add(Channel.SMS);
        }
        CodeService codes = call.codes();
        CodeSubject subject = null;
        if (resolved && user != null) {
            Optional<CodeSubject> owner = codes.findSubject(call.realm(), CodePurpose.REGISTRATION, code, call.codePolicy());
            String userId = user.getId();
            if (owner.isPresent() && owner.flatMap(TokenAuthDialect::channel).filter(channels::contains).isPresent()
                    && userId(owner.get()).equals(userId)) {
                subject = owner.get();
            } else {
                // Not one of this account's codes: it costs an attempt of the account's own pending code.
                for (Channel channel : List.of(Channel.SMS, Channel.EMAIL)) {
                    CodeSubject candidate = subject(user, channel);
                    if (channels.contains(channel) && codes.engine().isPending(call.realm(), CodePurpose.REGISTRATION, candidate)) {
                        subject = candidate;
                        break;
                    }
                }
            }
        }
        if (subject == null) {
            event.error(Errors.INVALID_CODE);
            throw ApiError.field("code", INVALID_CODE);
        }
        verified(call, event, code, user, subject);
        return Json.ok(Json.object("success_message", VERIFIED));
    }

    private static UserModel phoneUser(Call call, String rawPhone) {
        try {
            String phone = call.session().getProvider(PhoneNumberProvider.class).toE164(call.realm(), rawPhone);
            return PhoneUsers.findByPhone(call.session(), call.realm(), phone).orElse(null);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    /** Checks {@code code} for {@code subject} and, when right, marks the channel verified; else the dialect's 400. */
    private static void verified(Call call, EventBuilder event, Object code, UserModel user, CodeSubject subject)
            throws ApiError {
        event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!call.codes().verifyAndAccount(call.codeCheck(CodePurpose.REGISTRATION, subject, code, user, event)).isValid()) {
            throw ApiError.field("code", INVALID_CODE);
        }
        if (channel(subject).orElseThrow() == Channel.SMS) {
            PhoneUsers.markPhoneVerified(user);
            event.detail("updated_" + Dropin.ATTR_PHONE_NUMBER_VERIFIED, "true").success();
        } else {
            user.setEmailVerified(true);
            event.event(EventType.VERIFY_EMAIL).detail(Details.EMAIL, user.getEmail()).success();
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.strip();
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

    /** The seed's serializer: the old password checked and the new one judged by the policy, both failures at once. */
    private Response changePassword(Call call) throws ApiError {
        UserModel user = call.principal().user();
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD);
        Map<String, List<String>> problems = call.input().errors();
        if (call.input().valid("old_password") && !Passwords.check(call, user, call.input().str("old_password"))) {
            problems.put("old_password", List.of(WRONG_PASSWORD));
        }
        if (call.input().valid("new_password")) {
            List<String> weak = Passwords.violations(call, user, call.input().str("new_password"));
            if (!weak.isEmpty()) {
                problems.put("new_password", weak);
            }
        }
        Passwords.change(call, user, problems, "old_password", event);
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
