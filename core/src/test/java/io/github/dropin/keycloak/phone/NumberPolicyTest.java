package io.github.dropin.keycloak.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SMS fraud shield's {@link NumberPolicy}: regions allowed and denied, number types, destination prefixes. */
class NumberPolicyTest {

    static final NumberPolicy DEFAULT = NumberPolicy.of("", "", NumberPolicy.DEFAULT_TYPES);

    static String example(String region, PhoneNumberType type) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        return util.format(util.getExampleNumberForType(region, type), PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /** An example number of {@code type} from the first region that has one. */
    static String anyExample(PhoneNumberType type) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        return util.getSupportedRegions().stream().sorted()
                .map(region -> util.getExampleNumberForType(region, type)).filter(java.util.Objects::nonNull).findFirst()
                .map(n -> util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164)).orElseThrow();
    }

    @Test
    void byDefaultMobilesAreTextedAndFixedLinesAreNot() {
        assertThat(DEFAULT.refusal("+4915112345678")).isEmpty();
        assertThat(DEFAULT.refusal(example("DE", PhoneNumberType.FIXED_LINE)))
                .contains(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
        assertThat(DEFAULT.refusal(example("GB", PhoneNumberType.TOLL_FREE)))
                .contains(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
    }

    /** Where libphonenumber cannot tell fixed from mobile (+1), refusing FIXED_LINE_OR_MOBILE would refuse all mobiles. */
    @Test
    void fixedLineOrMobileNumbersAreTextedByDefault() {
        String us = example("US", PhoneNumberType.MOBILE);
        assertThat(PhoneNumberUtil.getInstance().getNumberType(parse(us))).isEqualTo(PhoneNumberType.FIXED_LINE_OR_MOBILE);
        assertThat(DEFAULT.refusal(us)).isEmpty();
    }

    @Test
    void premiumRateAndSharedCostAreRefusedWhateverTheSettings() {
        NumberPolicy everything = NumberPolicy.of("", "", String.join(",", java.util.Arrays.stream(PhoneNumberType.values())
                .map(Enum::name).toList()));
        assertThat(everything.refusal(example("DE", PhoneNumberType.PREMIUM_RATE)))
                .contains(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
        assertThat(everything.refusal(anyExample(PhoneNumberType.SHARED_COST)))
                .contains(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
        assertThat(everything.refusal(example("DE", PhoneNumberType.FIXED_LINE))).isEmpty();
    }

    @Test
    void allowedAndDeniedRegions() {
        NumberPolicy europe = NumberPolicy.of("de, at ch", "", NumberPolicy.DEFAULT_TYPES);
        assertThat(europe.refusal("+4915112345678")).isEmpty();
        assertThat(europe.refusal(example("US", PhoneNumberType.MOBILE)))
                .contains(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED);

        NumberPolicy notGb = NumberPolicy.of("", "GB", NumberPolicy.DEFAULT_TYPES);
        assertThat(notGb.refusal("+4915112345678")).isEmpty();
        assertThat(notGb.refusal(example("GB", PhoneNumberType.MOBILE)))
                .contains(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED);

        NumberPolicy deniedWins = NumberPolicy.of("DE,GB", "GB", NumberPolicy.DEFAULT_TYPES);
        assertThat(deniedWins.refusal(example("GB", PhoneNumberType.MOBILE)))
                .contains(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED);
    }

    @Test
    void unknownTypeNamesNarrowRatherThanWiden() {
        NumberPolicy typo = NumberPolicy.of("", "", "MOBIL");
        assertThat(typo.refusal("+4915112345678")).contains(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
    }

    @Test
    void typedNumbersAreRefusedByThePolicyToo() {
        assertThatThrownBy(() -> LibPhoneNumberProviderFactory.normalise(example("DE", PhoneNumberType.FIXED_LINE), null, DEFAULT))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED));
    }

    @Test
    void aDestinationPrefixIsTheCountryCodeAndLeadingNationalDigits() {
        assertThat(NumberPolicy.prefix("+4915112345678", 3)).isEqualTo("+49151");
        assertThat(NumberPolicy.prefix("+4915112345678", 0)).isEqualTo("+49");
        assertThat(NumberPolicy.prefix("+14155552671", 3)).isEqualTo("+1415");
        assertThat(NumberPolicy.prefix("+4915112345678", 99)).isEqualTo("+4915112345678");
    }

    @Test
    void unparsableNumbersAreRefused() {
        assertThat(DEFAULT.refusal("not a number")).contains(InvalidPhoneNumberException.Reason.NOT_A_NUMBER);
        assertThat(DEFAULT.refusal("+999123456789")).isPresent();
    }

    private static com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parse(String e164) {
        try {
            return PhoneNumberUtil.getInstance().parse(e164, null);
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
