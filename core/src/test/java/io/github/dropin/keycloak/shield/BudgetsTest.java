package io.github.dropin.keycloak.shield;

import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.testing.FakeKeycloak;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link Budgets} on the in-memory store with Keycloak's clock: fixed windows, refusals until the next window, places
 * given back on rollback, checks that take nothing. (The alert needs a server; here it only logs that it could not
 * record its admin event.)
 */
class BudgetsTest {

    final FakeKeycloak keycloak = new FakeKeycloak();
    final RealmModel realm = keycloak.realm("realm-a");
    final Budget hourly = new Budget("sms/hourly", "SMS", 2, 3600, RateLimitedException.Limit.SMS_REALM_HOURLY);

    @AfterEach
    void resetClock() {
        Time.setOffset(0);
    }

    /** Moves the clock to the first second of the next hour. */
    static void startOfNextHour() {
        Time.setOffset(Time.getOffset() + (int) (3600 - Time.currentTime() % 3600));
    }

    static long secondsToNextHour() {
        return 3600 - Time.currentTime() % 3600;
    }

    Optional<String> claim(Budget budget) throws Exception {
        return keycloak.inRequest(s -> Budgets.of(s).claim(realm, budget, "203.0.113.7", true));
    }

    RateLimitedException refused(Budget budget) {
        RateLimitedException refused = catchThrowableOfType(RateLimitedException.class, () -> claim(budget));
        assertThat(refused).as("the budget refuses").isNotNull();
        return refused;
    }

    @Test
    void aSpentBudgetRefusesUntilTheNextWindow() throws Exception {
        startOfNextHour();
        claim(hourly);
        claim(hourly);
        Time.setOffset(Time.getOffset() + 600);
        // The real clock keeps running under the offset: on a loaded machine a second may pass during the claim.
        long atMost = secondsToNextHour();
        RateLimitedException refused = refused(hourly);
        long atLeast = secondsToNextHour();
        assertThat(refused.limit()).isEqualTo(RateLimitedException.Limit.SMS_REALM_HOURLY);
        assertThat(refused.retryAfterSeconds()).as("until the next window").isBetween(atLeast, atMost);
        assertThat(atMost).isLessThanOrEqualTo(3000);
        Time.setOffset(Time.getOffset() + (int) secondsToNextHour());
        assertThat(claim(hourly)).isPresent();
    }

    @Test
    void aRolledBackRequestGivesItsPlaceBack() throws Exception {
        startOfNextHour();
        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(IllegalStateException.class, () -> keycloak.inRequest(s -> {
                Budgets.of(s).claim(realm, hourly, null, true);
                throw new IllegalStateException("not sent");
            }));
        }
        claim(hourly);
        claim(hourly);
        refused(hourly);
    }

    @Test
    void aCheckTakesNoPlaceButRefusesLikeAClaim() throws Exception {
        startOfNextHour();
        for (int i = 0; i < 5; i++) {
            keycloak.inRequest(s -> {
                Budgets.of(s).check(realm, hourly, null);
                return null;
            });
        }
        claim(hourly);
        claim(hourly);
        assertThat(catchThrowableOfType(RateLimitedException.class, () -> keycloak.inRequest(s -> {
            Budgets.of(s).check(realm, hourly, null);
            return null;
        }))).isNotNull();
    }

    @Test
    void raisingASpentBudgetTakesEffectAtOnce() throws Exception {
        startOfNextHour();
        claim(hourly);
        claim(hourly);
        refused(hourly);
        Budget raised = new Budget("sms/hourly", "SMS", 3, 3600, RateLimitedException.Limit.SMS_REALM_HOURLY);
        assertThat(claim(raised)).isPresent();
        refused(raised);
    }

    @Test
    void aBudgetOfZeroIsOff() throws Exception {
        Budget off = new Budget("sms/hourly", "SMS", 0, 3600, RateLimitedException.Limit.SMS_REALM_HOURLY);
        for (int i = 0; i < 10; i++) {
            assertThat(claim(off)).isEmpty();
        }
    }

    @Test
    void budgetsArePerRealmAndName() throws Exception {
        startOfNextHour();
        claim(hourly);
        claim(hourly);
        Budget prefix = new Budget("sms/prefix/+49151", "SMS to +49151", 2, 3600, RateLimitedException.Limit.SMS_PREFIX_HOURLY);
        assertThat(claim(prefix)).isPresent();
        RealmModel other = keycloak.realm("realm-b");
        Optional<String> elsewhere = keycloak.inRequest(s -> Budgets.of(s).claim(other, hourly, null, true));
        assertThat(elsewhere).isPresent();
    }
}
