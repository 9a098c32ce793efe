package io.github.dropin.keycloak.settings;

import io.github.dropin.keycloak.store.ClientNetwork;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Optional;

/**
 * The realm-wide settings of the pack's shield against SMS pumping, bombing and guessing: how client addresses are
 * grouped into networks for every per-client limit, and the SMS budgets. Scope {@code shield}: realm attributes
 * {@code dropin.shield.<key>}, then the code engine's SPI options {@code --spi-one-time-code--default--<key>}, then
 * the defaults below. A budget of 0 is switched off.
 * <p>
 * The defaults suit a mid-sized deployment and break nothing that works: operators size the budgets to their own
 * traffic (the {@code WARN} and admin event when one is spent say which). Which numbers are texted at all is the
 * phone settings' {@code NumberPolicy}; cooldowns, the resend back-off and per-client
 * limits of codes are each code policy's ({@code CodePolicy}).
 */
public record ShieldSettings(int ipv4Prefix, int ipv6Prefix, int smsHourlyBudget, int smsDailyBudget,
                             int smsPrefixHourlyBudget, int smsPrefixDigits) {

    public static final String SCOPE = "shield";

    public static final String IPV4_PREFIX = "ipv4Prefix";
    public static final String IPV6_PREFIX = "ipv6Prefix";
    public static final String SMS_HOURLY_BUDGET = "smsHourlyBudget";
    public static final String SMS_DAILY_BUDGET = "smsDailyBudget";
    public static final String SMS_PREFIX_HOURLY_BUDGET = "smsPrefixHourlyBudget";
    public static final String SMS_PREFIX_DIGITS = "smsPrefixDigits";

    public static final ShieldSettings DEFAULTS = new ShieldSettings(ClientNetwork.DEFAULT_IPV4_PREFIX,
            ClientNetwork.DEFAULT_IPV6_PREFIX, 1000, 10000, 100, 3);

    /** The settings, as SPI option metadata of the code engine and the documentation's source of defaults. */
    public static final List<Setting> SETTINGS = List.of(
            Setting.integer(IPV4_PREFIX, DEFAULTS.ipv4Prefix(), "Per-client limits count IPv4 clients by network of "
                    + "this prefix length (32: each address on its own)."),
            Setting.integer(IPV6_PREFIX, DEFAULTS.ipv6Prefix(), "Per-client limits count IPv6 clients by network of "
                    + "this prefix length (64: one subscriber's usual allocation)."),
            Setting.integer(SMS_HOURLY_BUDGET, DEFAULTS.smsHourlyBudget(), "SMS the realm sends per clock hour; "
                    + "beyond it sending stops until the next hour (0: no budget)."),
            Setting.integer(SMS_DAILY_BUDGET, DEFAULTS.smsDailyBudget(), "SMS the realm sends per day (UTC); beyond "
                    + "it sending stops until the next day (0: no budget)."),
            Setting.integer(SMS_PREFIX_HOURLY_BUDGET, DEFAULTS.smsPrefixHourlyBudget(), "SMS per clock hour to one "
                    + "destination prefix (country calling code plus smsPrefixDigits digits) (0: no budget)."),
            Setting.integer(SMS_PREFIX_DIGITS, DEFAULTS.smsPrefixDigits(), "National digits after the country calling "
                    + "code that make a destination prefix (3: +49151 for +4915112345678)."));

    public static ShieldSettings of(RealmModel realm) {
        RealmSettings settings = RealmSettings.of(realm, SCOPE, RealmSettings.engineOptions());
        return new ShieldSettings(
                settings.getInt(IPV4_PREFIX, DEFAULTS.ipv4Prefix()),
                settings.getInt(IPV6_PREFIX, DEFAULTS.ipv6Prefix()),
                Math.max(0, settings.getInt(SMS_HOURLY_BUDGET, DEFAULTS.smsHourlyBudget())),
                Math.max(0, settings.getInt(SMS_DAILY_BUDGET, DEFAULTS.smsDailyBudget())),
                Math.max(0, settings.getInt(SMS_PREFIX_HOURLY_BUDGET, DEFAULTS.smsPrefixHourlyBudget())),
                Math.max(0, settings.getInt(SMS_PREFIX_DIGITS, DEFAULTS.smsPrefixDigits())));
    }

    /**
     * The network {@code clientIp} belongs to, as the key of per-client limits ({@link ClientNetwork}); a value that
     * is not a literal address stays as it is; {@code null} stays {@code null} (no per-client limit).
     */
    public String network(String clientIp) {
        if (clientIp == null) {
            return null;
        }
        Optional<String> network = ClientNetwork.of(clientIp, ipv4Prefix, ipv6Prefix);
        return network.orElse(clientIp);
    }
}
