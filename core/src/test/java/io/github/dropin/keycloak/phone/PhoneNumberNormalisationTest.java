package io.github.dropin.keycloak.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static io.github.dropin.keycloak.phone.LibPhoneNumberProviderFactory.normalise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumberNormalisationTest {

    @ParameterizedTest
    @CsvSource({
            "+4915112345678, , +4915112345678",
            "+49 151 12345678, , +4915112345678",
            "+49 (151) 123-456-78, , +4915112345678",
            "015112345678, DE, +4915112345678",
            "0049 151 12345678, DE, +4915112345678",
            "(415) 555-2671, US, +14155552671",
            "+1 415.555.2671, GB, +14155552671",
    })
    void normalisesToE164(String input, String region, String expected) throws InvalidPhoneNumberException {
        assertThat(normalise(input, region, Set.of())).isEqualTo(expected);
    }

    @Test
    void numbersWithoutPlusNeedADefaultRegion() {
        assertThatThrownBy(() -> normalise("015112345678", null, Set.of()))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.NOT_A_NUMBER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "+49151abc", "+1 555", "+999 12345678", "<script>", "+4915112345678' OR 1=1",
            "+44 7911 123456 ext", "\u0000+4915112345678"})
    void refusesNonNumbers(String input) {
        assertThatThrownBy(() -> normalise(input, "DE", Set.of())).isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void refusesMissingAndOverlongInput() {
        assertThatThrownBy(() -> normalise(null, "DE", Set.of())).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> normalise("  ", "DE", Set.of())).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> normalise("+49" + "1".repeat(100), "DE", Set.of())).isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void allowedRegionsRestrictCountries() throws InvalidPhoneNumberException {
        assertThat(normalise("+4915112345678", null, Set.of("DE", "AT"))).isEqualTo("+4915112345678");
        assertThatThrownBy(() -> normalise("+14155552671", null, Set.of("DE", "AT")))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED));
    }

    @Test
    void premiumRateNumbersAreRefused() {
        // Premium-rate numbers are the classic SMS pumping target; libphonenumber knows a valid example per region.
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String premium = util.format(util.getExampleNumberForType("DE", PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE),
                PhoneNumberUtil.PhoneNumberFormat.E164);
        assertThatThrownBy(() -> normalise(premium, null, Set.of()))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED));
    }
}
