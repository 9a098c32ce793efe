package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Validator;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.support.UserIds;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

import java.util.List;
import java.util.Map;

/**
 * Djoser's {@code UserViewSet} for seed 002, with Djoser's semantics: a user sees and changes only itself (any other
 * id is 404, as Djoser's {@code HIDE_USERS} makes it; deleting someone else is 403, as its permission says), the email
 * is the read-only login field, deleting needs {@code current_password}, and {@code set_password} answers 204. Registration ({@code POST users/}) is in
 * {@link SignupEndpoints}.
 */
final class DjoserEndpoints {

    /** Djoser's {@code constants.Messages.INVALID_PASSWORD_ERROR}. */
    static final String INVALID_PASSWORD = "Invalid password.";
    /** DRF's {@code PermissionDenied}. */
    static final String PERMISSION_DENIED = "You do not have permission to perform this action.";

    /** {@code GET users/}: the list Djoser shows a non-staff user, i.e. itself. */
    Response list(Call call) {
        return Json.ok(List.of(EmailSignupDialect.userJson(call, call.principal().user())));
    }

    /** {@code GET users/me/}, {@code GET users/<id>/}. */
    Response retrieve(Call call) throws ApiError {
        return Json.ok(EmailSignupDialect.userJson(call, target(call)));
    }

    /**
     * {@code PUT}/{@code PATCH users/me/} and {@code users/<id>/}. Djoser's user serializer has no writable field
     * when the email is the login field (it is read-only, changed only through Djoser's own email-change flow), so
     * an update validates the body and changes nothing.
     */
    Response update(Call call) throws ApiError {
        UserModel user = target(call);
        // No writable fields, but the body must still be a dictionary, as for any DRF serializer.
        Validator.validate(call.body(), List.of(), false);
        call.event(EventType.UPDATE_PROFILE).success();
        return Json.ok(EmailSignupDialect.userJson(call, user));
    }

    /**
     * {@code DELETE users/me/}, {@code users/<id>/}: with the right {@code current_password}, the account is gone.
     * Djoser finds the user first (404), checks the permission ({@code CurrentUserOrAdmin}: 403 for someone else),
     * then validates the body.
     */
    Response destroy(Call call) throws ApiError {
        UserModel caller = call.principal().user();
        String id = call.pathParam("id");
        if (id != null && !UserIds.names(call, id, caller)) {
            // The id as the dialect shows ids: a legacy integer where the legacyIds setting is on.
            throw UserIds.find(call, id).isEmpty() ? ApiError.notFound() : ApiError.detail(403, PERMISSION_DENIED);
        }
        Map<String, List<String>> errors = call.input().errors();
        EventBuilder event = call.event(EventType.DELETE_ACCOUNT).detail(Details.USERNAME, caller.getUsername());
        if (errors.isEmpty() && !Passwords.check(call, caller, call.input().str("current_password"))) {
            errors.put("current_password", List.of(INVALID_PASSWORD));
        }
        if (!errors.isEmpty()) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.fields(errors);
        }
        SessionIssuer.logoutAll(call.session(), call.realm(), caller);
        new UserManager(call.session()).removeUser(call.realm(), caller);
        event.success();
        return Response.noContent().build();
    }

    /**
     * {@code POST users/set_password/}: {@code current_password}, {@code new_password}; 204. Djoser's serializer: each
     * field's own checks (the current password must be right), every failure at once; the new password's strength
     * only once both passed (its {@code validate()}). The caller's other sessions end (Keycloak's default when a user
     * changes the password); the session of the token used stays.
     */
    Response setPassword(Call call) throws ApiError {
        UserModel user = call.principal().user();
        EventBuilder event = call.event(EventType.UPDATE_PASSWORD).detail(Details.USERNAME, user.getUsername());
        Map<String, List<String>> errors = call.input().errors();
        if (call.input().valid("current_password") && !Passwords.check(call, user, call.input().str("current_password"))) {
            errors.put("current_password", List.of(INVALID_PASSWORD));
        }
        if (errors.isEmpty()) {
            List<String> problems = Passwords.violations(call, user, call.input().str("new_password"));
            if (!problems.isEmpty()) {
                errors.put("new_password", problems);
            }
        }
        Passwords.change(call, user, errors, "current_password", event);
        UserSessionModel current = call.principal().userSession();
        call.session().sessions().getUserSessionsStream(call.realm(), user)
                .filter(s -> current == null || !s.getId().equals(current.getId())).toList()
                .forEach(s -> SessionIssuer.logout(call.session(), call.realm(), s));
        event.success();
        return Response.noContent().build();
    }

    /** The user a {@code users/me} or {@code users/<id>} request is about: only the caller itself. */
    private static UserModel target(Call call) throws ApiError {
        UserModel caller = call.principal().user();
        String id = call.pathParam("id");
        if (id != null && !UserIds.names(call, id, caller)) {
            throw ApiError.notFound();
        }
        return caller;
    }
}
