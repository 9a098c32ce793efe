package io.github.dropin.keycloak.it.security;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Loopback;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Finding 1 of the security review: SMS bombing through token-auth registration. A registration names a phone number
 * and an email; if anything after the SMS fails, the request rolls back (the account and its unverified number
 * disappear), so the same number can be named again at once, and the SMS code's subject (the new account) is new
 * each time. Realm {@code realms/security.json}: the pack's default limits (20 codes per client address per hour,
 * 60 s cooldown, 5 per subject per hour).
 */
@KeycloakRealm("realms/security.json")
class RegistrationBombingIT {

    static final String REGISTER = "/token-auth/api/register/";
    static final String PASSWORD = "correct horse 42";
    static final String REGISTERED = "{\"success_message\":\"Successfully Registered. A verification code is sent to your "
            + "given Phone Number/Email. Please verify your Phone Number/Email.\"}";
    static final String UNAVAILABLE = "{\"detail\":\"Service temporarily unavailable, try again later.\"}";
    static final String INVALID_EMAIL = "{\"error_message\":{\"email\":[\"Enter a valid email address.\"]}}";
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;
    final MailServer mail;

    RegistrationBombingIT(TestRealm realm, SmsInbox inbox, MailServer mail) {
        this.realm = realm;
        this.inbox = inbox;
        this.mail = mail;
    }

    static String newUsername() {
        return "bomb" + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
    }

    static String newEmail() {
        return "person" + System.nanoTime() % 1_000_000_000L + "." + NEXT.incrementAndGet() + "@example.test";
    }

    static Map<String, Object> registration(String phone, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", newUsername());
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        body.put("email", email);
        return body;
    }

    Response register(int fromHost, Map<String, Object> body) {
        return Loopback.from(fromHost).contentType(ContentType.JSON).body(body).post(realm.realmUrl() + REGISTER);
    }

    /**
     * The attack as reported: the per-IP bucket (shared by all dialects of the realm) one short of its limit, then
     * registrations with the victim's number and an email. The phone code took the last slot, the email code was
     * refused, the request rolled back and gave the slot back although the SMS had gone out.
     */
    @Test
    void withThePerIpBucketOneShortNoRegistrationTextsTheNumber() {
        int host = 10;
        for (int i = 0; i < 19; i++) {
            register(host, registration(Phones.next(), "")).then().statusCode(200).body(equalTo(REGISTERED));
        }
        String victim = Phones.next();
        inbox.mark();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Response response = register(host, registration(victim, newEmail()));
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThat(response.asString()).startsWith("{\"detail\":\"Request was throttled. Expected available in ");
                assertThat(response.header("Retry-After")).isNotNull();
            }
        }
        assertThat(inbox.countSms(realm.name(), victim, QUIET)).as("SMS to the victim, answers %s", statuses).isZero();
        assertThat(statuses).containsOnly(429);
        assertThat(realm.admin().usersByAttribute("phoneNumber", victim)).isEmpty();
    }

    /**
     * The same number named by registrations whose email step fails (here: the realm's mail server is down), each
     * from another client address so that the per-IP limit is not what stops them.
     */
    @Test
    void registrationsWhoseEmailFailsDoNotTextTheNumberAgainAndAgain() {
        String victim = Phones.next();
        Map<String, Object> working = Map.of("host", "127.0.0.1", "port", Integer.toString(mail.port()),
                "from", "noreply@example.test");
        realm.admin().updateRealm(Map.of("smtpServer", Map.of("host", "127.0.0.1", "port", "1", "from", "noreply@example.test")));
        List<Integer> statuses = new ArrayList<>();
        try {
            inbox.mark();
            for (int i = 0; i < 12; i++) {
                Response response = register(20 + i, registration(victim, newEmail()));
                statuses.add(response.statusCode());
            }
        } finally {
            realm.admin().updateRealm(Map.of("smtpServer", working));
        }
        long sent = inbox.countSms(realm.name(), victim, QUIET);
        assertThat(sent).as("SMS to the victim, answers %s", statuses).isZero();
        assertThat(statuses).containsOnly(503);
        assertThat(realm.admin().usersByAttribute("phoneNumber", victim)).isEmpty();
    }

    /**
     * A message that went out keeps its limits even when the request then fails, and registration limits are kept per
     * email address too (not only per new account, which a failed registration rolls back): registrations naming one
     * address whose SMS step fails email that address once, then are throttled.
     */
    @Test
    void aSentEmailKeepsItsLimitsAndTheAddressIsLimitedAcrossRegistrations() {
        String email = newEmail();
        realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", "no-such-sender"));
        List<Response> responses = new ArrayList<>();
        try {
            inbox.mark();
            for (int i = 0; i < 6; i++) {
                responses.add(register(40 + i, registration(Phones.next(), email)));
            }
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", ""));
        }
        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertThat(mail.emailsTo(email)).as("emails, answers %s", statuses).hasSize(1);
        assertThat(statuses).containsExactly(503, 429, 429, 429, 429, 429);
        responses.get(0).then().body(equalTo(UNAVAILABLE));
        for (Response throttled : responses.subList(1, responses.size())) {
            assertThat(throttled.asString()).startsWith("{\"detail\":\"Request was throttled. Expected available in ");
            assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 60L);
        }
    }

    /** Addresses real SMTP servers refuse (RFC 5321: local part at most 64 octets, path at most 256) are invalid. */
    @Test
    void emailsThatSmtpServersRefuseAreInvalidBeforeAnythingIsSent() {
        String phone = Phones.next();
        String longLocalPart = "a".repeat(65) + "@example.test";
        inbox.mark();
        register(60, registration(phone, longLocalPart)).then().statusCode(400).body(equalTo(INVALID_EMAIL));
        String sixtyFour = "b".repeat(64) + "@example.test";
        register(60, registration(phone, sixtyFour)).then().statusCode(200).body(equalTo(REGISTERED));
        assertThat(inbox.countSms(realm.name(), phone, QUIET)).isEqualTo(1);
    }
}
