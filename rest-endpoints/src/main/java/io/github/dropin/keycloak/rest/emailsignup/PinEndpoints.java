package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.credential.PinAttempts;
import io.github.dropin.keycloak.credential.PinCredentialProvider;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.Validator;
import io.github.dropin.keycloak.rest.support.CodeAnswers;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.service.IssueResult;
import jakarta.ws.rs.core.Response;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

import java.util.Map;

/**
 * The user's PIN (credential type {@value PinCredentialProvider#TYPE}): the seed's {@code reset-pin-request/} and
 * {@code reset-pin-verify/}, and, beyond the seed, {@code pin/} to set or change it and {@code pin/check/} to check
 * it. All need the caller's access token ({@code Authorization: Bearer}).
 * <p>
 * A PIN may be set without further proof when the account has none; otherwise with {@code current_pin}, or once
 * within {@link EmailSignupDialect#PIN_RESET_WINDOW} (600 seconds by default) after {@code reset-pin-verify/}
 * accepted an emailed code. Checks are limited by {@link PinAttempts}.
 */
final class PinEndpoints {

    static final String BAD_FORMAT = "Enter a PIN of " + PinCredentialProvider.MIN_LENGTH + " to "
            + PinCredentialProvider.MAX_LENGTH + " digits.";
    static final String INVALID_PIN = "Invalid PIN.";
    static final String NO_PIN = "No PIN is set for this account.";
    static final String NO_EMAIL = "This account has no email address.";

    /** {@code POST reset-pin-request/}: emails a {@code pin_reset} code to the caller. */
    Response resetRequest(Call call) throws ApiError {
        EventBuilder event = pinEvent(call, EventType.UPDATE_CREDENTIAL, "reset_requested");
        UserModel user = call.principal().user();
        if (user.getEmail() == null) {
            event.error(Errors.INVALID_EMAIL);
            throw ApiError.nonField(NO_EMAIL);
        }
        IssueResult sent = call.codes().issueAndDeliver(call.codeRequest(CodePurpose.PIN_RESET, event,
                Delivery.email(CodeSubject.user(user.getId()), user.getEmail(), user)));
        CodeAnswers.requireIssued(sent, channel -> ApiError.nonField(NO_EMAIL));
        event.success();
        return Json.ok(Json.object("detail", "PIN reset code has been sent."));
    }

    /** {@code POST reset-pin-verify/}: a right code lets the caller set a new PIN once, without the old one. */
    Response resetVerify(Call call) throws ApiError {
        EventBuilder event = pinEvent(call, EventType.UPDATE_CREDENTIAL, "reset_verified");
        UserModel user = call.principal().user();
        CheckResult result = call.codes().verifyAndAccount(call.codeCheck(CodePurpose.PIN_RESET,
                CodeSubject.user(user.getId()), call.input().code("code"), user, event));
        if (!result.isValid()) {
            throw EmailSignupDialect.codeError(result);
        }
        Grants.give(call, Grants.PIN_RESET, user.getId(), window(call), Map.of("by", "reset-pin-verify"));
        event.success();
        return Json.ok(Json.object("detail", EmailSignupDialect.OK));
    }

    /** {@code POST pin/} {@code {"pin", "current_pin"?}}: sets or changes the PIN; 204. */
    Response set(Call call) throws ApiError {
        EventBuilder event = pinEvent(call, EventType.UPDATE_CREDENTIAL, "set");
        UserModel user = call.principal().user();
        String pin = call.input().str("pin");
        if (!PinCredentialProvider.isWellFormed(pin)) {
            event.error(Errors.INVALID_INPUT);
            throw ApiError.field("pin", BAD_FORMAT);
        }
        PinCredentialProvider pins = provider(call);
        PinAttempts.Limits limits = PinAttempts.Limits.of(call.realm());
        String current = call.input().str("current_pin");
        if (pins.stored(user).isPresent()) {
            if (current != null) {
                requireCurrent(call, user, current, limits, event);
            } else if (!Grants.consume(call, Grants.PIN_RESET, user.getId(), window(call))) {
                event.error(Errors.NOT_ALLOWED);
                throw ApiError.field("current_pin", Validator.REQUIRED);
            } else {
                event.detail("authorised_by", "reset-pin-verify");
            }
        }
        pins.setPin(call.realm(), user, pin);
        PinAttempts.clear(call.session(), call.realm(), user, limits);
        event.success();
        return Response.noContent().build();
    }

    /** {@code POST pin/check/} {@code {"pin"}}: 200 {@code {"valid": true}}, or 400 for a wrong PIN. */
    Response check(Call call) throws ApiError {
        EventBuilder event = pinEvent(call, EventType.LOGIN, "check").detail(Details.AUTH_METHOD, PinCredentialProvider.TYPE);
        UserModel user = call.principal().user();
        String pin = call.input().str("pin");
        if (!PinCredentialProvider.isWellFormed(pin)) {
            event.error(Errors.INVALID_INPUT);
            throw ApiError.field("pin", BAD_FORMAT);
        }
        PinAttempts.Result result = PinAttempts.check(call.session(), call.realm(), user, pin, PinAttempts.Limits.of(call.realm()));
        switch (result.outcome()) {
            case VALID -> {
                event.success();
                return Json.ok(Json.object("valid", true));
            }
            case NOT_SET -> {
                event.error(Errors.INVALID_USER_CREDENTIALS);
                throw ApiError.nonField(NO_PIN);
            }
            case LOCKED -> {
                event.error(Errors.USER_TEMPORARILY_DISABLED);
                throw ApiError.throttled(result.retryAfterSeconds());
            }
            default -> {
                event.detail("attempts_left", Integer.toString(result.attemptsLeft())).error(Errors.INVALID_USER_CREDENTIALS);
                throw ApiError.field("pin", INVALID_PIN);
            }
        }
    }

    private static void requireCurrent(Call call, UserModel user, String current, PinAttempts.Limits limits,
                                       EventBuilder event) throws ApiError {
        if (!PinCredentialProvider.isWellFormed(current)) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("current_pin", INVALID_PIN);
        }
        PinAttempts.Result result = PinAttempts.check(call.session(), call.realm(), user, current, limits);
        if (result.outcome() == PinAttempts.Outcome.LOCKED) {
            event.error(Errors.USER_TEMPORARILY_DISABLED);
            throw ApiError.throttled(result.retryAfterSeconds());
        }
        if (!result.isValid()) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            throw ApiError.field("current_pin", INVALID_PIN);
        }
    }

    private EventBuilder pinEvent(Call call, EventType type, String operation) {
        return call.event(type).detail(Details.CREDENTIAL_TYPE, PinCredentialProvider.TYPE).detail("operation", operation);
    }

    private int window(Call call) {
        return EmailSignupDialect.seconds(call, EmailSignupDialect.PIN_RESET_WINDOW);
    }

    private static PinCredentialProvider provider(Call call) {
        return (PinCredentialProvider) call.session().getProvider(CredentialProvider.class, PinCredentialProvider.TYPE);
    }
}
