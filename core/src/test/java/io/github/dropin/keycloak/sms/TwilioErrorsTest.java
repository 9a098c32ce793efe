package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioErrorsTest {

    static final Function<String, String> WHERE = key -> "dropin.sms.twilio." + key;

    @ParameterizedTest(name = "{0} / HTTP {1} -> {2}")
    @CsvSource({
            "21211, 400, INVALID_RECIPIENT",
            "21614, 400, INVALID_RECIPIENT",
            "21610, 400, RECIPIENT_UNREACHABLE",
            "21612, 400, RECIPIENT_UNREACHABLE",
            "21408, 400, RECIPIENT_UNREACHABLE",
            "20003, 401, MISCONFIGURED",
            "20404, 404, MISCONFIGURED",
            "21212, 400, MISCONFIGURED",
            "21606, 400, MISCONFIGURED",
            "21703, 400, MISCONFIGURED",
            "20429, 429, PROVIDER_RATE_LIMITED",
            "14107, 429, PROVIDER_RATE_LIMITED",
            "20500, 500, UNAVAILABLE",
            "20503, 503, UNAVAILABLE",
            "99999, 400, MISCONFIGURED",
            "99999, 502, UNAVAILABLE",
            "99999, 429, PROVIDER_RATE_LIMITED",
    })
    void codesDecideAndTheStatusIsTheFallback(int code, int status, DeliveryException.Reason reason) {
        assertThat(TwilioErrors.toException(code, status, WHERE).reason()).isEqualTo(reason);
    }

    @Test
    void anAnswerWithoutACodeFallsBackToTheStatus() {
        assertThat(TwilioErrors.toException(null, 500, WHERE).reason()).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
        assertThat(TwilioErrors.toException(null, null, WHERE).reason()).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
        assertThat(TwilioErrors.toException(null, 401, WHERE).detail())
                .isEqualTo("twilio answer (HTTP 401); check dropin.sms.twilio.accountSid, dropin.sms.twilio.authToken");
    }

    @Test
    void refusedCredentialsAreTheirOwnCategory() {
        assertThat(TwilioErrors.toException(20003, 401, WHERE).category())
                .isEqualTo(DeliveryException.Category.REJECTED_CREDENTIALS);
        assertThat(TwilioErrors.toException(null, 403, WHERE).category())
                .isEqualTo(DeliveryException.Category.REJECTED_CREDENTIALS);
        assertThat(TwilioErrors.toException(21606, 400, WHERE).category()).isEqualTo(DeliveryException.Category.MISCONFIGURED);
        assertThat(TwilioErrors.toException(21211, 400, WHERE).category()).isEqualTo(DeliveryException.Category.REFUSED_RECIPIENT);
        assertThat(TwilioErrors.toException(20429, 429, WHERE).category()).isEqualTo(DeliveryException.Category.THROTTLED);
        assertThat(TwilioErrors.toException(null, 503, WHERE).category()).isEqualTo(DeliveryException.Category.PROVIDER_ERROR);
        // Twilio's answers are network content: never shown to administrators as they are.
        assertThat(TwilioErrors.toException(21606, 400, WHERE).configurationProblem()).isEmpty();
    }

    @Test
    void badCredentialsNameTheSettingsToCheck() {
        assertThat(TwilioErrors.toException(20003, 401, WHERE).detail()).isEqualTo(
                "twilio error 20003 (HTTP 401): authentication failed: Twilio refused the credentials; "
                        + "check dropin.sms.twilio.accountSid, dropin.sms.twilio.authToken; "
                        + "https://www.twilio.com/docs/errors/20003");
    }

    @Test
    void recipientErrorsNameNoSettings() {
        assertThat(TwilioErrors.toException(21211, 400, WHERE).detail()).isEqualTo(
                "twilio error 21211 (HTTP 400): invalid 'To' phone number; https://www.twilio.com/docs/errors/21211");
    }

    @Test
    void senderErrorsPointAtFromAndTheMessagingService() {
        assertThat(TwilioErrors.toException(21606, 400, WHERE).detail())
                .contains("check dropin.sms.twilio.from, dropin.sms.twilio.messagingServiceSid");
    }
}
