package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a Twilio error means for the person waiting for a code. Twilio answers a refused message with an HTTP status
 * and one of its error codes (https://www.twilio.com/docs/api/errors); the code decides, the status is the fallback:
 * <ul>
 *     <li>the number is wrong or cannot take SMS: {@link DeliveryException.Reason#INVALID_RECIPIENT} (the user can
 *         type another number);</li>
 *     <li>the number is fine but will not get our messages (opted out with STOP, region not enabled, landline):
 *         {@link DeliveryException.Reason#RECIPIENT_UNREACHABLE};</li>
 *     <li>credentials, sender number, Messaging Service or account are wrong: {@link DeliveryException.Reason#MISCONFIGURED};</li>
 *     <li>429 or a queue limit: {@link DeliveryException.Reason#PROVIDER_RATE_LIMITED};</li>
 *     <li>5xx, no answer, no connection: {@link DeliveryException.Reason#UNAVAILABLE}.</li>
 * </ul>
 * Any other 4xx means Twilio refused a request we built, which an operator has to look at: MISCONFIGURED.
 * <p>
 * Details are built from the code and a fixed description, never from Twilio's message, which repeats the
 * recipient's number.
 */
final class TwilioErrors {

    /** @param settings the sender settings an operator should check (keys of {@link TwilioSmsSenderProviderFactory}) */
    private record Meaning(DeliveryException.Reason reason, String description, List<String> settings) {
    }

    private static final List<String> CREDENTIALS = List.of(TwilioSmsSenderProviderFactory.ACCOUNT_SID,
            TwilioSmsSenderProviderFactory.AUTH_TOKEN);
    private static final List<String> ACCOUNT = List.of(TwilioSmsSenderProviderFactory.ACCOUNT_SID,
            TwilioSmsSenderProviderFactory.API_BASE_URL);
    private static final List<String> SENDER = List.of(TwilioSmsSenderProviderFactory.FROM,
            TwilioSmsSenderProviderFactory.MESSAGING_SERVICE_SID);
    private static final List<String> NONE = List.of();

    private static final Map<Integer, Meaning> CODES = Map.ofEntries(
            recipient(21211, "invalid 'To' phone number"),
            recipient(21217, "phone number does not appear to be valid"),
            recipient(21265, "'To' number cannot be a short code"),
            recipient(21401, "invalid phone number"),
            recipient(21407, "this phone number type does not support SMS"),
            recipient(21421, "phone number is invalid"),
            recipient(21614, "'To' number is not a valid mobile number"),
            unreachable(21408, "SMS to this number's region is not enabled for the account (Geo permissions)"),
            unreachable(21610, "the recipient has unsubscribed (replied STOP)"),
            unreachable(21612, "the 'To' number is not reachable by SMS from this sender"),
            unreachable(21635, "'To' number is a landline"),
            operator(20003, "authentication failed: Twilio refused the credentials", CREDENTIALS),
            operator(20005, "the Twilio account is not active", CREDENTIALS),
            operator(20404, "not found: no such account at this API base URL", ACCOUNT),
            operator(21212, "invalid 'From' number", SENDER),
            operator(21602, "message body is required", NONE),
            operator(21603, "a 'From' number or Messaging Service SID is required", SENDER),
            operator(21604, "a 'To' number is required", NONE),
            operator(21606, "the 'From' number cannot send SMS", SENDER),
            operator(21617, "message body exceeds 1600 characters", NONE),
            operator(21659, "the 'From' number is not a Twilio number of this account", SENDER),
            operator(21701, "the Messaging Service does not exist", SENDER),
            operator(21703, "the Messaging Service has no phone number to send from", SENDER),
            operator(21704, "the Messaging Service contains no phone numbers", SENDER),
            operator(21705, "the Messaging Service is invalid", SENDER),
            limited(14107, "SMS send rate limit exceeded for this sender"),
            limited(20429, "too many requests"),
            limited(21611, "the 'From' number has too many queued messages"));

    private TwilioErrors() {
    }

    /**
     * The failure for Twilio's answer.
     *
     * @param code       Twilio's error code, or {@code null} when the body carried none
     * @param httpStatus the HTTP status of the answer, or {@code null}
     * @param whereToSet for operator errors: where a setting key is configured (names only, never values)
     */
    static DeliveryException toException(Integer code, Integer httpStatus, Function<String, String> whereToSet) {
        Meaning meaning = code == null ? null : CODES.get(code);
        DeliveryException.Reason reason = meaning != null ? meaning.reason() : byStatus(httpStatus);
        StringBuilder detail = new StringBuilder("twilio ");
        detail.append(code != null ? "error " + code : "answer").append(" (HTTP ")
                .append(httpStatus != null ? httpStatus : "?").append(')');
        if (meaning != null) {
            detail.append(": ").append(meaning.description());
        }
        if (reason == DeliveryException.Reason.MISCONFIGURED) {
            List<String> keys = meaning != null ? meaning.settings()
                    : httpStatus != null && (httpStatus == 401 || httpStatus == 403) ? CREDENTIALS
                    : httpStatus != null && httpStatus == 404 ? ACCOUNT : NONE;
            if (!keys.isEmpty()) {
                detail.append("; check ");
                for (int i = 0; i < keys.size(); i++) {
                    detail.append(i == 0 ? "" : ", ").append(whereToSet.apply(keys.get(i)));
                }
            }
        }
        if (code != null) {
            detail.append("; https://www.twilio.com/docs/errors/").append(code);
        }
        return DeliveryException.sms(reason, category(code, httpStatus, reason), detail.toString());
    }

    /** Refused credentials (and an inactive account, which the same credentials cannot fix) apart from other settings. */
    static DeliveryException.Category category(Integer code, Integer httpStatus, DeliveryException.Reason reason) {
        Meaning meaning = code == null ? null : CODES.get(code);
        boolean credentials = meaning != null ? meaning.settings() == CREDENTIALS
                : httpStatus != null && (httpStatus == 401 || httpStatus == 403);
        return credentials ? DeliveryException.Category.REJECTED_CREDENTIALS : DeliveryException.Category.of(reason);
    }

    static DeliveryException.Reason byStatus(Integer httpStatus) {
        if (httpStatus == null || httpStatus >= 500) {
            return DeliveryException.Reason.UNAVAILABLE;
        }
        if (httpStatus == 429) {
            return DeliveryException.Reason.PROVIDER_RATE_LIMITED;
        }
        return DeliveryException.Reason.MISCONFIGURED;
    }

    private static Map.Entry<Integer, Meaning> recipient(int code, String description) {
        return Map.entry(code, new Meaning(DeliveryException.Reason.INVALID_RECIPIENT, description, NONE));
    }

    private static Map.Entry<Integer, Meaning> unreachable(int code, String description) {
        return Map.entry(code, new Meaning(DeliveryException.Reason.RECIPIENT_UNREACHABLE, description, NONE));
    }

    private static Map.Entry<Integer, Meaning> operator(int code, String description, List<String> settings) {
        return Map.entry(code, new Meaning(DeliveryException.Reason.MISCONFIGURED, description, settings));
    }

    private static Map.Entry<Integer, Meaning> limited(int code, String description) {
        return Map.entry(code, new Meaning(DeliveryException.Reason.PROVIDER_RATE_LIMITED, description, NONE));
    }
}
