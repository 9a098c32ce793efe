package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every dialect scenario paired with its Keycloak baseline, on the same server in the same run, plus Keycloak
 * baselines whose dialect counterparts come with the other dialects. Scenarios run one after another (a warm-up, then
 * measured segments alternating within each pair), each with {@code benchmark.users} concurrent users.
 *
 * <p>Pairs (dialect → baseline) and why: the phone-otp round issues a session and tokens without a password hash,
 * like Keycloak's refresh grant.
 */
public class PairsSimulation extends Simulation {

    static final Map<String, String> PAIRS = new LinkedHashMap<>();

    static {
        PAIRS.put(Scenarios.PHONE_OTP, Scenarios.REFRESH);
        // Baselines measured now for the dialects other branches add: password logins, refresh and verify.
        PAIRS.put(Scenarios.PASSWORD, "");
        PAIRS.put(Scenarios.INTROSPECTION, "");
    }

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final Scenarios scenarios = new Scenarios(config, demoRealm());

    {
        setUp(scenarios.plan(List.of(
                List.of(Scenarios.PHONE_OTP, Scenarios.REFRESH),
                List.of(Scenarios.PASSWORD),
                List.of(Scenarios.INTROSPECTION))))
                .protocols(scenarios.protocol());
    }

    @Override
    public void after() {
        Path summary = scenarios.summarise("pairs", PAIRS);
        System.out.println("[benchmark] summary " + summary);
    }

    static Path demoRealm() {
        return Path.of(System.getProperty("benchmark.demoRealm", "../docker/import/demo-realm.json")).toAbsolutePath();
    }
}
