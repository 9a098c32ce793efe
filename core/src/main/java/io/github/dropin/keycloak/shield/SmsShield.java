package io.github.dropin.keycloak.shield;

import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.NumberPolicy;
import io.github.dropin.keycloak.settings.ShieldSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SMS fraud shield's checks of one message before it is sent (SMS pumping, toll fraud): the destination must be
 * a number the realm texts ({@link NumberPolicy}: regions, number types), and the realm's SMS budgets (per clock hour,
 * per UTC day, per destination prefix and clock hour, {@link ShieldSettings}) must have room. The per-address cooldown,
 * back-off and hourly limits and the per-network limit are the code engine's, claimed just before.
 * <p>
 * Budgets count only messages that are sent: a silent code (a number without an account gets one so that every number
 * sees the same answers) is {@linkplain Budgets#check checked} but takes no place, so that nobody can spend the
 * budget for free with made-up numbers; and a place taken for a message that then could not be sent goes back with
 * the request's rollback, while one that was sent stays taken (the caller's {@code Compensations.keep}).
 */
public final class SmsShield {

    private final RealmModel realm;
    private final Budgets budgets;
    private final ShieldSettings settings;

    private SmsShield(KeycloakSession session, RealmModel realm) {
        this.realm = realm;
        this.budgets = Budgets.of(session);
        this.settings = ShieldSettings.of(realm);
    }

    public static SmsShield of(KeycloakSession session, RealmModel realm) {
        return new SmsShield(session, realm);
    }

    /** Why the realm does not text {@code e164} (region, type), or empty. */
    public Optional<InvalidPhoneNumberException.Reason> refusal(String e164) {
        return NumberPolicy.of(realm).refusal(e164);
    }

    /**
     * Takes a place in every SMS budget for one message to {@code e164} (or, for a message not sent, checks that there
     * would be one), given back if the request rolls back.
     *
     * @return the places taken, to give back should the message fail after the request ({@link #release})
     * @throws RateLimitedException when a budget is spent; what was taken before goes back with the request's
     *                              compensations (which the caller undoes at once)
     */
    public List<String> claim(String e164, boolean send, String clientIp) throws RateLimitedException {
        List<String> taken = new ArrayList<>();
        for (Budget budget : budgets(e164)) {
            if (send) {
                budgets.claim(realm, budget, clientIp, true).ifPresent(taken::add);
            } else {
                budgets.check(realm, budget, clientIp);
            }
        }
        return taken;
    }

    /** Gives places back, e.g. in the background job of a message sent after the request that failed to go out. */
    public static void release(KeycloakSession session, List<String> places) {
        Budgets budgets = Budgets.of(session);
        places.forEach(budgets::release);
    }

    private List<Budget> budgets(String e164) {
        String prefix = NumberPolicy.prefix(e164, settings.smsPrefixDigits());
        return List.of(
                new Budget("sms/prefix/" + prefix, "SMS to " + prefix, settings.smsPrefixHourlyBudget(), 3600,
                        RateLimitedException.Limit.SMS_PREFIX_HOURLY),
                new Budget("sms/hourly", "SMS", settings.smsHourlyBudget(), 3600, RateLimitedException.Limit.SMS_REALM_HOURLY),
                new Budget("sms/daily", "SMS", settings.smsDailyBudget(), 86400, RateLimitedException.Limit.SMS_REALM_DAILY));
    }
}
