package io.github.dropin.keycloak.it.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.badinput.DialectCatalog.DialectInfo;
import io.github.dropin.keycloak.it.badinput.Probe.Expect;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §2.5 and §5 "Bad input", for every endpoint of every dialect: the endpoints are discovered from the dialects'
 * route tables ({@link DialectCatalog}), the requests generated from them ({@link ProbeGenerator}, at least
 * {@value ProbeGenerator#MINIMUM_PROBES}), and every answer must be
 * <ul>
 *     <li>never a 5xx (nor a redirect, nor no answer at all);</li>
 *     <li>a 4xx whose body is JSON in the dialect's own error shape ({@link ErrorShapes}), except where the request
 *     is beyond the HTTP server's own limits;</li>
 *     <li>a 2xx only where the generated input may actually be valid;</li>
 * </ul>
 * and Keycloak's state must be the same afterwards: the users with their attributes, their credentials and their
 * sessions. The realm ({@code realms/bad-input.json}) has one user whose username, email and phone the generated
 * requests reuse, a password policy no generated password passes, and every dialect's client. Its passwords are
 * hashed with one PBKDF2 iteration: thousands of the generated requests check a password (and unknown usernames cost
 * a dummy hash), which with the default argon2 would take minutes of the build and test nothing more.
 *
 * <p>The closing line gives the count sent and the count per status; the full report is written to
 * {@code target/bad-input-report.txt}. A new dialect needs its OIDC client in the fixture (a dialect without its
 * client answers 503), and an entry in {@link ErrorShapes} if its errors are not Django REST framework's.
 */
@KeycloakRealm("realms/bad-input.json")
class BadInputIT {

    private static final int THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USERNAME = "bad-input-user";

    @BeforeAll
    static void givePasswordTheSeededUser(TestRealm realm) {
        // A password the realm policy accepts, so that the user has a credential to keep; no generated value matches it.
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String userId = realm.admin().userByUsername(USERNAME).orElseThrow().path("id").asText();
        realm.admin().resetPassword(userId, "Seeded-" + HexFormat.of().formatHex(random));
    }

    @Test
    void everyEndpointAnswersGeneratedBadInputWithA4xxInItsOwnShapeAndChangesNothing(TestRealm realm) throws Exception {
        List<DialectInfo> dialects = DialectCatalog.discover();
        assertThat(dialects).extracting(DialectInfo::id)
                .contains("email-signup", "jwt-auth", "phone-otp", "token-auth", "users-api");
        JsonNode user = realm.admin().userByUsername(USERNAME).orElseThrow();
        ProbeGenerator.Seed seed = new ProbeGenerator.Seed("/realms/" + realm.name(), USERNAME,
                user.path("email").asText(), user.path("attributes").path("phoneNumber").path(0).asText(),
                user.path("id").asText());
        assertThat(ProbeGenerator.fieldsWithoutNamedValue(dialects, seed))
                .as("fields without a plausible value of their own in ProbeGenerator.namedValues").isEmpty();
        List<Probe> probes = ProbeGenerator.generate(dialects, seed);
        Map<String, Object> before = snapshot(realm);

        Results results = send(URI.create(realm.serverUrl()), probes);

        Map<String, Object> after = snapshot(realm);
        String report = results.report(dialects, probes.size()) + "\n  plausible values by field: "
                + ProbeGenerator.fieldDefaults(dialects, seed);
        System.out.println(report);
        Files.writeString(Path.of("target", "bad-input-report.txt"), report + "\n" + results.problemDetails());

        assertThat(results.sent.sum()).as("requests sent").isGreaterThanOrEqualTo(10_000);
        assertThat(results.problems).as("answers that break SPEC §2.5 (see target/bad-input-report.txt):\n%s",
                results.problemDetails()).isEmpty();
        assertThat(after).as("users, credentials and sessions after the run").isEqualTo(before);
    }

    // ---------------------------------------------------------------- sending

    /** What came back, counted. */
    static final class Results {
        final LongAdder sent = new LongAdder();
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        final Map<String, Map<Integer, LongAdder>> byDialect = new ConcurrentHashMap<>();
        final LongAdder accepted = new LongAdder();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final Map<String, AtomicInteger> problemKinds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> keycloakDefects = new ConcurrentHashMap<>();

        /** A 5xx that Keycloak's own endpoint gives to the same request: not the pack's to fix, but listed. */
        void keycloakDefect(Probe probe, String shown) {
            keycloakDefects.computeIfAbsent(probe.what() + " -> " + shown, k -> new AtomicInteger()).incrementAndGet();
        }

        void record(Probe probe, int status) {
            sent.increment();
            byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
            byDialect.computeIfAbsent(probe.dialect(), d -> new ConcurrentHashMap<>())
                    .computeIfAbsent(status, s -> new LongAdder()).increment();
            if (status / 100 == 2) {
                accepted.increment();
            }
        }

        void problem(Probe probe, String kind, String detail) {
            // Grouped by kind, endpoint and mutation family, a few examples each: a bug shows up once, not 300 times.
            String family = probe.what().replaceAll("U\\+[0-9A-F]{4}", "U+XXXX").replaceAll("\\d+", "N");
            String group = kind + " | " + probe.dialect() + " " + probe.endpoint() + " | " + family;
            if (problemKinds.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet() <= 2) {
                problems.add(group + "\n      " + probe + "\n      -> " + detail);
            }
        }

        String report(List<DialectInfo> dialects, int generated) {
            StringBuilder out = new StringBuilder("BAD-INPUT: sent ").append(sent.sum()).append(" of ").append(generated)
                    .append(" generated requests to ");
            int endpoints = dialects.stream().mapToInt(d -> d.routes().stream().mapToInt(r -> r.methods().size()).sum()).sum();
            out.append(endpoints).append(" endpoints of ").append(dialects.size()).append(" dialect(s) ")
                    .append(dialects.stream().map(DialectInfo::id).toList()).append("; answers by status: ")
                    .append(counts(byStatus)).append("; 2xx (input that may be valid): ").append(accepted.sum())
                    .append("; problems: ").append(problemKinds.values().stream().mapToInt(AtomicInteger::get).sum());
            keycloakDefects.forEach((what, count) -> out.append("\n  Keycloak itself (its own token endpoint answers the same): ")
                    .append(count.get()).append(" x ").append(what));
            new TreeMap<>(byDialect).forEach((dialect, counts) ->
                    out.append("\n  ").append(dialect).append(": ").append(counts(counts)));
            return out.toString();
        }

        String problemDetails() {
            return problems.isEmpty() ? "(none)" : String.join("\n", problems);
        }

        private static String counts(Map<Integer, LongAdder> counts) {
            Map<Integer, Long> sorted = new TreeMap<>();
            counts.forEach((status, count) -> sorted.put(status, count.sum()));
            return sorted.toString();
        }
    }

    private static Results send(URI server, List<Probe> probes) throws Exception {
        Results results = new Results();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        ThreadLocal<RawHttp> clients = ThreadLocal.withInitial(() -> new RawHttp(server.getHost(), server.getPort()));
        java.util.Set<RawHttp> all = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Probe probe : probes) {
                futures.add(pool.submit(() -> {
                    RawHttp http = clients.get();
                    all.add(http);
                    check(probe, http, results);
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            all.forEach(RawHttp::close);
        }
        return results;
    }

    private static void check(Probe probe, RawHttp http, Results results) {
        RawHttp.Answer answer;
        try {
            answer = http.send(probe.method(), probe.target(), probe.headers(), probe.body());
        } catch (IOException | RuntimeException e) {
            http.close();
            results.sent.increment();
            results.problem(probe, "no answer", e.toString());
            return;
        }
        int status = answer.status();
        results.record(probe, status);
        String shown = status + " " + ProbeGenerator.abbreviate(answer.text());
        if (probe.expect() == Expect.KEYCLOAK_LAYER) {
            checkAgainstKeycloak(probe, http, results, status, shown);
        } else if (status >= 500) {
            results.problem(probe, "5xx", shown);
        } else if (status < 200 || (status >= 300 && status < 400)) {
            results.problem(probe, "unexpected status", shown);
        } else if (status < 300) {
            if (probe.expect() == Expect.REJECTED) {
                results.problem(probe, "accepted invalid input", shown);
            }
        } else if (!probe.method().equals("HEAD")) {
            String type = answer.header("content-type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                results.problem(probe, "4xx not JSON", shown + " (Content-Type " + type + ")");
                return;
            }
            try {
                JsonNode body = JSON.readTree(answer.body());
                if (body == null || !ErrorShapes.of(probe.dialect()).test(body)) {
                    results.problem(probe, "4xx not in " + ErrorShapes.describe(probe.dialect()), shown);
                }
            } catch (IOException e) {
                results.problem(probe, "4xx body not JSON", shown);
            }
        }
    }

    /**
     * A request Keycloak refuses before any provider runs: the same request to Keycloak's own token endpoint must
     * get the same status (so it is Keycloak's answer, not the pack's), and that status must be a 4xx; if Keycloak's
     * own endpoint fails with a 5xx too, that is Keycloak's defect, reported apart.
     */
    private static void checkAgainstKeycloak(Probe probe, RawHttp http, Results results, int status, String shown) {
        int control;
        try {
            control = http.send(probe.controlMethod(), probe.control(), probe.headers(), probe.body()).status();
        } catch (IOException | RuntimeException e) {
            http.close();
            results.problem(probe, "no answer from the control request", e.toString());
            return;
        }
        if (control != status) {
            results.problem(probe, "answered differently than Keycloak's own endpoint (" + control + ")", shown);
        } else if (status >= 500) {
            results.keycloakDefect(probe, shown);
        } else if (status < 400) {
            results.problem(probe, "Keycloak-layer request not refused", shown);
        }
    }

    // ---------------------------------------------------------------- state

    /** Users with their attributes, credentials and session counts, and the realm's session statistics. */
    private static Map<String, Object> snapshot(TestRealm realm) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("userCount", realm.admin().countUsers());
        for (JsonNode user : realm.admin().findUsers(Map.of("briefRepresentation", false, "max", 1000))) {
            String id = user.path("id").asText();
            Map<String, Object> entry = new LinkedHashMap<>();
            for (String field : List.of("username", "email", "emailVerified", "enabled", "firstName", "lastName",
                    "attributes", "requiredActions")) {
                entry.put(field, user.path(field).toString());
            }
            List<String> credentials = new ArrayList<>();
            realm.admin().credentials(id).forEach(c -> credentials.add(c.path("id").asText() + ":" + c.path("type").asText()
                    + ":" + c.path("createdDate").asText()));
            entry.put("credentials", credentials);
            entry.put("sessions", realm.admin().userSessions(id).size());
            state.put("user " + id, entry);
        }
        state.put("clientSessionStats", realm.admin().request().get("/client-session-stats").then().statusCode(200)
                .extract().asString());
        return state;
    }
}
