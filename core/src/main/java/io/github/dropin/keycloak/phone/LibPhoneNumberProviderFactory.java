package io.github.dropin.keycloak.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link PhoneNumberProvider} on Google's libphonenumber (shaded into the pack's jar).
 * <p>
 * Realm attributes {@code dropin.phone.defaultRegion} and {@code dropin.phone.allowedRegions} override the SPI
 * options of the same names. Premium-rate and shared-cost numbers are always refused: they are the usual target
 * of SMS pumping fraud and never a user's own phone.
 */
public class LibPhoneNumberProviderFactory implements PhoneNumberProviderFactory {

    public static final String PROVIDER_ID = "libphonenumber";
    public static final String SETTINGS_SCOPE = "phone";
    public static final String DEFAULT_REGION = "defaultRegion";
    public static final String ALLOWED_REGIONS = "allowedRegions";

    /** Longer input is not a phone number; refusing it early keeps the parser's work bounded. */
    static final int MAX_INPUT_LENGTH = 64;

    @Override
    public PhoneNumberProvider create(KeycloakSession session) {
        return this::toE164;
    }

    String toE164(RealmModel realm, String input) throws InvalidPhoneNumberException {
        RealmSettings settings = RealmSettings.of(realm, SETTINGS_SCOPE, Config.scope(PhoneNumberSpi.NAME, PROVIDER_ID));
        String region = settings.get(DEFAULT_REGION).map(r -> r.toUpperCase(Locale.ROOT)).orElse(null);
        Set<String> allowed = settings.get(ALLOWED_REGIONS)
                .map(v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank())
                        .map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet()))
                .orElse(Set.of());
        return normalise(input, region, allowed);
    }

    /** Pure parsing logic, unit-tested without Keycloak. */
    public static String normalise(String input, String defaultRegion, Set<String> allowedRegions)
            throws InvalidPhoneNumberException {
        if (input == null || input.isBlank()) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.MISSING);
        }
        String trimmed = input.strip();
        if (trimmed.length() > MAX_INPUT_LENGTH || !trimmed.matches("[+0-9 ()./\\-]+")) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.NOT_A_NUMBER);
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Phonenumber.PhoneNumber number;
        try {
            number = util.parse(trimmed, trimmed.startsWith("+") ? null : defaultRegion);
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.NOT_A_NUMBER);
        }
        if (!util.isValidNumber(number)) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.INVALID);
        }
        String region = util.getRegionCodeForNumber(number);
        if (!allowedRegions.isEmpty() && (region == null || !allowedRegions.contains(region))) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.REGION_NOT_ALLOWED);
        }
        PhoneNumberUtil.PhoneNumberType type = util.getNumberType(number);
        if (type == PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE || type == PhoneNumberUtil.PhoneNumberType.SHARED_COST) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.TYPE_NOT_ALLOWED);
        }
        return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(DEFAULT_REGION).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("ISO 3166 region (e.g. DE, US) assumed for numbers typed without a leading +. Empty: such numbers are refused.")
                .add()
                .property().name(ALLOWED_REGIONS).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated ISO 3166 regions whose numbers are accepted. Empty: all regions.")
                .add()
                .build();
    }
}
