package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.auth.SimpleJwtAuthentication;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.OpenApi;
import io.github.dropin.keycloak.rest.http.Route;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.settings.Setting;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Locale;

/**
 * Dialect {@code email-signup}: seed 002 (SPEC §4.3), email-first accounts of a Django backend with Djoser user
 * endpoints and SimpleJWT tokens, all under {@code /realms/{realm}/email-signup/api/v1/auth/}.
 * <p>
 * Sign-up creates a Keycloak user named after the (lower-cased) email with {@code emailVerified=false} and no
 * password, and emails a 6-digit code; verifying it marks the email verified and allows the password to be set
 * once. Tokens are the realm's own access and refresh tokens for the dialect's client. Account recovery, the
 * user's PIN (a Keycloak credential of type {@code dropin-pin}) and Djoser's {@code users/} endpoints complete it.
 * The endpoints are grouped by concern in {@link SignupEndpoints}, {@link TokenEndpoints},
 * {@link RecoveryEndpoints}, {@link PinEndpoints} and {@link DjoserEndpoints}.
 */
public final class EmailSignupDialect extends Dialect {

    public static final String ID = "email-signup";
    static final String PREFIX = "api/v1/auth/";

    /** Email codes: 6 digits, valid 10 minutes (email is slower than SMS; ASVS allows up to 10). */
    static final CodePolicy DEFAULTS = new CodePolicy(6, 600, 5, 60, 5, 20, 20, false);

    static final Setting SET_PASSWORD_WINDOW = Setting.integer("setPasswordWindow", 600,
            "Seconds after email verification during which public-set-password may set the first password (by the "
                    + "caller who verified).");
    static final Setting SET_PASSWORD_LIMIT = Setting.integer("setPasswordHourlyLimitPerNetwork", 20,
            "public-set-password requests per client network (IPv4 /32, IPv6 /64) per hour (0: no limit).");
    static final Setting RECOVERY_WINDOW = Setting.integer("recoveryWindow", 600,
            "Seconds after verify-code (password_recovery) during which recovery-reset-password accepts that code.");
    static final Setting PIN_RESET_WINDOW = Setting.integer("pinResetWindow", 600,
            "Seconds after reset-pin-verify during which a new PIN may be set without the current one.");

    static final String INVALID_CODE = "Invalid or expired code.";
    static final String CODE_EXHAUSTED = "Too many failed attempts. Request a new code.";
    static final String OK = "ok";

    public EmailSignupDialect() {
        super(ID, Conventions.DRF.authenticator(SimpleJwtAuthentication.authenticator())
                .codeDefaults(DEFAULTS),
                List.of(
                Setting.integer(CodePolicy.LIFETIME, DEFAULTS.lifetimeSeconds(), "Seconds an emailed code stays valid."),
                SET_PASSWORD_WINDOW,
                SET_PASSWORD_LIMIT,
                RECOVERY_WINDOW,
                PIN_RESET_WINDOW,
                Call.ACCEPTED_CLIENTS_SETTING));
        SignupEndpoints signup = new SignupEndpoints(this);
        TokenEndpoints tokens = new TokenEndpoints();
        RecoveryEndpoints recovery = new RecoveryEndpoints();
        PinEndpoints pin = new PinEndpoints();
        DjoserEndpoints djoser = new DjoserEndpoints();
        Field email = Field.email("email");
        // Djoser's password fields are plain CharFields: they trim.
        Field currentPassword = Field.password("current_password").trimmed();
        Object user = Json.object("id", OpenApi.EXAMPLE_ID, "email", "alice@example.com");
        Object tokenPair = Json.object("refresh", OpenApi.EXAMPLE_JWT, "access", OpenApi.EXAMPLE_JWT);
        serve(List.of(
                // Djoser's UserViewSet sets permissions per action: registering is public, listing is not.
                Route.at(PREFIX + "users").authenticated().anonymous("POST")
                        .get(djoser::list).summary("The users the caller may see: itself").responds(200, List.of(user))
                        .post(signup::register, email, Field.bool("terms_accepted"))
                        .reportsEveryFieldError()
                        .summary("Signs up an email without a password and emails it a verification code")
                        .responds(201, user)
                        .build(),
                userDetail("users/me", "", djoser, currentPassword, user),
                Route.at(PREFIX + "users/set_password").authenticated()
                        .post(djoser::setPassword, currentPassword, Field.password("new_password").trimmed())
                        .reportsEveryFieldError()
                        .summary("Changes the caller's password").responds(204, null)
                        .build(),
                userDetail("users/{id}", ", by its id", djoser, currentPassword, user),
                Route.at(PREFIX + "verify-code")
                        .post(signup::verifyCode, email, Field.code("code"),
                                Field.choice("purpose", SignupEndpoints.EMAIL_VERIFICATION, SignupEndpoints.PASSWORD_RECOVERY))
                        .summary("Checks an emailed code: `email_verification` (answers the token that may set the "
                                + "first password) or `password_recovery`")
                        .responds(200, Json.object("detail", OK, SignupEndpoints.SET_PASSWORD_TOKEN, OpenApi.EXAMPLE_KEY))
                        .build(),
                Route.at(PREFIX + "public-set-password")
                        .post(signup::setFirstPassword, email, Field.password("password"), Field.password("repeat_password"),
                                Field.string(SignupEndpoints.SET_PASSWORD_TOKEN).max(128).optional())
                        .summary("Sets the first password of a verified email, once, by the caller who verified it "
                                + "(same network, or verify-code's set_password_token)")
                        .responds(200, Json.object("detail", "New password has been saved."))
                        .build(),
                Route.at(PREFIX + "token/obtain")
                        // SimpleJWT's TokenObtainSerializer: the login field and a PasswordField, CharFields that trim.
                        .post(tokens::obtain, Field.string("email").max(254), Field.password("password").trimmed())
                        .summary("Signs in with email and password; answers the realm's refresh and access tokens")
                        .responds(200, tokenPair)
                        .responds(401, Json.object("detail", TokenEndpoints.NO_ACTIVE_ACCOUNT))
                        .build(),
                Route.at(PREFIX + "token/verify").post(tokens::verify, Field.string("token").max(16_384))
                        .summary("Checks that an access or refresh token is valid and its session alive")
                        .responds(200, Json.object()).build(),
                Route.at(PREFIX + "token/refresh").post(tokens::refresh, Field.string("refresh").max(16_384))
                        .summary("Rotates a refresh token: new tokens, the old refresh token no longer works")
                        .responds(200, Json.object("access", OpenApi.EXAMPLE_JWT, "refresh", OpenApi.EXAMPLE_JWT))
                        .build(),
                Route.at(PREFIX + "recovery-request").post(recovery::request, email)
                        .summary("Emails a recovery code if an account has the address; the same answer either way")
                        .responds(200, Json.object("detail", "Password reset e-mail has been sent.")).build(),
                Route.at(PREFIX + "recovery-reset-password")
                        .post(recovery::reset, email, Field.code("code"), Field.password("password"), Field.password("password2"))
                        .summary("Sets a new password with a recovery code checked by verify-code")
                        .responds(200, Json.object("detail", "Password has been reset with the new password."))
                        .build(),
                Route.at(PREFIX + "reset-pin-request").authenticated().post(pin::resetRequest)
                        .summary("Emails the caller a code to reset its PIN")
                        .responds(200, Json.object("detail", "PIN reset code has been sent.")).build(),
                Route.at(PREFIX + "reset-pin-verify").authenticated().post(pin::resetVerify, Field.code("code"))
                        .summary("Checks the PIN reset code; the next PIN may then be set without the current one")
                        .responds(200, Json.object("detail", OK)).build(),
                Route.at(PREFIX + "pin").authenticated()
                        .post(pin::set, Field.string("pin").max(64), Field.string("current_pin").max(64).optional())
                        .summary("Sets or changes the caller's PIN").responds(204, null)
                        .build(),
                Route.at(PREFIX + "pin/check").authenticated().post(pin::check, Field.string("pin").max(64))
                        .summary("Checks the caller's PIN").responds(200, Json.object("valid", true)).build()));
    }

    /**
     * The answer to a code that did not verify (also for a right code of an address without an account). A locked
     * account is told its code is invalid, whatever the code, as an unknown address would be.
     */
    /**
     * Djoser's UserViewSet detail actions, which {@code users/me} and {@code users/{id}} both serve for the caller's
     * own account: retrieve, update (nothing is writable) and destroy.
     */
    private static Route userDetail(String path, String byWhat, DjoserEndpoints djoser, Field currentPassword,
                                    Object user) {
        return Route.at(PREFIX + path).authenticated()
                .get(djoser::retrieve).summary("The caller's account" + byWhat).responds(200, user)
                .put(djoser::update).summary("Djoser's update: nothing is writable").responds(200, user)
                .patch(djoser::update).summary("Djoser's update: nothing is writable").responds(200, user)
                .delete(djoser::destroy, currentPassword).reportsEveryFieldError()
                .summary("Deletes the caller's account" + byWhat).responds(204, null)
                .build();
    }

    static ApiError codeError(CheckResult result) {
        return ApiError.field("code", result.outcome() == CheckResult.Outcome.EXHAUSTED && !result.locked()
                ? CODE_EXHAUSTED : INVALID_CODE);
    }

    /** Emails are compared and stored lower-cased, as Keycloak stores them. */
    static String email(Call call) {
        return call.input().str("email").toLowerCase(Locale.ROOT);
    }

    static int setPasswordLimit(Call call) {
        return call.settings().getInt(SET_PASSWORD_LIMIT);
    }

    /** A window in seconds: the realm's if positive, else the setting's default. */
    static int seconds(Call call, Setting window) {
        int value = call.settings().getInt(window);
        return value > 0 ? value : (Integer) window.defaultValue();
    }

    /**
     * Djoser's user representation with {@code LOGIN_FIELD = "email"} and no extra required fields; the id as the
     * dialect shows ids ({@link UserIds}).
     */
    static Object userJson(Call call, UserModel user) {
        return Json.object("id", UserIds.of(call, user), "email", user.getEmail());
    }
}
