package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.store.Compensations;
import io.github.dropin.keycloak.testing.FakeKeycloak;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The engine against an in-memory single-use object store with the Infinispan implementation's contract (deferred
 * {@code put}, atomic {@code putIfAbsent}/{@code remove}, lifespans) and Keycloak's clock, moved with
 * {@link Time#setOffset}: every rule of SPEC §2.2 without a server and without waiting.
 */
class DefaultOneTimeCodeProviderTest {

    static final String IP = "203.0.113.7";
    static final String OTHER_IP = "198.51.100.23";
    static final CodeSubject PHONE = CodeSubject.phone("+4915112345678");
    static final CodeSubject OTHER_PHONE = CodeSubject.phone("+4915187654321");
    static final CodePurpose LOGIN = CodePurpose.LOGIN;
    /** 6 digits, 300 s, 5 attempts, and no cooldown, hourly caps or failure budget unless a test sets them. */
    static final CodePolicy OPEN = new CodePolicy(6, 300, 5, 0, 0, 0, 0, false);

    final FakeKeycloak keycloak = new FakeKeycloak();
    final RealmModel realm = keycloak.realm("realm-a");

    @AfterEach
    void resetClock() {
        Time.setOffset(0);
    }

    static void moveClock(int seconds) {
        Time.setOffset(Time.getOffset() + seconds);
    }

    OneTimeCodeProvider engine(KeycloakSession session) {
        return new DefaultOneTimeCodeProvider(session, keycloak::codeKey);
    }

    IssuedCode issue(CodeSubject subject, CodePolicy policy) throws Exception {
        return issue(realm, LOGIN, subject, policy, IP);
    }

    IssuedCode issue(RealmModel in, CodePurpose purpose, CodeSubject subject, CodePolicy policy, String ip) throws Exception {
        return keycloak.inRequest(s -> engine(s).issue(in, purpose, subject, policy, ip));
    }

    RateLimitedException refused(CodeSubject subject, CodePolicy policy, String ip) {
        RateLimitedException refused = catchThrowableOfType(RateLimitedException.class,
                () -> issue(realm, LOGIN, subject, policy, ip));
        assertThat(refused).as("issuing to %s from %s is refused", subject, ip).isNotNull();
        return refused;
    }

    Verification verify(CodeSubject subject, Object submitted, CodePolicy policy) throws Exception {
        return verify(realm, LOGIN, subject, submitted, policy);
    }

    Verification verify(RealmModel in, CodePurpose purpose, CodeSubject subject, Object submitted, CodePolicy policy)
            throws Exception {
        return keycloak.inRequest(s -> engine(s).verify(in, purpose, subject, submitted, policy));
    }

    boolean isPending(CodeSubject subject) throws Exception {
        return keycloak.inRequest(s -> engine(s).isPending(realm, LOGIN, subject));
    }

    Optional<CodeSubject> findSubject(Object submitted, CodePolicy policy) throws Exception {
        return keycloak.inRequest(s -> engine(s).findSubjectByCode(realm, LOGIN, submitted, policy));
    }

    /** A code of the same length that differs from {@code code} in its first digit. */
    static String wrong(String code) {
        return (char) ('0' + (code.charAt(0) - '0' + 1) % 10) + code.substring(1);
    }

    static Verification.Outcome outcome(Verification verification) {
        return verification.outcome();
    }

    @Nested
    class Expiry {

        @Test
        void aCodeIsPendingUntilTheEndOfItsLifetimeAndGoneAtIt() throws Exception {
            issue(PHONE, OPEN);
            moveClock(OPEN.lifetimeSeconds() - 1);
            assertThat(isPending(PHONE)).isTrue();
            moveClock(1);
            assertThat(isPending(PHONE)).isFalse();
            assertThat(outcome(verify(PHONE, "123456", OPEN))).isEqualTo(Verification.Outcome.NOT_FOUND);
        }

        @Test
        void aRightCodeVerifiesInTheLastSecondAndNotAfterwards() throws Exception {
            String early = issue(PHONE, OPEN).code();
            String late = issue(OTHER_PHONE, OPEN).code();
            moveClock(OPEN.lifetimeSeconds() - 1);
            assertThat(outcome(verify(PHONE, early, OPEN))).isEqualTo(Verification.Outcome.VALID);
            moveClock(1);
            Verification expired = verify(OTHER_PHONE, late, OPEN);
            assertThat(outcome(expired)).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(expired.guessed()).as("an expired code is not a guess").isFalse();
        }

        @Test
        void expiresAtIsTheIssueTimePlusTheLifetime() throws Exception {
            moveClock(1234);
            long before = Time.currentTime();
            IssuedCode issued = issue(PHONE, OPEN.withLifetime(120));
            long after = Time.currentTime();
            assertThat(issued.lifetimeSeconds()).isEqualTo(120);
            assertThat(issued.expiresAt()).isBetween(before + 120, after + 120);
        }

        @Test
        void nothingOfAnUnusedCodeOutlivesItsLifetimeExceptTheHourlyAndDailyCounts() throws Exception {
            CodePolicy policy = new CodePolicy(6, 60, 5, 30, 5, 0, 0, true);
            String code = issue(PHONE, policy).code();
            verify(PHONE, wrong(code), policy);
            moveClock(60);
            assertThat(keycloak.store().snapshot().keySet())
                    .as("after the lifetime only the hourly slot and the back-off's hourly count are left")
                    .hasSize(2).allMatch(k -> k.contains(":hs:") || k.contains(":bo:"));
        }
    }

    @Nested
    class Attempts {

        @Test
        void theCodeDiesAfterTheLastWrongTry() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 3, 0, 0, 0, 0, false);
            String code = issue(PHONE, policy).code();

            Verification first = verify(PHONE, wrong(code), policy);
            assertThat(first).isEqualTo(new Verification(Verification.Outcome.INVALID, 2, true));
            Verification second = verify(PHONE, "not a code", policy);
            assertThat(second).as("what cannot be a code is a wrong try too")
                    .isEqualTo(new Verification(Verification.Outcome.INVALID, 1, true));
            Verification last = verify(PHONE, wrong(code), policy);
            assertThat(last).isEqualTo(new Verification(Verification.Outcome.EXHAUSTED, 0, true));

            assertThat(isPending(PHONE)).isFalse();
            assertThat(outcome(verify(PHONE, code, policy))).isEqualTo(Verification.Outcome.NOT_FOUND);
        }

        @Test
        void theRightCodeStillVerifiesOnTheLastAttempt() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 3, 0, 0, 0, 0, false);
            String code = issue(PHONE, policy).code();
            verify(PHONE, wrong(code), policy);
            verify(PHONE, wrong(code), policy);
            assertThat(verify(PHONE, code, policy)).isEqualTo(new Verification(Verification.Outcome.VALID, 0, false));
        }

        @Test
        void aNewCodeHasAllItsAttemptsAndTheOldOneNoLongerVerifies() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 2, 0, 0, 0, 0, false);
            String old = issue(PHONE, policy).code();
            verify(PHONE, wrong(old), policy);
            String current = issue(PHONE, policy).code();
            if (!current.equals(old)) {
                assertThat(outcome(verify(PHONE, old, policy))).isEqualTo(Verification.Outcome.INVALID);
            }
            assertThat(outcome(verify(PHONE, current, policy))).isEqualTo(Verification.Outcome.VALID);
        }
    }

    @Nested
    class SingleUse {

        @Test
        void aRightCodeVerifiesOnceThenIsNotFound() throws Exception {
            String code = issue(PHONE, OPEN).code();
            assertThat(verify(PHONE, code, OPEN).isValid()).isTrue();
            Verification again = verify(PHONE, code, OPEN);
            assertThat(again).isEqualTo(new Verification(Verification.Outcome.NOT_FOUND, 0, false));
            assertThat(isPending(PHONE)).isFalse();
        }

        @Test
        void parallelVerificationsOfOneRightCodeGiveExactlyOneValid() throws Exception {
            int threads = 24;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 15; round++) {
                    CodeSubject subject = CodeSubject.user("user-" + round);
                    String code = issue(subject, OPEN).code();
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Verification>> results = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return verify(subject, code, OPEN);
                        }));
                    }
                    start.countDown();
                    List<Verification> outcomes = new ArrayList<>();
                    for (Future<Verification> result : results) {
                        outcomes.add(result.get(30, TimeUnit.SECONDS));
                    }
                    assertThat(outcomes).as("round %d", round).filteredOn(Verification::isValid).hasSize(1);
                    // The others found it used, or every attempt claimed by requests still comparing: none of them
                    // compared a wrong code, so none counts towards a brute-force lock.
                    assertThat(outcomes).filteredOn(v -> !v.isValid()).allSatisfy(v -> {
                        assertThat(v.outcome()).isIn(Verification.Outcome.NOT_FOUND, Verification.Outcome.EXHAUSTED);
                        assertThat(v.guessed()).isFalse();
                    });
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aRevokedCodeIsNotFound() throws Exception {
            String code = issue(PHONE, OPEN).code();
            keycloak.inRequest(s -> {
                engine(s).revoke(realm, LOGIN, PHONE);
                return null;
            });
            assertThat(isPending(PHONE)).isFalse();
            assertThat(outcome(verify(PHONE, code, OPEN))).isEqualTo(Verification.Outcome.NOT_FOUND);
        }

        @Test
        void aCodeVerifiesOnlyForItsRealmPurposeAndSubject() throws Exception {
            String code = issue(PHONE, OPEN).code();
            RealmModel other = keycloak.realm("realm-b");
            assertThat(outcome(verify(other, LOGIN, PHONE, code, OPEN))).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(outcome(verify(realm, CodePurpose.REGISTRATION, PHONE, code, OPEN))).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(outcome(verify(realm, LOGIN, OTHER_PHONE, code, OPEN))).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(outcome(verify(PHONE, code, OPEN))).isEqualTo(Verification.Outcome.VALID);
        }
    }

    @Nested
    class Cooldown {

        final CodePolicy policy = new CodePolicy(OPEN.length(), OPEN.lifetimeSeconds(), OPEN.maxAttempts(), 60, OPEN.hourlyLimitPerSubject(),
                OPEN.hourlyLimitPerIp(), OPEN.dailyFailureLimit(), OPEN.uniqueAmongPending());

        @Test
        void aSecondCodeWithinTheCooldownIsRefusedWithTheTimeLeft() throws Exception {
            String first = issue(PHONE, policy).code();

            RateLimitedException refused = refused(PHONE, policy, IP);
            assertThat(refused.limit()).isEqualTo(RateLimitedException.Limit.RESEND_COOLDOWN);
            assertThat(refused.retryAfterSeconds()).isBetween(59L, 60L);

            moveClock(45);
            assertThat(refused(PHONE, policy, IP).retryAfterSeconds()).isBetween(14L, 15L);
            assertThat(outcome(verify(PHONE, wrong(first), policy)))
                    .as("the refused request left the first code pending").isEqualTo(Verification.Outcome.INVALID);

            moveClock(15);
            String second = issue(PHONE, policy).code();
            assertThat(verify(PHONE, second, policy).isValid()).isTrue();
        }

        @Test
        void theCooldownIsPerSubjectAndPurpose() throws Exception {
            issue(PHONE, policy);
            issue(OTHER_PHONE, policy);
            issue(realm, CodePurpose.REGISTRATION, PHONE, policy, IP);
        }

        @Test
        void aSuccessfulVerificationLiftsTheCooldown() throws Exception {
            String code = issue(PHONE, policy).code();
            assertThat(verify(PHONE, code, policy).isValid()).isTrue();
            issue(PHONE, policy);
        }

        @Test
        void aRequestRefusedByTheCooldownUsesNoHourlySlot() throws Exception {
            // Without the back-off, which would make the third code wait longer than the cooldown.
            CodePolicy limited = new CodePolicy(6, 300, 5, 60, 2, 0, 0, false, 0, 0, "");
            issue(PHONE, limited);
            refused(PHONE, limited, IP);
            refused(PHONE, limited, IP);
            moveClock(60);
            issue(PHONE, limited);
            moveClock(60);
            assertThat(refused(PHONE, limited, IP).limit()).isEqualTo(RateLimitedException.Limit.SUBJECT_HOURLY);
        }
    }

    /** The SMS fraud shield's resend back-off and the limits per address (findings 1 and 6). */
    @Nested
    class BackoffAndAddresses {

        /** Cooldown 60 s, back-off up to 300 s, 10 codes per subject (and address) per hour. */
        final CodePolicy policy = new CodePolicy(6, 300, 5, 60, 10, 0, 0, false, 300, 0, "");
        final CodeSubject number = CodeSubject.phone("+4915112345678");

        IssuedCode issueTo(CodeSubject subject, CodeSubject address) throws Exception {
            return keycloak.inRequest(s -> engine(s).issue(realm, LOGIN, subject, address, policy, IP));
        }

        RateLimitedException refusedTo(CodeSubject subject, CodeSubject address) {
            RateLimitedException refused = catchThrowableOfType(RateLimitedException.class, () -> issueTo(subject, address));
            assertThat(refused).as("issuing to %s at %s is refused", subject, address).isNotNull();
            return refused;
        }

        @Test
        void eachNewCodeWithinTheHourWaitsTwiceAsLongUpToTheCap() throws Exception {
            issue(number, policy);
            moveClock(60);
            issue(number, policy);
            // The third waits 120 s after the second.
            moveClock(60);
            RateLimitedException third = refused(number, policy, IP);
            assertThat(third.limit()).isEqualTo(RateLimitedException.Limit.RESEND_BACKOFF);
            assertThat(third.retryAfterSeconds()).isEqualTo(60);
            moveClock(60);
            issue(number, policy);
            // The fourth 240 s, the fifth and later the cap of 300 s.
            moveClock(239);
            assertThat(refused(number, policy, IP).retryAfterSeconds()).isEqualTo(1);
            moveClock(1);
            issue(number, policy);
            moveClock(299);
            assertThat(refused(number, policy, IP).limit()).isEqualTo(RateLimitedException.Limit.RESEND_BACKOFF);
            moveClock(1);
            issue(number, policy);
        }

        @Test
        void aCodeUsedSuccessfullyLiftsTheWait() throws Exception {
            issue(number, policy);
            moveClock(60);
            String second = issue(number, policy).code();
            assertThat(verify(number, second, policy).isValid()).isTrue();
            issue(number, policy);
        }

        @Test
        void anHourAfterTheFirstCodeTheWaitsStartAfresh() throws Exception {
            issue(number, policy);
            moveClock(60);
            issue(number, policy);
            moveClock(3600);
            issue(number, policy);
            moveClock(60);
            issue(number, policy);
        }

        @Test
        void withoutTheBackoffOnlyTheCooldownApplies() throws Exception {
            CodePolicy plain = new CodePolicy(6, 300, 5, 60, 10, 0, 0, false, 0, 0, "");
            for (int i = 0; i < 4; i++) {
                issue(number, plain);
                moveClock(60);
            }
        }

        @Test
        void manySubjectsNamingOneAddressShareItsCooldownBackoffAndHourlyLimit() throws Exception {
            // Registrations of new accounts (a new subject each) naming one number.
            issueTo(CodeSubject.user("new-1/SMS"), number);
            RateLimitedException second = refusedTo(CodeSubject.user("new-2/SMS"), number);
            assertThat(second.limit()).isEqualTo(RateLimitedException.Limit.RESEND_COOLDOWN);
            moveClock(60);
            issueTo(CodeSubject.user("new-3/SMS"), number);
            moveClock(60);
            assertThat(refusedTo(CodeSubject.user("new-4/SMS"), number).limit())
                    .isEqualTo(RateLimitedException.Limit.RESEND_BACKOFF);
            // Another number is another address.
            issueTo(CodeSubject.user("new-5/SMS"), CodeSubject.phone("+4915187654321"));
        }

        @Test
        void theHourlyLimitCountsPerAddressWhateverTheSubject() throws Exception {
            CodePolicy twoPerHour = new CodePolicy(6, 300, 5, 0, 2, 0, 0, false, 0, 0, "");
            keycloak.inRequest(s -> engine(s).issue(realm, LOGIN, CodeSubject.user("a/SMS"), number, twoPerHour, IP));
            keycloak.inRequest(s -> engine(s).issue(realm, LOGIN, CodeSubject.user("b/SMS"), number, twoPerHour, IP));
            RateLimitedException third = catchThrowableOfType(RateLimitedException.class, () -> keycloak.inRequest(s ->
                    engine(s).issue(realm, LOGIN, CodeSubject.user("c/SMS"), number, twoPerHour, IP)));
            assertThat(third.limit()).isEqualTo(RateLimitedException.Limit.ADDRESS_HOURLY);
        }

        @Test
        void aRightCodeLiftsTheAddressCooldownToo() throws Exception {
            CodeSubject account = CodeSubject.user("acc/SMS");
            String code = issueTo(account, number).code();
            assertThat(verify(account, code, policy).isValid()).isTrue();
            issueTo(CodeSubject.user("other/SMS"), number);
        }
    }

    /** Finding 10: codes of different audiences (browser and direct grant) are not interchangeable. */
    @Nested
    class Audiences {

        final CodePolicy browser = new CodePolicy(6, 300, 3, 0, 0, 0, 0, false);
        final CodePolicy directGrant = new CodePolicy(6, 300, 5, 0, 0, 0, 0, false).withAudience("direct-grant");

        @Test
        void aCodeVerifiesOnlyForItsAudience() throws Exception {
            String code = issue(PHONE, browser).code();
            assertThat(outcome(verify(PHONE, code, directGrant))).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(verify(PHONE, code, browser).isValid()).isTrue();

            String granted = issue(PHONE, directGrant).code();
            assertThat(outcome(verify(PHONE, granted, browser))).isEqualTo(Verification.Outcome.NOT_FOUND);
            assertThat(verify(PHONE, granted, directGrant).isValid()).isTrue();
        }

        @Test
        void aCodeKeepsTheAttemptsOfThePolicyItWasIssuedWith() throws Exception {
            CodePolicy generous = new CodePolicy(6, 300, 9, 0, 0, 0, 0, false);
            String code = issue(PHONE, browser).code();
            verify(PHONE, wrong(code), generous);
            verify(PHONE, wrong(code), generous);
            assertThat(outcome(verify(PHONE, wrong(code), generous))).isEqualTo(Verification.Outcome.EXHAUSTED);
        }
    }

    /** Finding 10: a cap on pending unique codes. */
    @Nested
    class PendingCap {

        final CodePolicy capped = new CodePolicy(5, 600, 5, 0, 0, 0, 0, true, 0, 3, "");

        @Test
        void beyondTheCapIssuingIsRefusedForACodesLifetime() throws Exception {
            for (int i = 0; i < 3; i++) {
                issue(CodeSubject.user("cap-" + i + "/SMS"), capped);
            }
            RateLimitedException full = refused(CodeSubject.user("cap-3/SMS"), capped, IP);
            assertThat(full.limit()).isEqualTo(RateLimitedException.Limit.CODE_SPACE);
            assertThat(full.retryAfterSeconds()).isEqualTo(600);
        }

        @Test
        void aUsedCodeFreesItsPlace() throws Exception {
            CodeSubject first = CodeSubject.user("cap-a/SMS");
            String code = issue(first, capped).code();
            issue(CodeSubject.user("cap-b/SMS"), capped);
            issue(CodeSubject.user("cap-c/SMS"), capped);
            assertThat(verify(first, code, capped).isValid()).isTrue();
            issue(CodeSubject.user("cap-d/SMS"), capped);
        }

        @Test
        void aRolledBackIssueGivesItsPlaceBack() throws Exception {
            for (int i = 0; i < 3; i++) {
                CodeSubject subject = CodeSubject.user("rb-" + i + "/SMS");
                catchThrowable(() -> keycloak.inRequest(s -> {
                    engine(s).issue(realm, LOGIN, subject, capped, IP);
                    throw new IllegalStateException("the request fails after issuing");
                }));
            }
            for (int i = 0; i < 3; i++) {
                issue(CodeSubject.user("ok-" + i + "/SMS"), capped);
            }
        }
    }

    @Nested
    class HourlyCaps {

        @Test
        void perSubjectAndPurposeUntilTheHourHasPassed() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 5, 0, 3, 0, 0, false);
            for (int i = 0; i < 3; i++) {
                issue(PHONE, policy);
            }
            RateLimitedException refused = refused(PHONE, policy, IP);
            assertThat(refused.limit()).isEqualTo(RateLimitedException.Limit.SUBJECT_HOURLY);
            assertThat(refused.retryAfterSeconds()).isEqualTo(3600);

            issue(OTHER_PHONE, policy);
            issue(realm, CodePurpose.REGISTRATION, PHONE, policy, IP);

            moveClock(3599);
            assertThat(refused(PHONE, policy, OTHER_IP).limit()).isEqualTo(RateLimitedException.Limit.SUBJECT_HOURLY);
            moveClock(1);
            for (int i = 0; i < 3; i++) {
                issue(PHONE, policy);
            }
            refused(PHONE, policy, IP);
        }

        @Test
        void perClientIpAcrossSubjectsUntilTheHourHasPassed() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 5, 0, 0, 3, 0, false);
            for (int i = 0; i < 3; i++) {
                issue(realm, LOGIN, CodeSubject.user("u" + i), policy, IP);
            }
            RateLimitedException refused = refused(CodeSubject.user("u3"), policy, IP);
            assertThat(refused.limit()).isEqualTo(RateLimitedException.Limit.IP_HOURLY);
            assertThat(refused.retryAfterSeconds()).isEqualTo(3600);
            assertThat(catchThrowableOfType(RateLimitedException.class,
                    () -> issue(realm, CodePurpose.REGISTRATION, CodeSubject.user("u4"), policy, IP)))
                    .as("the per-IP cap spans purposes").isNotNull();

            issue(realm, LOGIN, CodeSubject.user("u3"), policy, OTHER_IP);
            issue(realm, LOGIN, CodeSubject.user("u5"), policy, null);

            moveClock(3600);
            issue(realm, LOGIN, CodeSubject.user("u3"), policy, IP);
        }

        @Test
        void aSlotClaimedBeforeALaterLimitRefusedIsGivenBack() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 5, 0, 2, 1, 0, false);
            issue(realm, LOGIN, PHONE, policy, IP);
            assertThat(refused(OTHER_PHONE, policy, IP).limit()).isEqualTo(RateLimitedException.Limit.IP_HOURLY);
            // OTHER_PHONE's subject slot was claimed before the IP cap refused; the rollback gave it back.
            issue(realm, LOGIN, OTHER_PHONE, policy, OTHER_IP);
            issue(realm, LOGIN, OTHER_PHONE, policy, "192.0.2.1");
            assertThat(refused(OTHER_PHONE, policy, "192.0.2.2").limit()).isEqualTo(RateLimitedException.Limit.SUBJECT_HOURLY);
        }

        @Test
        void verificationAttemptsPerClientIpCountEvenWhenTheRequestFails() throws Exception {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> keycloak.inRequest(s -> {
                    engine(s).countVerificationAttempt(realm, "verify", IP, 3);
                    throw new IllegalStateException("the request fails afterwards");
                })).hasMessage("the request fails afterwards");
            }
            RateLimitedException refused = catchThrowableOfType(RateLimitedException.class, () -> keycloak.inRequest(s -> {
                engine(s).countVerificationAttempt(realm, "verify", IP, 3);
                return null;
            }));
            assertThat(refused.limit()).isEqualTo(RateLimitedException.Limit.IP_VERIFY);
            keycloak.inRequest(s -> {
                engine(s).countVerificationAttempt(realm, "verify", OTHER_IP, 3);
                engine(s).countVerificationAttempt(realm, "other-scope", IP, 3);
                engine(s).countVerificationAttempt(realm, "verify", null, 3);
                return null;
            });
            moveClock(3600);
            keycloak.inRequest(s -> {
                engine(s).countVerificationAttempt(realm, "verify", IP, 3);
                return null;
            });
        }
    }

    @Nested
    class DailyFailureBudget {

        final CodePolicy policy = new CodePolicy(6, 300, 5, 0, 0, 0, 3, false);

        @Test
        void spansCodesAndOnceSpentComparesNoCodeAtAll() throws Exception {
            String first = issue(PHONE, policy).code();
            assertThat(outcome(verify(PHONE, wrong(first), policy))).isEqualTo(Verification.Outcome.INVALID);
            assertThat(outcome(verify(PHONE, wrong(first), policy))).isEqualTo(Verification.Outcome.INVALID);

            // A new code does not reset the budget: one wrong try is left of three.
            String second = issue(PHONE, policy).code();
            assertThat(verify(PHONE, wrong(second), policy)).isEqualTo(new Verification(Verification.Outcome.INVALID, 4, true));
            // Spent: the next try is not compared (so not counted as a guess) and the code dies.
            assertThat(verify(PHONE, wrong(second), policy)).isEqualTo(new Verification(Verification.Outcome.EXHAUSTED, 0, false));
            assertThat(outcome(verify(PHONE, second, policy))).as("the code died").isEqualTo(Verification.Outcome.NOT_FOUND);

            // Once spent, no code is compared at all, not even a new one, not even the right one (finding 6: before,
            // each new code bought one more comparison).
            String third = issue(PHONE, policy).code();
            assertThat(verify(PHONE, third, policy)).isEqualTo(new Verification(Verification.Outcome.EXHAUSTED, 0, false));
            assertThat(outcome(verify(PHONE, third, policy))).as("the code died").isEqualTo(Verification.Outcome.NOT_FOUND);

            // Other subjects have budgets of their own.
            String others = issue(OTHER_PHONE, policy).code();
            assertThat(outcome(verify(OTHER_PHONE, wrong(others), policy))).isEqualTo(Verification.Outcome.INVALID);
        }

        @Test
        void isRenewedAfterADay() throws Exception {
            for (int i = 0; i < 3; i++) {
                String code = issue(PHONE, policy).code();
                verify(PHONE, wrong(code), policy);
            }
            String spent = issue(PHONE, policy).code();
            assertThat(outcome(verify(PHONE, wrong(spent), policy))).isEqualTo(Verification.Outcome.EXHAUSTED);

            moveClock(86_399);
            String stillSpent = issue(PHONE, policy).code();
            assertThat(outcome(verify(PHONE, wrong(stillSpent), policy))).isEqualTo(Verification.Outcome.EXHAUSTED);
            moveClock(1);
            String renewed = issue(PHONE, policy).code();
            assertThat(outcome(verify(PHONE, wrong(renewed), policy))).isEqualTo(Verification.Outcome.INVALID);
        }
    }

    @Nested
    class UniquenessAmongPendingCodes {

        /** 4 digits, so 10 000 possible codes: 300 random ones would almost surely repeat without the rule. */
        final CodePolicy policy = new CodePolicy(4, 300, 5, 0, 0, 0, 0, true);

        @Test
        void noTwoPendingCodesAreEqualAndEachNamesItsSubject() throws Exception {
            Map<String, CodeSubject> owners = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                CodeSubject subject = CodeSubject.user("user-" + i + "/PHONE");
                String code = issue(subject, policy).code();
                assertThat(owners.put(code, subject)).as("code %s issued twice", code).isNull();
            }
            for (Map.Entry<String, CodeSubject> owner : owners.entrySet()) {
                assertThat(findSubject(owner.getKey(), policy)).contains(owner.getValue());
            }
        }

        /** Finding 10: a full code space is a limit like any other (a clean 429), not an exception (a 500). */
        @Test
        void aFullCodeSpaceIsRefusedAsALimitNotAsAnError() throws Exception {
            // Without the cap on pending codes, so that the space itself fills up.
            CodePolicy uncapped = new CodePolicy(4, 300, 5, 0, 0, 0, 0, true, 0, 0, "");
            Throwable refused = null;
            for (int i = 0; i <= 10_000 && refused == null; i++) {
                CodeSubject subject = CodeSubject.user("full-" + i + "/PHONE");
                refused = catchThrowable(() -> issue(subject, uncapped));
            }
            assertThat(refused).isInstanceOf(RateLimitedException.class);
            assertThat(((RateLimitedException) refused).limit().name()).isEqualTo("CODE_SPACE");
            assertThat(((RateLimitedException) refused).retryAfterSeconds()).isEqualTo(300);
        }

        @Test
        void findingTheSubjectNeitherConsumesTheCodeNorUsesAnAttempt() throws Exception {
            CodeSubject subject = CodeSubject.user("u1/EMAIL");
            String code = issue(subject, policy).code();
            for (int i = 0; i < 10; i++) {
                assertThat(findSubject(Integer.valueOf(code), policy)).contains(subject);
            }
            assertThat(verify(subject, code, policy)).isEqualTo(new Verification(Verification.Outcome.VALID, 0, false));
            assertThat(findSubject(code, policy)).as("a used code names no one").isEmpty();
        }

        @Test
        void aReplacedCodeNoLongerResolvesAlthoughItsIndexEntryLives() throws Exception {
            CodeSubject subject = CodeSubject.user("u1/PHONE");
            String old = issue(subject, policy).code();
            String current = issue(subject, policy).code();
            assertThat(current).as("the old code is still reserved").isNotEqualTo(old);

            assertThat(findSubject(old, policy)).isEmpty();
            assertThat(findSubject(current, policy)).contains(subject);
        }

        @Test
        void unknownExpiredAndMalformedCodesResolveToNoOne() throws Exception {
            CodeSubject subject = CodeSubject.user("u1/PHONE");
            String code = issue(subject, policy).code();
            assertThat(findSubject(wrong(code), policy)).isEmpty();
            assertThat(findSubject("12a4", policy)).isEmpty();
            assertThat(findSubject(null, policy)).isEmpty();
            Optional<CodeSubject> otherPurpose = keycloak.inRequest(s -> engine(s).findSubjectByCode(realm,
                    CodePurpose.REGISTRATION, code, policy));
            assertThat(otherPurpose).isEmpty();
            moveClock(300);
            assertThat(findSubject(code, policy)).isEmpty();
        }
    }

    @Nested
    class Normalisation {

        @Test
        void aCodeWithLeadingZerosVerifiesAsANumber() throws Exception {
            String code = codeWithLeadingZero(PHONE);
            assertThat(verify(PHONE, Integer.valueOf(code), OPEN).isValid()).isTrue();
            code = codeWithLeadingZero(PHONE);
            assertThat(verify(PHONE, Long.valueOf(code), OPEN).isValid()).isTrue();
            code = codeWithLeadingZero(PHONE);
            assertThat(verify(PHONE, new BigDecimal(Integer.parseInt(code)), OPEN).isValid()).isTrue();
            code = codeWithLeadingZero(PHONE);
            assertThat(verify(PHONE, BigInteger.valueOf(Integer.parseInt(code)), OPEN).isValid()).isTrue();
            code = codeWithLeadingZero(PHONE);
            assertThat(verify(PHONE, code.substring(1), OPEN).isValid()).as("a string without its leading zero").isTrue();
        }

        @Test
        void surroundingWhitespaceIsIgnoredButOtherCharactersAreNot() throws Exception {
            String code = issue(PHONE, OPEN).code();
            assertThat(outcome(verify(PHONE, code.substring(0, 3) + " " + code.substring(3), OPEN))).isEqualTo(Verification.Outcome.INVALID);
            assertThat(outcome(verify(PHONE, code + "0", OPEN))).isEqualTo(Verification.Outcome.INVALID);
            assertThat(outcome(verify(PHONE, 1.5, OPEN))).isEqualTo(Verification.Outcome.INVALID);
            assertThat(verify(PHONE, " " + code + "\t", OPEN).isValid()).isTrue();
        }

        @Test
        void theLengthACodeWasIssuedWithCountsNotTheCurrentPolicys() throws Exception {
            String code = issue(PHONE, withLength(OPEN, 8)).code();
            assertThat(code).hasSize(8);
            assertThat(verify(PHONE, code, withLength(OPEN, 6)).isValid()).isTrue();
        }

        private String codeWithLeadingZero(CodeSubject subject) throws Exception {
            // One code in ten starts with 0; 200 draws all missing has a probability of 0.9^200 (about 1e-9).
            for (int i = 0; i < 200; i++) {
                String code = issue(subject, OPEN).code();
                if (code.startsWith("0")) {
                    return code;
                }
            }
            throw new AssertionError("no code with a leading zero in 200 draws");
        }
    }

    @Nested
    class NothingInPlainText {

        @Test
        void theStoreHoldsNoCodePhoneNumberOrAddress() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 5, 60, 5, 20, 20, false);
            String code = issue(PHONE, policy).code();
            verify(PHONE, wrong(code), policy);
            keycloak.inRequest(s -> {
                engine(s).countVerificationAttempt(realm, "verify", IP, 10);
                return null;
            });

            assertThat(keycloak.store().size()).as("cooldown, its time, code, slots").isGreaterThanOrEqualTo(6);
            assertNotStored(code, wrong(code), PHONE.value(), PHONE.value().substring(1), IP);
        }

        @Test
        void theUniquenessIndexHoldsTheSubjectButNotTheCode() throws Exception {
            CodePolicy policy = new CodePolicy(6, 300, 5, 0, 0, 0, 0, true);
            CodeSubject subject = CodeSubject.user("3f1c7a52-user-id/PHONE");
            String code = issue(subject, policy).code();
            assertNotStored(code);
            // The index must give the subject back, so it keeps its value: a user id here, which is why callers of
            // unique codes name users rather than phone numbers or addresses.
            assertThat(keycloak.store().snapshot().values()).anySatisfy(notes -> assertThat(notes).containsEntry("value", subject.value()));
        }

        private void assertNotStored(String... secrets) {
            Map<String, Map<String, String>> stored = keycloak.store().snapshot();
            Set<String> texts = new HashSet<>(stored.keySet());
            stored.values().forEach(notes -> {
                texts.addAll(notes.keySet());
                texts.addAll(notes.values());
            });
            for (String text : texts) {
                for (String secret : secrets) {
                    assertThat(text).as("stored text").doesNotContain(secret);
                }
            }
        }
    }

    @Nested
    class RolledBackRequests {

        final CodePolicy policy = new CodePolicy(6, 300, 5, 60, 1, 1, 0, true);

        @Test
        void aRolledBackIssueLeavesNothingBehind() throws Exception {
            FakeKeycloak.Session request = keycloak.openSession();
            engine(request.session()).issue(realm, LOGIN, CodeSubject.user("u1"), policy, IP);
            assertThat(keycloak.store().size()).as("cooldown, slots and index are written at once").isPositive();
            request.rollback();

            assertThat(keycloak.store().snapshot()).isEmpty();
            assertThat(isPending(CodeSubject.user("u1"))).isFalse();
            // No cooldown, no used subject or IP slot.
            String code = issue(realm, LOGIN, CodeSubject.user("u1"), policy, IP).code();
            assertThat(verify(CodeSubject.user("u1"), code, policy).isValid()).isTrue();
        }

        @Test
        void aCommittedIssueKeepsItsCooldownAndSlots() throws Exception {
            FakeKeycloak.Session request = keycloak.openSession();
            engine(request.session()).issue(realm, LOGIN, CodeSubject.user("u1"), policy, IP);
            request.commit();

            assertThat(refused(CodeSubject.user("u1"), policy, OTHER_IP).limit()).isEqualTo(RateLimitedException.Limit.RESEND_COOLDOWN);
            assertThat(refused(CodeSubject.user("u2"), policy, IP).limit()).isEqualTo(RateLimitedException.Limit.IP_HOURLY);
        }

        @Test
        void undoNowGivesBackTheLimitsAtOnceWhileTheRequestGoesOn() throws Exception {
            FakeKeycloak.Session request = keycloak.openSession();
            engine(request.session()).issue(realm, LOGIN, CodeSubject.user("u1"), policy, IP);
            Compensations.of(request.session()).undoSince(0);
            request.commit();

            issue(realm, LOGIN, CodeSubject.user("u1"), policy, IP);
        }

        @Test
        void theCodeOfAnIssueIsVisibleToItsOwnRequestBeforeCommitAndToOthersOnlyAfter() throws Exception {
            FakeKeycloak.Session request = keycloak.openSession();
            OneTimeCodeProvider own = engine(request.session());
            own.issue(realm, LOGIN, PHONE, OPEN, IP);
            assertThat(own.isPending(realm, LOGIN, PHONE)).as("contains() reads the shared store").isFalse();
            assertThat(isPending(PHONE)).isFalse();
            request.commit();
            assertThat(isPending(PHONE)).isTrue();
        }
    }

    @Nested
    class Keys {

        /** Finding 10: codes no longer depend on the realm's HS512 token key; rotating or removing it changes nothing. */
        @Test
        void codesDoNotDependOnTheRealmsHmacKey() throws Exception {
            String code = issue(PHONE, OPEN).code();
            keycloak.removeHmacKey(realm);
            assertThat(verify(PHONE, code, OPEN).isValid()).isTrue();
        }

        @Test
        void theCodeKeyIsDerivedPerRealmFromTheSecret() {
            byte[] secret = new byte[32];
            java.util.Arrays.fill(secret, (byte) 7);
            assertThat(CodeSecret.derive(secret, "realm-a").getEncoded())
                    .isEqualTo(CodeSecret.derive(secret.clone(), "realm-a").getEncoded())
                    .isNotEqualTo(CodeSecret.derive(secret, "realm-b").getEncoded())
                    .isNotEqualTo(secret)
                    .hasSize(32);
        }

        @Test
        void keyedHashesAreStablePerRealmAndDifferAcrossRealms() throws Exception {
            RealmModel other = keycloak.realm("realm-b");
            String a1 = keycloak.inRequest(s -> engine(s).keyedHash(realm, "reset", "123456"));
            String a2 = keycloak.inRequest(s -> engine(s).keyedHash(realm, "reset", "123456"));
            String b = keycloak.inRequest(s -> engine(s).keyedHash(other, "reset", "123456"));
            assertThat(a1).isEqualTo(a2).isNotEqualTo(b).doesNotContain("123456");
        }
    }

    private static CodePolicy withLength(CodePolicy policy, int length) {
        return new CodePolicy(length, policy.lifetimeSeconds(), policy.maxAttempts(), policy.resendCooldown(),
                policy.hourlyLimitPerSubject(), policy.hourlyLimitPerIp(), policy.dailyFailureLimit(),
                policy.uniqueAmongPending());
    }
}
