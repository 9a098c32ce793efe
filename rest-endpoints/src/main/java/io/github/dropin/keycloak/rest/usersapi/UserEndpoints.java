package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.rest.auth.SessionKeys;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Principal;
import io.github.dropin.keycloak.rest.http.Validator;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.support.Profiles;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.userprofile.UserProfileContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The users viewset and token view of seed 003: {@code POST /api/v1/users/}, {@code GET/PUT/PATCH/DELETE/POST
 * /api/v1/users/<id>/} and {@code POST /api-token-auth/}.
 */
final class UserEndpoints {

    /** DRF's {@code AuthTokenSerializer}. */
    static final String CANNOT_LOG_IN = "Unable to log in with provided credentials.";
    /** The change-password view seed 003 was built from (the widely copied DRF ChangePasswordView). */
    static final String WRONG_PASSWORD = "Wrong password.";

    /**
     * {@code POST /api/v1/users/}: registers a user; 201 with the user, never the password. As the seed's
     * ModelSerializer: every field's failures at once (username rule and uniqueness, email uniqueness, the password
     * under the realm's policy).
     */
    Response create(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, UsersApiDialect.ID);
        String username = call.input().str("username");
        String email = lowerCase(call.input().strOrNull("email"));
        String password = call.input().str("password");
        if (username != null) {
            event.detail(Details.USERNAME, username);
        }
        if (email != null) {
            event.detail(Details.EMAIL, email);
        }

        Map<String, List<String>> errors = call.input().errors();
        if (!call.input().valid("username")) {
            // The field's own failure is reported already.
        } else if (!Accounts.isValidUsername(username)) {
            errors.put("username", List.of(Accounts.INVALID_USERNAME));
        } else if (!Accounts.mayUseUsername(call, username, null)) {
            errors.put("username", List.of(Accounts.USERNAME_IS_PHONE));
        } else if (!Accounts.claim(call, Accounts.USERNAME, username) || Accounts.usernameTaken(call, username)) {
            // Tried once: a username another registration is creating right now is as good as taken.
            errors.put("username", List.of(Accounts.USERNAME_TAKEN));
        }
        if (email != null && !errors.containsKey("email")
                && (!Accounts.claim(call, Accounts.EMAIL, email) || Accounts.emailTaken(call, email, null))) {
            errors.put("email", List.of(Accounts.EMAIL_TAKEN));
        }
        if (call.input().valid("password")) {
            // The policy judges the account as it would be (username, email), before anything is created.
            List<String> problems = Passwords.violations(call, Passwords.candidate(call,
                    errors.containsKey("username") ? null : username, email), password);
            if (!problems.isEmpty()) {
                errors.put("password", problems);
            }
        }
        if (!errors.isEmpty()) {
            event.error(errors.containsKey("username") && errors.get("username").contains(Accounts.USERNAME_TAKEN)
                    ? Errors.USERNAME_IN_USE
                    : errors.containsKey("email") ? Errors.EMAIL_IN_USE : Errors.INVALID_REGISTRATION);
            throw ApiError.fields(errors);
        }

        event.client(call.client());
        UserModel user = call.session().users().addUser(call.realm(), username);
        user.setEnabled(true);
        user.setFirstName(call.input().strOrNull("first_name"));
        user.setLastName(call.input().strOrNull("last_name"));
        user.setEmail(email);
        Passwords.set(call, user, password, "password");
        event.user(user).success();
        return Json.response(201, UsersApiDialect.userJson(call, user));
    }

    /** {@code GET /api/v1/users/<id>/}. */
    Response retrieve(Call call) throws ApiError {
        return Json.ok(UsersApiDialect.userJson(call, target(call)));
    }

    /**
     * {@code PUT}/{@code PATCH /api/v1/users/<id>/}: {@code first_name}, {@code last_name}, {@code email}, through the
     * realm's user profile (its rules and permissions apply). A user changing its own email proves it knows the
     * password ({@code current_password}): a leaked key or token alone must not move the account to another mailbox,
     * from where a password reset would take it over. A new address is unverified, and reset tokens sent to the old
     * one stop working ({@link ResetTokens}).
     */
    Response update(Call call) throws ApiError {
        UserModel user = target(call);
        EventBuilder event = event(call, EventType.UPDATE_PROFILE, user);
        boolean self = user.getId().equals(call.principal().user().getId());
        Map<String, String> changes = new LinkedHashMap<>();
        String previous = user.getEmail();
        String email = lowerCase(call.input().strOrNull("email"));
        boolean emailChanges = call.input().has("email")
                && (email == null ? previous != null : !email.equalsIgnoreCase(previous));
        if (emailChanges) {
            if (self) {
                requireCurrentPassword(call, user, event);
            }
            if (email != null && (!Accounts.claim(call, Accounts.EMAIL, email) || Accounts.emailTaken(call, email, user))) {
                event.error(Errors.EMAIL_IN_USE);
                throw ApiError.field("email", Accounts.EMAIL_TAKEN);
            }
            changes.put(UserModel.EMAIL, email);
        }
        if (call.input().has("first_name")) {
            changes.put(UserModel.FIRST_NAME, call.input().strOrNull("first_name"));
        }
        if (call.input().has("last_name")) {
            changes.put(UserModel.LAST_NAME, call.input().strOrNull("last_name"));
        }
        Profiles.update(call, user, self ? UserProfileContext.ACCOUNT : UserProfileContext.USER_API, changes,
                Profiles.DJANGO_FIELDS, event);
        if (emailChanges) {
            // A new address is not verified until its owner proves it.
            user.setEmailVerified(false);
            event.detail(Details.PREVIOUS_EMAIL, previous == null ? "" : previous)
                    .detail(Details.UPDATED_EMAIL, email == null ? "" : email);
        }
        event.success();
        return Json.ok(UsersApiDialect.userJson(call, user));
    }

    /** {@code current_password}, required and right, or a 400 on that field (counted like any wrong password). */
    private static void requireCurrentPassword(Call call, UserModel user, EventBuilder event) throws ApiError {
        String current = call.input().strOrNull("current_password");
        if (current == null) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("current_password", Validator.REQUIRED);
        }
        if (!Passwords.check(call, user, current)) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("current_password", WRONG_PASSWORD);
        }
    }

    /** {@code DELETE /api/v1/users/<id>/}: the Keycloak user and its sessions are gone; 204. */
    Response destroy(Call call) throws ApiError {
        UserModel user = target(call);
        EventBuilder event = event(call, EventType.DELETE_ACCOUNT, user);
        SessionIssuer.logoutAll(call.session(), call.realm(), user);
        new UserManager(call.session()).removeUser(call.realm(), user);
        event.success();
        return Response.noContent().build();
    }

    /**
     * {@code POST /api/v1/users/<id>/}: {@code old_password}, {@code new_password}. The user's other sessions end
     * (Keycloak's default when a password changes); the caller's own session stays.
     */
    Response changePassword(Call call) throws ApiError {
        UserModel user = target(call);
        EventBuilder event = event(call, EventType.UPDATE_PASSWORD, user);
        String newPassword = call.input().str("new_password");
        // The seed's serializer: both fields, the new password under the policy; the old one is checked after.
        Map<String, List<String>> errors = call.input().errors();
        if (call.input().valid("new_password")) {
            List<String> problems = Passwords.violations(call, user, newPassword);
            if (!problems.isEmpty()) {
                errors.put("new_password", problems);
            }
        }
        if (!errors.isEmpty()) {
            event.error(Errors.PASSWORD_REJECTED);
            throw ApiError.fields(errors);
        }
        if (!Passwords.check(call, user, call.input().str("old_password"))) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("old_password", WRONG_PASSWORD);
        }
        Passwords.set(call, user, newPassword, "new_password");
        UserSessionModel current = call.principal().userSession();
        call.session().sessions().getUserSessionsStream(call.realm(), user)
                .filter(s -> current == null || !s.getId().equals(current.getId())).toList()
                .forEach(s -> SessionIssuer.logout(call.session(), call.realm(), s));
        event.success();
        return Json.ok(Json.object("status", "success", "code", 200, "message", "Password updated successfully",
                "data", List.of()));
    }

    /** {@code POST /api-token-auth/}: a new Keycloak session and the API key bound to it. */
    Response obtainToken(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, UsersApiDialect.ID);
        ClientModel client = call.client();
        UserModel user = Passwords.authenticate(call, call.input().str("username"), call.input().str("password"), event)
                .orElseThrow(() -> ApiError.nonField(CANNOT_LOG_IN));
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, user, event);
        String key = SessionKeys.issue(context.getClientSession().getUserSession(), UsersApiDialect.KEY_NOTE);
        event.success();
        return Json.ok(Json.object("token", key));
    }

    /**
     * The user a {@code /api/v1/users/<id>/} request is about: the caller itself, or anyone for a realm user
     * administrator; everything else is 404, as a viewset whose queryset holds only the caller answers.
     */
    private static UserModel target(Call call) throws ApiError {
        Principal caller = call.principal();
        String id = call.pathParam("id");
        if (UserIds.names(call, id, caller.user())) {
            return caller.user();
        }
        if (UsersApiAuthentication.isUserAdministrator(call, caller)) {
            UserModel user = UserIds.find(call, id).orElse(null);
            if (user != null) {
                return user;
            }
        }
        throw ApiError.notFound();
    }

    /** An event about {@code user}, naming the administrator when someone else acts on it. */
    private static EventBuilder event(Call call, EventType type, UserModel user) {
        EventBuilder event = call.event(type).user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.getId().equals(call.principal().user().getId())) {
            event.detail("admin_user_id", call.principal().user().getId());
        }
        return event;
    }

    private static String lowerCase(String email) {
        return email == null ? null : email.toLowerCase(java.util.Locale.ROOT);
    }

}
