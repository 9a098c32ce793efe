package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.IssueResult;
import org.keycloak.models.utils.FormMessage;

/** What the code page says about an outcome of the core's service, as message keys of the pack's theme bundles. */
public final class CodeMessages {

    private CodeMessages() {
    }

    /** The field error for a code that did not verify. */
    public static FormMessage forOutcome(CheckResult result) {
        return switch (result.outcome()) {
            case INVALID -> new FormMessage(Pages.FIELD_CODE, MessageKeys.CODE_INVALID, result.attemptsLeft());
            case EXPIRED -> new FormMessage(Pages.FIELD_CODE, MessageKeys.CODE_EXPIRED);
            case EXHAUSTED, VALID -> new FormMessage(Pages.FIELD_CODE, MessageKeys.CODE_EXHAUSTED);
        };
    }

    /** The page message for a send that did not happen (a limit, or a delivery failure). */
    public static FormMessage forSendFailure(IssueResult result) {
        if (result.status() != IssueResult.Status.THROTTLED) {
            return new FormMessage(null, MessageKeys.CODE_SEND_FAILED);
        }
        // A cooldown or the growing back-off: a wait of seconds, worth telling; other limits: later.
        return result.limit() == RateLimitedException.Limit.RESEND_COOLDOWN
                || result.limit() == RateLimitedException.Limit.RESEND_BACKOFF
                ? new FormMessage(null, MessageKeys.CODE_RESEND_TOO_SOON, result.retryAfterSeconds())
                : new FormMessage(null, MessageKeys.CODE_TOO_MANY);
    }
}
