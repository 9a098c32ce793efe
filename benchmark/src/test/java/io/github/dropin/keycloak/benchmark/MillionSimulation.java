package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;

/**
 * One phase of the million-user benchmark ({@code benchmark/million.sh}): the realm holds
 * {@code benchmark.million.users} users (1 000 in the first phase, 1 000 000 in the second, on the same server and
 * database in the same run), loaded by {@link MillionUsers}; then each scenario the issue names runs alone, a warm-up
 * and one measured stretch, with users drawn from the whole population:
 * <ul>
 *     <li>the phone-otp round and the direct-grant round (a user looked up by phone number, an attribute);</li>
 *     <li>each dialect's password login (token-auth, jwt-auth, email-signup, users-api: by username or email);</li>
 *     <li>Djoser's {@code users/me/} (email-signup) and users-api's {@code users/<id>/} by a user administrator (the
 *     legacy id, an attribute);</li>
 *     <li>token-auth registration with a phone number (uniqueness checks of username and phone among every user) and
 *     {@code verify-user} with the code alone, each of a fixed number of accounts, so that many codes are pending
 *     when verification starts.</li>
 * </ul>
 * {@link ResultsWriter} puts both phases side by side in RESULTS.md, each figure as a ratio of the million-user
 * phase to the thousand-user phase, with PostgreSQL's plans of the lookups.
 */
public class MillionSimulation extends Simulation {

    /** The size of the second phase. */
    static final int MAX_USERS = 1_000_000;
    /** Accounts registered (and then verified) per phase, after {@link #WARM_REGISTRATIONS} unmeasured ones. */
    static final int REGISTRATIONS = 1000;
    static final int WARM_REGISTRATIONS = 200;

    /** The scenarios measured for a time each, in this order. */
    static final List<String> TIMED = List.of(Scenarios.PHONE_OTP, Scenarios.DIRECT_GRANT, Scenarios.TOKEN_AUTH_LOGIN,
            Scenarios.JWT_AUTH_TOKEN, Scenarios.EMAIL_SIGNUP_OBTAIN, Scenarios.USERS_API_TOKEN, Scenarios.USERS_ME,
            Scenarios.USERS_API_LOOKUP);

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final int population = Integer.getInteger("benchmark.million.users", 1000);
    private final String jdbc = System.getProperty("benchmark.jdbc", "");
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Scenarios scenarios;
    /** What the lookups and the phone rounds look up, for {@link MillionUsers#attributeQueryMicros}. */
    private List<String> lookupIds = List.of();
    private List<String> phones = List.of();

    {
        if (jdbc.isBlank()) {
            throw new IllegalArgumentException("The million-user benchmark loads users into Keycloak's database: pass "
                    + "-Dbenchmark.jdbc=jdbc:postgresql://127.0.0.1:<port>/keycloak (benchmark/million.sh does)");
        }
        boolean create = Boolean.getBoolean("benchmark.million.create");
        int salt = population / 2000; // another part of the population in each phase
        List<Integer> sample = sample(population, 840, salt);
        phones = sample.subList(0, 400).stream().map(MillionUsers::phone).toList();
        List<String> directGrantPhones = sample.subList(400, 800).stream().map(MillionUsers::phone).toList();
        List<Map<String, String>> passwordUsers = sample.subList(800, 840).stream().map(i -> Map.of(
                "username", MillionUsers.username(i), "email", MillionUsers.email(i),
                "password", MillionUsers.PASSWORD)).toList();
        lookupIds = sample(population, Math.min(2000, population), salt + 1).stream()
                .map(i -> Long.toString(MillionUsers.legacyId(i))).toList();
        List<Map<String, String>> registrations = new ArrayList<>();
        for (int k = 0; k < WARM_REGISTRATIONS + REGISTRATIONS; k++) {
            registrations.add(Map.of("username", "reg-" + population + "-" + k,
                    "phone", String.format("+491512%07d", (population == MAX_USERS ? 10_000 : 0) + k)));
        }
        BenchmarkRealm realm = BenchmarkRealm.forPopulation(config, PairsSimulation.demoRealm(), create, phones,
                directGrantPhones, passwordUsers, lookupIds, registrations, this::load);
        scenarios = new Scenarios(config, realm);
        setUp(plan()).protocols(scenarios.protocol());
    }

    /**
     * Brings the realm to {@link #population} loaded users (users {@code m-0000000} and up; the template, the
     * administrator and the accounts token-auth registered are not counted).
     */
    private void load() {
        int loaded = MillionUsers.count(jdbc, config.realm(), true);
        if (loaded < population) {
            double seconds = MillionUsers.load(jdbc, config.realm(), loaded, population);
            extra.put("loadedUsers", population - loaded);
            extra.put("loadSeconds", seconds);
        }
        extra.put("population", population);
        extra.put("run", System.getProperty("benchmark.million.run", ""));
        extra.put("usersInDatabase", MillionUsers.count(jdbc, config.realm(), false));
        extra.put("plans", MillionUsers.plans(jdbc, config.realm(), population - 1));
        extra.put("queryMicros", Map.of(
                "legacyId", MillionUsers.attributeQueryMicros(jdbc, config.realm(), "legacyId", lookupIds),
                "phoneNumber", MillionUsers.attributeQueryMicros(jdbc, config.realm(), "phoneNumber", phones)));
    }

    /** {@code count} indexes spread evenly over {@code [0, size)}, starting a little in (by {@code salt}). */
    static List<Integer> sample(int size, int count, int salt) {
        List<Integer> picked = new ArrayList<>();
        long step = Math.max(1, size / count);
        for (int j = 0; j < count; j++) {
            picked.add((int) ((j * step + salt % step) % size));
        }
        return picked;
    }

    /**
     * The scenarios of this run: all, or with {@code benchmark.only} (comma-separated parts of scenario names) only
     * those, to measure a few again (each keeps its place in RESULTS.md, with the run it comes from).
     */
    static List<String> selected() {
        List<String> only = BenchmarkConfig.only();
        List<String> all = new ArrayList<>(TIMED);
        all.add(Scenarios.TOKEN_AUTH_REGISTER);
        all.add(Scenarios.TOKEN_AUTH_VERIFY_USER);
        return only.isEmpty() ? all : all.stream().filter(n -> only.stream().anyMatch(n::contains)).toList();
    }

    private PopulationBuilder plan() {
        int warmUp = config.warmUp() >= 0 ? config.warmUp() : 20;
        List<String> selected = selected();
        PopulationBuilder plan = null;
        int segment = 0;
        if (Boolean.getBoolean("benchmark.million.create")) {
            // The first phase runs on a server that has just started: a minute of the phone rounds first, or the
            // first scenario is measured on a cold JIT and the second phase looks faster than the first (the first
            // runs showed the phone-otp round at twice its 1 000-user speed with a million).
            for (String name : List.of(Scenarios.PHONE_OTP, Scenarios.DIRECT_GRANT)) {
                plan = then(plan, CoreDsl.scenario(name + " (server warm-up)").exec(scenarios.chain(name, -1))
                        .injectClosed(constantConcurrentUsers(config.users()).during(Duration.ofSeconds(60))));
            }
        }
        for (String name : TIMED.stream().filter(selected::contains).toList()) {
            plan = then(plan, CoreDsl.scenario(name + " (warm-up)").exec(scenarios.chain(name, -1))
                    .injectClosed(constantConcurrentUsers(config.users()).during(Duration.ofSeconds(warmUp))));
            plan = then(plan, CoreDsl.scenario(name + " (measured)").exec(scenarios.chain(name, segment++))
                    .injectClosed(constantConcurrentUsers(config.users()).during(Duration.ofSeconds(config.seconds()))));
        }
        int users = config.users();
        if (selected.contains(Scenarios.TOKEN_AUTH_REGISTER) || selected.contains(Scenarios.TOKEN_AUTH_VERIFY_USER)) {
            // verify-user needs the codes of registrations; both run, and are both reported, together.
            plan = then(plan, fixed(Scenarios.TOKEN_AUTH_REGISTER, "warm-up", -1, WARM_REGISTRATIONS / users));
            plan = then(plan, fixed(Scenarios.TOKEN_AUTH_VERIFY_USER, "warm-up", -1, WARM_REGISTRATIONS / users));
            plan = then(plan, fixed(Scenarios.TOKEN_AUTH_REGISTER, "measured", segment++, REGISTRATIONS / users));
            plan = then(plan, fixed(Scenarios.TOKEN_AUTH_VERIFY_USER, "measured", segment, REGISTRATIONS / users));
        }
        return plan;
    }

    /** {@code benchmark.users} virtual users, each running {@code times} iterations of scenario {@code name}. */
    private PopulationBuilder fixed(String name, String part, int segment, int times) {
        return CoreDsl.scenario(name + " (" + part + ")").repeat(times).on(scenarios.chain(name, segment))
                .injectOpen(atOnceUsers(config.users()));
    }

    private static PopulationBuilder then(PopulationBuilder plan, PopulationBuilder next) {
        return plan == null ? next : plan.andThen(next);
    }

    @Override
    public void after() {
        extra.put("pendingCodesLeft", scenarios.pendingCodes());
        Path summary = scenarios.summarise("million", List.of(), extra);
        System.out.println("[benchmark] summary " + summary);
    }
}
