package io.github.dropin.keycloak.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@link PhoneNumberProvider} on Google's libphonenumber (shaded into the pack's jar).
 * <p>
 * Realm attributes {@code dropin.phone.defaultRegion} and the {@link NumberPolicy} settings ({@code allowedRegions},
 * {@code deniedRegions}, {@code allowedNumberTypes}) override the SPI options of the same names. Premium-rate and
 * shared-cost numbers are always refused: they are the usual target of SMS pumping fraud and never a user's own
 * phone.
 */
public class LibPhoneNumberProviderFactory implements PhoneNumberProviderFactory {

    public static final String PROVIDER_ID = "libphonenumber";
    public static final String SETTINGS_SCOPE = "phone";
    public static final String DEFAULT_REGION = "defaultRegion";
    public static final String ALLOWED_REGIONS = NumberPolicy.ALLOWED_REGIONS;

    /** Longer input is not a phone number; refusing it early keeps the parser's work bounded. */
    static final int MAX_INPUT_LENGTH = 64;

    @Override
    public PhoneNumberProvider create(KeycloakSession session) {
        return this::toE164;
    }

    String toE164(RealmModel realm, String input) throws InvalidPhoneNumberException {
        RealmSettings settings = RealmSettings.of(realm, SETTINGS_SCOPE, Config.scope(PhoneNumberSpi.NAME, PROVIDER_ID));
        String region = settings.get(DEFAULT_REGION).map(r -> r.toUpperCase(Locale.ROOT)).orElse(null);
        return normalise(input, region, NumberPolicy.of(settings));
    }

    /**
     * Parsing with only an allowed-regions list and every number type but premium-rate and shared-cost; unit tests
     * of the parsing itself.
     */
    public static String normalise(String input, String defaultRegion, Set<String> allowedRegions)
            throws InvalidPhoneNumberException {
        return normalise(input, defaultRegion, NumberPolicy.anyType(allowedRegions));
    }

    /** Pure parsing logic under a {@link NumberPolicy}, unit-tested without Keycloak. */
    public static String normalise(String input, String defaultRegion, NumberPolicy policy)
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
        Optional<InvalidPhoneNumberException.Reason> refusal = policy.refusal(number);
        if (refusal.isPresent()) {
            throw new InvalidPhoneNumberException(refusal.get());
        }
        return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.text(DEFAULT_REGION, null, "ISO 3166 region (e.g. DE, US) assumed for numbers typed "
                + "without a leading +. Empty: such numbers are refused."));
        settings.addAll(NumberPolicy.SETTINGS);
        return Setting.metadata(settings);
    }
}
