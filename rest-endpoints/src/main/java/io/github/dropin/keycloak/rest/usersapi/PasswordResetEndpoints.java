package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.messaging.AfterCommit;
import io.github.dropin.keycloak.messaging.Localized;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.CodeAnswers;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.service.Delivery;
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
 * django-rest-passwordreset for seed 003: {@code /api/password_reset/}, {@code validate_token/} and {@code confirm/},
 * with its bodies. Unknown addresses get the same 200 as known ones and nothing is sent; the email with the token
 * leaves after the response ({@link AfterCommit}), so timing does not tell them apart either.
 */
final class PasswordResetEndpoints {

    static final String STATUS_OK = "OK";
    /** django-rest-passwordreset's message for an unknown or expired token. */
    static final String INVALID_TOKEN = "The OTP password entered is not valid. Please check and try again.";
    static final String TEMPLATE = "dropin-reset-token.ftl";
    static final String SUBJECT = "dropin.email.subject.password_reset_token";
    private static final int HOUR = 3600;

    /** {@code POST /api/password_reset/} {@code {"email"}}: 200 {@code {"status": "OK"}} whatever the address. */
    Response request(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.SEND_RESET_PASSWORD);
        String email = call.input().str("email").toLowerCase(Locale.ROOT);
        event.detail(Details.EMAIL, email);
        call.client();
        // The limits codes have (SPEC §2.2), keyed by the address whether or not it has an account, so a refusal
        // says nothing about it.
        CodeAnswers.requireIssued(call.codes().claimLimits(call.codeRequest(CodePurpose.PASSWORD_RESET, event,
                Delivery.email(CodeSubject.email(email), email, null))), channel -> ApiError.unavailable());
        UserModel user = Accounts.userByEmail(call, email);
        // Generated either way, so both branches do the same work.
        String token = ResetTokens.generate();
        if (user == null || !user.isEnabled()) {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.USER_DISABLED);
            return status();
        }
        int lifetime = UsersApiDialect.resetTokenLifetime(call);
        ResetTokens.store(call, user, token, lifetime);
        long minutes = Math.max(1, (lifetime + 59) / 60);
        long hours = Math.max(1, (lifetime + HOUR - 1) / HOUR);
        Map<String, Object> attributes = Map.of("token", token, "lifetimeMinutes", minutes, "lifetimeHours", hours,
                "expiry", minutes < 120 ? Localized.of(MessageKeys.EMAIL_TOKEN_EXPIRY_MINUTES, minutes)
                        : Localized.of(MessageKeys.EMAIL_TOKEN_EXPIRY_HOURS, hours));
        AfterCommit.send(call.session(), event, user, (messenger, realm, recipient) ->
                messenger.sendEmailTemplate(realm, recipient, recipient.getEmail(), "password_reset", SUBJECT, TEMPLATE,
                        attributes));
        event.user(user).detail(Details.USERNAME, user.getUsername()).success();
        return status();
    }

    /** {@code POST /api/password_reset/validate_token/} {@code {"token"}}: 200, or 404 for an unknown or used token. */
    Response validate(Call call) throws ApiError {
        if (ResetTokens.find(call, call.input().str("token")) == null) {
            call.event(EventType.RESET_PASSWORD).error(Errors.INVALID_TOKEN);
            throw ApiError.detail(404, INVALID_TOKEN);
        }
        return status();
    }

    /**
     * {@code POST /api/password_reset/confirm/} {@code {"token", "password"}}: sets the password under the realm
     * policy, consumes the token and ends every session of the user.
     */
    Response confirm(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.RESET_PASSWORD);
        String token = call.input().str("token");
        UserModel user = ResetTokens.find(call, token);
        if (user == null) {
            event.error(Errors.INVALID_TOKEN);
            throw ApiError.detail(404, INVALID_TOKEN);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        String password = call.input().str("password");
        List<String> problems = Passwords.violations(call, user, password);
        if (!problems.isEmpty()) {
            event.error(Errors.PASSWORD_REJECTED);
            throw ApiError.fields(Map.of("password", problems));
        }
        if (!ResetTokens.consume(call, token, user)) {
            event.error(Errors.INVALID_TOKEN);
            throw ApiError.detail(404, INVALID_TOKEN);
        }
        Passwords.set(call, user, password, "password");
        // The token reached the user's mailbox: the address is proven.
        user.setEmailVerified(true);
        SessionIssuer.logoutAll(call.session(), call.realm(), user);
        event.success();
        call.event(EventType.UPDATE_PASSWORD).user(user).detail(Details.USERNAME, user.getUsername()).success();
        return status();
    }

    private static Response status() {
        return Json.ok(Json.object("status", STATUS_OK));
    }
}
