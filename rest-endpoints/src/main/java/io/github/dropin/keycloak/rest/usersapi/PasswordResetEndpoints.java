package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.Delivery;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.store.Compensations;
import io.github.dropin.keycloak.store.SlotLimiter;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * django-rest-passwordreset for seed 003: {@code /api/password_reset/}, {@code validate_token/} and {@code confirm/},
 * with its bodies. Unknown addresses get the same 200 as known ones and nothing is sent; the email with the token
 * leaves after the response ({@link Delivery#emailAfterCommit}), so timing does not tell them apart either.
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
        claimLimits(call, email, event);
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
        Map<String, Object> attributes = Map.of("token", token, "lifetimeMinutes", minutes,
                "lifetimeHours", Math.max(1, (lifetime + HOUR - 1) / HOUR));
        Delivery.emailAfterCommit(call, EventType.SEND_RESET_PASSWORD, user, (messenger, realm, recipient) ->
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

    /**
     * The limits codes have (SPEC §2.2), for reset emails: a cooldown and an hourly cap per address, an hourly cap per
     * client IP. Keyed by the address whether or not it has an account, so a refusal says nothing about it.
     */
    private static void claimLimits(Call call, String email, EventBuilder event) throws ApiError {
        CodePolicy policy = CodePolicy.from(call.settings(), UsersApiDialect.LIMITS);
        SingleUseObjectProvider store = call.session().singleUseObjects();
        SlotLimiter limiter = new SlotLimiter(store);
        Compensations undo = Compensations.of(call.session());
        OneTimeCodeProvider codes = call.session().getProvider(OneTimeCodeProvider.class);
        String prefix = Dropin.STORE_PREFIX + "ua-reset-limit:" + call.realm().getId() + ":";
        String subject = codes.keyedHash(call.realm(), "ua-reset", "email", email);
        if (policy.resendCooldown() > 0) {
            String cooldown = prefix + "cd:" + subject;
            if (!store.putIfAbsent(cooldown, policy.resendCooldown())) {
                throw refuse(event, "RESEND_COOLDOWN", policy.resendCooldown());
            }
            undo.onRollback(() -> store.remove(cooldown));
        }
        if (policy.hourlyLimitPerSubject() > 0) {
            String slot = limiter.tryAcquire(prefix + "hs:" + subject, policy.hourlyLimitPerSubject(), HOUR);
            if (slot == null) {
                throw refuse(event, "SUBJECT_HOURLY", HOUR);
            }
            undo.onRollback(() -> limiter.release(slot));
        }
        String ip = call.clientIp();
        if (policy.hourlyLimitPerIp() > 0 && ip != null) {
            String slot = limiter.tryAcquire(prefix + "hi:" + codes.keyedHash(call.realm(), "ua-reset", "ip", ip),
                    policy.hourlyLimitPerIp(), HOUR);
            if (slot == null) {
                throw refuse(event, "IP_HOURLY", HOUR);
            }
            undo.onRollback(() -> limiter.release(slot));
        }
    }

    private static ApiError refuse(EventBuilder event, String limit, long retryAfter) {
        event.detail(Details.REASON, limit).error("rate_limited");
        return ApiError.throttled(retryAfter);
    }

    private static Response status() {
        return Json.ok(Json.object("status", STATUS_OK));
    }
}
