package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.OpenApi;
import io.github.dropin.keycloak.rest.http.Route;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.settings.Setting;
import org.keycloak.models.UserModel;

import java.util.List;

/**
 * Dialect {@code users-api}: seed 003 (SPEC §4.4), a Django REST framework users viewset with DRF token
 * authentication and django-rest-passwordreset, under {@code /realms/{realm}/users-api}.
 * <p>
 * {@code /api-token-auth/} starts a Keycloak user session and answers with an opaque key bound to it
 * ({@link io.github.dropin.keycloak.rest.auth.SessionKeys}); protected routes take it as {@code Token} or
 * {@code Bearer}, and also take the realm's own access tokens ({@link UsersApiAuthentication}). A user reaches only
 * itself; a realm administrator's access token reaches anyone. Endpoints: {@link UserEndpoints},
 * {@link PasswordResetEndpoints}.
 */
public final class UsersApiDialect extends Dialect {

    public static final String ID = "users-api";

    /** User-session note holding the hash of the session's API key. */
    static final String KEY_NOTE = "dropin.key." + ID;

    /** Seconds a password-reset token stays valid (django-rest-passwordreset's default: 24 hours). */
    static final String RESET_TOKEN_LIFETIME = "resetTokenLifetime";
    static final int DEFAULT_RESET_TOKEN_LIFETIME = 24 * 3600;

    public UsersApiDialect() {
        super(ID, Conventions.DRF.authenticator(new UsersApiAuthentication(KEY_NOTE)),
                List.of(
                Setting.integer(RESET_TOKEN_LIFETIME, DEFAULT_RESET_TOKEN_LIFETIME, "Seconds a password-reset token stays valid."),
                Setting.integer(CodePolicy.RESEND_COOLDOWN, CodePolicy.DEFAULTS.resendCooldown(),
                        "Seconds before the same address may be sent another reset token."),
                Call.ACCEPTED_CLIENTS_SETTING));
        UserEndpoints users = new UserEndpoints();
        PasswordResetEndpoints reset = new PasswordResetEndpoints();
        Field firstName = Field.string("first_name").max(150).optional().blankAllowed();
        Field lastName = Field.string("last_name").max(150).optional().blankAllowed();
        Field email = Field.email("email").optional().blankAllowed();
        // Required when users change their own email (UserEndpoints#update): a key or token alone is not enough.
        Field currentPassword = Field.password("current_password").optional();
        Object user = Json.object("id", OpenApi.EXAMPLE_ID, "username", "alice", "first_name", "Alice",
                "last_name", "Smith", "email", "alice@example.com");
        Object ok = Json.object("status", PasswordResetEndpoints.STATUS_OK);
        Object unknownToken = Json.object("detail", PasswordResetEndpoints.INVALID_TOKEN);
        serve(List.of(
                // A ModelViewSet's list route: registering (POST) is open, every other method needs an
                // authenticated caller first (DRF checks the permission before the method: 401, then 405).
                Route.at("api/v1/users").authenticated().anonymous("POST")
                        // The seed's ModelSerializer: auth.User's password column (128 characters), a CharField
                        // that trims.
                        .post(users::create, Field.string("username").max(Accounts.USERNAME_MAX_LENGTH),
                                Field.password("password").max(128).trimmed(), firstName, lastName, email)
                        .reportsEveryFieldError()
                        .summary("Registers a user").responds(201, user)
                        .build(),
                Route.at("api/v1/users/{id}").authenticated()
                        .get(users::retrieve)
                        .summary("A user: the caller itself, or anyone for a realm user administrator")
                        .responds(200, user)
                        .put(users::update, firstName, lastName, email, currentPassword)
                        .summary("Updates names and email; a new email of the caller's own needs current_password")
                        .responds(200, user)
                        .patch(users::update, firstName, lastName, email, currentPassword)
                        .summary("Updates names and email; a new email of the caller's own needs current_password")
                        .responds(200, user)
                        .delete(users::destroy)
                        .summary("Deletes the user and ends its sessions").responds(204, null)
                        .post(users::changePassword, Field.password("old_password").trimmed(),
                                Field.password("new_password").trimmed())
                        .reportsEveryFieldError()
                        .summary("Changes the password; the user's other sessions end")
                        .responds(200, Json.object("status", "success", "code", 200,
                                "message", "Password updated successfully", "data", List.of()))
                        .build(),
                Route.at("api-token-auth")
                        .post(users::obtainToken, Field.string("username").max(Accounts.USERNAME_MAX_LENGTH),
                                Field.password("password"))
                        .summary("Signs in with username and password; answers a key for `Authorization`")
                        .responds(200, Json.object("token", OpenApi.EXAMPLE_KEY))
                        .build(),
                Route.at("api/password_reset").post(reset::request, Field.email("email"))
                        .summary("Emails a reset token if an account has the address; the same answer either way")
                        .responds(200, ok).build(),
                Route.at("api/password_reset/validate_token")
                        .post(reset::validate, Field.string("token").max(256))
                        .summary("Checks a reset token").responds(200, ok).responds(404, unknownToken).build(),
                Route.at("api/password_reset/confirm")
                        .post(reset::confirm, Field.string("token").max(256), Field.password("password").trimmed())
                        .summary("Sets a new password with a reset token; every session of the user ends")
                        .responds(200, ok).responds(404, unknownToken).build()));
    }

    static int resetTokenLifetime(Call call) {
        int value = call.settings().getInt(RESET_TOKEN_LIFETIME, DEFAULT_RESET_TOKEN_LIFETIME);
        return value > 0 ? value : DEFAULT_RESET_TOKEN_LIFETIME;
    }

    /**
     * The user serializer of seed 003: never the password; Django's blank strings for missing names; the id as the
     * dialect shows ids ({@link UserIds}).
     */
    static Object userJson(Call call, UserModel user) {
        return Json.object(
                "id", UserIds.of(call, user),
                "username", user.getUsername(),
                "first_name", blankIfNull(user.getFirstName()),
                "last_name", blankIfNull(user.getLastName()),
                "email", blankIfNull(user.getEmail()));
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value;
    }
}
