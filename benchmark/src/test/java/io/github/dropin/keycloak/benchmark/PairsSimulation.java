package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;
import java.util.List;

/**
 * Every dialect scenario paired with its Keycloak baseline, on the same server in the same run, plus Keycloak
 * baselines whose dialect counterparts come with the other dialects. Scenarios run one after another (a warm-up, then
 * measured segments alternating within each pair), each with {@code benchmark.users} concurrent users.
 *
 * <p>Pairs (dialect → baseline) and why: the phone-otp round issues tokens without a password hash, like Keycloak's
 * refresh grant; unlike it, it creates a new user session (persisted in the database since Keycloak 26), like
 * Keycloak's password grant, which also hashes a password.
 */
public class PairsSimulation extends Simulation {

    /**
     * Dialect scenario and Keycloak baseline; an empty dialect marks a baseline whose dialect scenarios are still to
     * come (password logins: token-auth, jwt-auth, email-signup, api-token-auth; refresh and verify: jwt-auth,
     * email-signup).
     */
    static final List<String[]> PAIRS = List.of(
            new String[]{Scenarios.PHONE_OTP, Scenarios.REFRESH},
            // The same round against the Keycloak login that also creates a session (with a password hash).
            new String[]{Scenarios.PHONE_OTP, Scenarios.PASSWORD},
            new String[]{"", Scenarios.PASSWORD},
            new String[]{"", Scenarios.INTROSPECTION});

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final Scenarios scenarios = new Scenarios(config, demoRealm());

    {
        setUp(scenarios.plan(List.of(
                List.of(Scenarios.PHONE_OTP, Scenarios.REFRESH, Scenarios.PASSWORD),
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
