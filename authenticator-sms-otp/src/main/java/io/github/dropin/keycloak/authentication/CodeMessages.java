package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.code.Verification;
import org.keycloak.models.utils.FormMessage;

/** The code page's messages for engine outcomes, as message keys of the pack's theme bundles. */
public final class CodeMessages {

    public static final String MISSING = "dropin.code.missing";
    public static final String INVALID = "dropin.code.invalid";
    public static final String EXHAUSTED = "dropin.code.exhausted";
    public static final String EXPIRED = "dropin.code.expired";
    public static final String SENT_AGAIN = "dropin.code.sentAgain";
    public static final String RESEND_TOO_SOON = "dropin.code.resendTooSoon";
    public static final String TOO_MANY_CODES = "dropin.code.tooManyCodes";
    public static final String SEND_FAILED = "dropin.code.sendFailed";

    /** Event error of an SMS that could not be sent (the counterpart of Keycloak's {@code email_send_failed}). */
    public static final String EVENT_SMS_SEND_FAILED = "sms_send_failed";

    private CodeMessages() {
    }

    /** The field error for a code that did not verify. */
    public static FormMessage forOutcome(Verification verification) {
        return switch (verification.outcome()) {
            case INVALID -> new FormMessage(Pages.FIELD_CODE, INVALID, verification.attemptsLeft());
            case NOT_FOUND -> new FormMessage(Pages.FIELD_CODE, EXPIRED);
            // VALID only lands here when the code may not be used (locked account): as dead as an exhausted one.
            case EXHAUSTED, VALID -> new FormMessage(Pages.FIELD_CODE, EXHAUSTED);
        };
    }

    /** The page message for a send refused by a limit. */
    public static FormMessage forLimit(RateLimitedException.Limit limit, long retryAfterSeconds) {
        return limit == RateLimitedException.Limit.RESEND_COOLDOWN
                ? new FormMessage(null, RESEND_TOO_SOON, retryAfterSeconds)
                : new FormMessage(null, TOO_MANY_CODES);
    }
}
