package io.github.dropin.keycloak.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import org.keycloak.Config;
import org.keycloak.models.RealmModel;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which numbers a realm accepts and texts (part of the SMS fraud shield): regions (ISO 3166 codes) allowed and denied,
 * and the number types allowed. Applied twice: when a number is typed ({@link LibPhoneNumberProviderFactory}: a
 * refused number is an invalid number for every form, dialect and validator) and again before any SMS leaves
 * ({@code CodeService}), for numbers stored before the realm's settings changed.
 * <p>
 * Types are libphonenumber's. By default only {@code MOBILE} and {@code FIXED_LINE_OR_MOBILE} are texted: the second is
 * what libphonenumber answers where fixed and mobile numbers share one plan and cannot be told apart (the United States,
 * Canada and the rest of +1, China, ...), so refusing it would refuse those countries' mobiles. Premium-rate and
 * shared-cost numbers, the classic targets of SMS pumping and never a person's own phone, are refused whatever the
 * settings say.
 * <p>
 * Settings (scope {@code phone}: realm attributes {@code dropin.phone.<key>}, SPI options
 * {@code --spi-phone-number--libphonenumber--<key>}): {@value #ALLOWED_REGIONS}, {@value #DENIED_REGIONS},
 * {@value #ALLOWED_TYPES}.
 */
public final class NumberPolicy {

    public static final String ALLOWED_REGIONS = "allowedRegions";
    public static final String DENIED_REGIONS = "deniedRegions";
    public static final String ALLOWED_TYPES = "allowedNumberTypes";
    public static final String DEFAULT_TYPES = "MOBILE,FIXED_LINE_OR_MOBILE";

    /** Never texted, whatever the settings. */
    private static final Set<PhoneNumberType> NEVER = EnumSet.of(PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST);

    /** The settings of this policy, for the provider's SPI option metadata and the documentation. */
    public static final List<Setting> SETTINGS = List.of(
            Setting.text(ALLOWED_REGIONS, null, "Comma-separated ISO 3166 regions whose numbers are accepted and "
                    + "texted. Empty: all regions (less those denied)."),
            Setting.text(DENIED_REGIONS, null, "Comma-separated ISO 3166 regions whose numbers are refused even if "
                    + "allowed. Empty: none."),
            Setting.text(ALLOWED_TYPES, DEFAULT_TYPES, "Comma-separated libphonenumber number types that are accepted "
                    + "and texted (MOBILE, FIXED_LINE_OR_MOBILE, FIXED_LINE, VOIP, PERSONAL_NUMBER, PAGER, UAN, "
                    + "VOICEMAIL, TOLL_FREE, UNKNOWN). PREMIUM_RATE and SHARED_COST are always refused."));

    /**
     * {@code allowedRegions} (empty: all) and every type but premium-rate and shared-cost: what the pack accepted
     * before it had this policy.
     */
    static NumberPolicy anyType(Set<String> allowedRegions) {
        return new NumberPolicy(allowedRegions, Set.of(), EnumSet.allOf(PhoneNumberType.class));
    }

    private final Set<String> allowedRegions;
    private final Set<String> deniedRegions;
    private final Set<PhoneNumberType> allowedTypes;

    private NumberPolicy(Set<String> allowedRegions, Set<String> deniedRegions, Set<PhoneNumberType> allowedTypes) {
        this.allowedRegions = Set.copyOf(allowedRegions);
        this.deniedRegions = Set.copyOf(deniedRegions);
        EnumSet<PhoneNumberType> types = allowedTypes.isEmpty() ? EnumSet.noneOf(PhoneNumberType.class) : EnumSet.copyOf(allowedTypes);
        types.removeAll(NEVER);
        this.allowedTypes = types;
    }

    /** The realm's policy (realm attributes over the phone-number provider's SPI options over the defaults). */
    public static NumberPolicy of(RealmModel realm) {
        return of(RealmSettings.of(realm, LibPhoneNumberProviderFactory.SETTINGS_SCOPE,
                Config.scope(PhoneNumberSpi.NAME, LibPhoneNumberProviderFactory.PROVIDER_ID)));
    }

    static NumberPolicy of(RealmSettings settings) {
        return of(settings.get(ALLOWED_REGIONS).orElse(""), settings.get(DENIED_REGIONS).orElse(""),
                settings.get(ALLOWED_TYPES).orElse(DEFAULT_TYPES));
    }

    /**
     * A policy from its three settings as written (comma- or space-separated). Unknown type names are ignored, so a
     * typo narrows what is texted rather than widening it; a list of nothing but unknown names texts nothing.
     */
    public static NumberPolicy of(String allowedRegions, String deniedRegions, String allowedTypes) {
        Set<PhoneNumberType> types = EnumSet.noneOf(PhoneNumberType.class);
        for (String name : list(allowedTypes)) {
            Arrays.stream(PhoneNumberType.values()).filter(t -> t.name().equals(name)).findFirst().ifPresent(types::add);
        }
        return new NumberPolicy(list(allowedRegions), list(deniedRegions), types);
    }

    private static Set<String> list(String value) {
        return Arrays.stream(value.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Why {@code number} is refused, or empty if it may be used. */
    Optional<InvalidPhoneNumberException.Reason> refusal(Phonenumber.PhoneNumber number) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String region = util.getRegionCodeForNumber(number);
        if (region == null || deniedRegions.contains(region)
                || !allowedRegions.isEmpty() && !allowedRegions.contains(region)) {
            return Optional.of(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED);
        }
        if (!allowedTypes.contains(util.getNumberType(number))) {
            return Optional.of(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /** Why the E.164 number {@code e164} is refused, or empty if it may be texted. Unparsable numbers are invalid. */
    public Optional<InvalidPhoneNumberException.Reason> refusal(String e164) {
        try {
            Phonenumber.PhoneNumber number = PhoneNumberUtil.getInstance().parse(e164, null);
            return PhoneNumberUtil.getInstance().isValidNumber(number) ? refusal(number)
                    : Optional.of(InvalidPhoneNumberException.Reason.INVALID);
        } catch (NumberParseException e) {
            return Optional.of(InvalidPhoneNumberException.Reason.NOT_A_NUMBER);
        }
    }

    /**
     * The destination prefix of an E.164 number for per-prefix budgets: {@code +}, the country calling code and the
     * first {@code digits} digits of the national number ({@code +49151} for {@code +4915112345678} and 3 digits).
     * Numbers that do not parse are their own prefix.
     */
    public static String prefix(String e164, int digits) {
        try {
            Phonenumber.PhoneNumber number = PhoneNumberUtil.getInstance().parse(e164, null);
            String national = PhoneNumberUtil.getInstance().getNationalSignificantNumber(number);
            return "+" + number.getCountryCode() + national.substring(0, Math.min(Math.max(0, digits), national.length()));
        } catch (NumberParseException e) {
            return e164;
        }
    }
}
