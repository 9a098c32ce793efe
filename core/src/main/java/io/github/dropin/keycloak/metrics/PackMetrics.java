package io.github.dropin.keycloak.metrics;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.code.Verification;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The pack's meters, in Micrometer's global registry: Keycloak adds its Prometheus registry there and serves it at
 * {@code /metrics} on the management port when started with {@code --metrics-enabled=true}; without it the meters
 * count into an empty registry and cost next to nothing. Names, labels and meaning are listed in
 * {@code docs/operations.md#metrics}; {@code docker/grafana/} has a dashboard of them.
 * <p>
 * Every label value comes from a bounded set by construction, so that no request can make new time series: realm
 * names (created by administrators), provider and dialect ids and route templates (defined in code), enum constants
 * (purpose, outcome, limit, failure category, shield rule), ISO region codes, HTTP methods and status classes. Never
 * a phone number, an address, a user, a raw path or anything else a caller sends.
 * <p>
 * A metric must never break what it measures: every method swallows (and logs once at DEBUG) what the registry
 * throws.
 */
public final class PackMetrics {

    /** Counter: SMS handed to a sender that accepted them. Labels realm, sender, region, purpose. */
    public static final String SMS_SENT = "dropin.sms.sent";
    /** Counter: SMS that could not be sent. Labels realm, sender, region, purpose, category. */
    public static final String SMS_FAILED = "dropin.sms.failed";
    /** Timer with histogram buckets: time the sender took, whatever came of it. Labels realm, sender, outcome. */
    public static final String SMS_SEND = "dropin.sms.send";
    /** Counter: codes issued by requests that succeeded (silent codes included). Labels realm, purpose, flow. */
    public static final String CODES_ISSUED = "dropin.codes.issued";
    /** Counter: submitted codes checked, by outcome. Labels realm, purpose, flow, outcome. */
    public static final String CODES_CHECKED = "dropin.codes.checked";
    /** Counter: code requests and guesses a limit refused. Labels realm, purpose, flow, limit. */
    public static final String CODES_THROTTLED = "dropin.codes.throttled";
    /** Counter: fraud-shield rules that tripped (a budget spent, a destination refused). Labels realm, rule. */
    public static final String SHIELD_TRIPS = "dropin.shield.trips";
    /** Timer without histogram: dialect requests, answered. Labels dialect, route, method, status. */
    public static final String DIALECT_REQUESTS = "dropin.dialect.requests";

    /** {@link #CODES_CHECKED} outcome of a right code that was used. */
    public static final String VERIFIED = "verified";
    /** {@link #CODES_CHECKED} outcome of a wrong code; the pending code stays usable. */
    public static final String WRONG = "wrong";
    /** {@link #CODES_CHECKED} outcome when no code was pending (never sent, expired, used). */
    public static final String EXPIRED = "expired";
    /** {@link #CODES_CHECKED} outcome when no tries were left, or a right code that may not be used. */
    public static final String EXHAUSTED = "exhausted";
    /** {@link #CODES_CHECKED} outcome for an account Keycloak's brute-force detector locked, right code or not. */
    public static final String LOCKED = "locked";

    /** Label value of a code check counted against a budget of every purpose (the per-IP guess budget). */
    public static final String ANY_PURPOSE = "any";
    /** Label value where no better one is known (a region libphonenumber cannot place, an unknown sender id). */
    public static final String UNKNOWN = "unknown";
    /** Route label of a dialect request that matched no route. */
    public static final String UNMATCHED = "unmatched";

    /**
     * Upper bounds of the send-latency histogram's buckets: from a local gateway (tens of milliseconds) to the
     * senders' longest read timeout. Fixed, so that the series per sender stay few and dashboards of several nodes
     * add up.
     */
    static final Duration[] SEND_BUCKETS = {
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final Logger LOG = Logger.getLogger(PackMetrics.class);
    /** Rule and id labels: lower-case words, as enum constants and provider ids are written. */
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Map<String, String> FLOW_BY_EVENT = Map.of(
            EventType.LOGIN.name(), "browser",
            EventType.REGISTER.name(), "registration",
            EventType.RESET_PASSWORD.name(), "reset-credentials",
            EventType.CUSTOM_REQUIRED_ACTION.name(), "required-action",
            EventType.UPDATE_PROFILE.name(), "required-action");

    private PackMetrics() {
    }

    // ---------------------------------------------------------------- SMS

    /**
     * An SMS the sender accepted.
     *
     * @param sender   the sender's provider id ({@link #senderLabel}), never a configured string as is
     * @param to       the E.164 destination; only its ISO region becomes a label
     * @param duration how long the sender took
     */
    public static void smsSent(RealmModel realm, String sender, String to, CodePurpose purpose, Duration duration) {
        guarded(() -> {
            MeterRegistry registry = Metrics.globalRegistry;
            Counter.builder(SMS_SENT).description("SMS handed to a sender that accepted them")
                    .tags("realm", realm.getName(), "sender", sender, "region", region(to), "purpose", purpose.id())
                    .register(registry).increment();
            sendTimer(realm, sender, "sent").record(duration);
        });
    }

    /**
     * An SMS that could not be sent, with its failure category ({@link DeliveryException.Reason}).
     *
     * @param duration how long the sender took before it failed, {@code null} when no sender was reached
     *                 (misconfiguration found before sending), which then adds nothing to the latency histogram
     */
    public static void smsFailed(RealmModel realm, String sender, String to, CodePurpose purpose,
                                 DeliveryException.Reason category, Duration duration) {
        guarded(() -> {
            Counter.builder(SMS_FAILED).description("SMS that could not be sent, by failure category")
                    .tags("realm", realm.getName(), "sender", sender, "region", region(to), "purpose", purpose.id(),
                            "category", lower(category))
                    .register(Metrics.globalRegistry).increment();
            if (duration != null) {
                sendTimer(realm, sender, "failed").record(duration);
            }
        });
    }

    private static Timer sendTimer(RealmModel realm, String sender, String outcome) {
        return Timer.builder(SMS_SEND).description("Time SMS senders took per message")
                .tags("realm", realm.getName(), "sender", sender, "outcome", outcome)
                .serviceLevelObjectives(SEND_BUCKETS)
                .register(Metrics.globalRegistry);
    }

    /**
     * The sender label for a configured sender id: the id when it names an installed sender, {@value #UNKNOWN}
     * otherwise (a realm attribute with a typo must not make a series per typo).
     *
     * @param installed whether {@code id} is an installed sender's provider id
     */
    public static String senderLabel(String id, boolean installed) {
        return id != null && installed && WORD.matcher(id).matches() ? id : UNKNOWN;
    }

    /**
     * The ISO 3166 region of an E.164 number ({@code DE}), {@code 001} for non-geographic numbers, else unknown: at
     * most the 250 or so regions libphonenumber knows.
     */
    static String region(String e164) {
        if (e164 == null || !e164.startsWith("+")) {
            return UNKNOWN;
        }
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            Phonenumber.PhoneNumber number = util.parse(e164, "ZZ");
            String region = util.getRegionCodeForNumber(number);
            if (region == null || region.equals("ZZ")) {
                // A number no region claims (a test range, say): the main region of its country code.
                region = util.getRegionCodeForCountryCode(number.getCountryCode());
            }
            return region == null || region.equals("ZZ") ? UNKNOWN : region;
        } catch (NumberParseException e) {
            return UNKNOWN;
        }
    }

    // ---------------------------------------------------------------- codes

    /**
     * Codes issued by a request that succeeded, one per delivery (silent ones included: they are issued like the
     * others and texted to nobody).
     *
     * @param event the request's event, which tells the dialect or flow ({@link #flow})
     */
    public static void codesIssued(RealmModel realm, CodePurpose purpose, EventBuilder event, int count) {
        guarded(() -> Counter.builder(CODES_ISSUED).description("One-time codes issued by requests that succeeded")
                .tags("realm", realm.getName(), "purpose", purpose.id(), "flow", flow(event))
                .register(Metrics.globalRegistry).increment(count));
    }

    /** A right code, used. */
    public static void codeVerified(RealmModel realm, CodePurpose purpose, EventBuilder event) {
        codeChecked(realm, purpose.id(), event, VERIFIED);
    }

    /**
     * A submitted code that did not verify, or did but may not be used.
     *
     * @param found  what the engine found; a right code that may not be used ({@code VALID} here: a silent code, a
     *               locked account) counts as {@value #EXHAUSTED}, as the caller answers it
     * @param locked whether the account is locked by the brute-force detector: {@value #LOCKED} whatever the code
     */
    public static void codeRefused(RealmModel realm, CodePurpose purpose, EventBuilder event,
                                   Verification.Outcome found, boolean locked) {
        String outcome = locked ? LOCKED : switch (found) {
            case INVALID -> WRONG;
            case NOT_FOUND -> EXPIRED;
            case EXHAUSTED, VALID -> EXHAUSTED;
        };
        codeChecked(realm, purpose.id(), event, outcome);
    }

    private static void codeChecked(RealmModel realm, String purpose, EventBuilder event, String outcome) {
        guarded(() -> Counter.builder(CODES_CHECKED).description("Submitted one-time codes, by outcome")
                .tags("realm", realm.getName(), "purpose", purpose, "flow", flow(event), "outcome", outcome)
                .register(Metrics.globalRegistry).increment());
    }

    /**
     * A code request, or a guess counted against a budget, that a limit refused.
     *
     * @param purpose the request's purpose; {@code null} for a budget of every purpose ({@value #ANY_PURPOSE})
     */
    public static void codeThrottled(RealmModel realm, CodePurpose purpose, EventBuilder event,
                                     RateLimitedException.Limit limit) {
        guarded(() -> Counter.builder(CODES_THROTTLED).description("Code requests and guesses refused by a limit")
                .tags("realm", realm.getName(), "purpose", purpose == null ? ANY_PURPOSE : purpose.id(),
                        "flow", flow(event), "limit", lower(limit))
                .register(Metrics.globalRegistry).increment());
    }

    /**
     * The dialect or login flow a request came through, from its event: the {@code dialect} detail the dialects add,
     * else the direct grant's markers, else the event type of Keycloak's flow (browser sign-in, registration, reset
     * credentials, required actions). A fixed set of values besides the dialects' ids.
     */
    static String flow(EventBuilder builder) {
        return flow(builder == null ? null : builder.getEvent());
    }

    static String flow(Event event) {
        if (event == null) {
            return "other";
        }
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String dialect = details.get("dialect");
        if (dialect != null) {
            return WORD.matcher(dialect).matches() ? dialect : "other";
        }
        if ("sms-code-request".equals(details.get(Details.AUTH_METHOD)) || details.containsKey(Details.GRANT_TYPE)) {
            return "direct-grant";
        }
        if (details.containsKey(Details.CUSTOM_REQUIRED_ACTION)) {
            return "required-action";
        }
        return event.getType() == null ? "other" : FLOW_BY_EVENT.getOrDefault(event.getType().name(), "other");
    }

    // ---------------------------------------------------------------- fraud shield

    /**
     * A fraud-shield rule that tripped: a budget found spent, a destination refused. For the shield
     * ({@code core/.../shield/}): call it once per refusal, with the rule as an enum constant (e.g. the
     * {@link RateLimitedException.Limit} a spent budget reports, or the reason a destination was refused), never
     * with a budget's key or a number prefix: the constant's lower-case name is the label.
     */
    public static void shieldTrip(RealmModel realm, Enum<?> rule) {
        guarded(() -> Counter.builder(SHIELD_TRIPS).description("Fraud-shield rules that refused a message")
                .tags("realm", realm.getName(), "rule", lower(rule))
                .register(Metrics.globalRegistry).increment());
    }

    // ---------------------------------------------------------------- dialects

    /**
     * One answered dialect request.
     *
     * @param route  the matched route's template ({@code auth/api/verify}, {@code api/v1/users/{id}}), {@code null}
     *               when no route matched ({@value #UNMATCHED}); never the request's path
     * @param method the HTTP method the dispatcher served (one of its fixed set)
     * @param status the answer's status; only its class ({@code 2xx}) becomes a label
     */
    public static void dialectRequest(String dialect, String route, String method, int status, long nanos) {
        guarded(() -> Timer.builder(DIALECT_REQUESTS).description("Dialect requests answered, and their time")
                .tags("dialect", dialect, "route", route == null ? UNMATCHED : "/" + route, "method", method,
                        "status", statusClass(status))
                .register(Metrics.globalRegistry).record(nanos, TimeUnit.NANOSECONDS));
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : UNKNOWN;
    }

    // ---------------------------------------------------------------- helpers

    private static String lower(Enum<?> value) {
        return value == null ? UNKNOWN : value.name().toLowerCase(Locale.ROOT);
    }

    private static void guarded(Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not record a metric");
        }
    }
}
