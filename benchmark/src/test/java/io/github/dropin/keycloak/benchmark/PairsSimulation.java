package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;
import java.util.List;

/**
 * Every dialect scenario paired with its Keycloak baseline, on the same server in the same run. Scenarios run in
 * groups one after another; within a group, a warm-up of each, then measured segments alternating between them, each
 * with {@code benchmark.users} concurrent users.
 *
 * <p>Pairs (dialect → baseline) and why:
 * <ul>
 *     <li>password logins (token-auth, jwt-auth, email-signup, users-api) → Keycloak's password grant: each checks a
 *     password (argon2) and creates a Keycloak user session;</li>
 *     <li>jwt-auth and email-signup refresh → Keycloak's refresh grant for an OpenID Connect session: a new token
 *     pair on an existing session; the dialects' sessions have scope {@code openid} (Keycloak's userinfo endpoint
 *     wants it), so Keycloak signs an ID token at each of their refreshes, as it does for the baseline's (the
 *     dialects also rotate: the old refresh token is revoked);</li>
 *     <li>jwt-auth and email-signup verify → Keycloak's token introspection: "is this access token good";</li>
 *     <li>the phone-otp round (a code, then tokens) → Keycloak's refresh grant (tokens without a password hash) and
 *     Keycloak's password grant (a new session, with a password hash);</li>
 *     <li>the direct-grant round (a code from {@code sms-code/request}, then Keycloak's token endpoint with phone
 *     number and code) → Keycloak's password grant: the same endpoint, a code instead of a password.</li>
 * </ul>
 */
public class PairsSimulation extends Simulation {

    static final List<String[]> PAIRS = List.of(
            new String[]{Scenarios.TOKEN_AUTH_LOGIN, Scenarios.PASSWORD},
            new String[]{Scenarios.JWT_AUTH_TOKEN, Scenarios.PASSWORD},
            new String[]{Scenarios.EMAIL_SIGNUP_OBTAIN, Scenarios.PASSWORD},
            new String[]{Scenarios.USERS_API_TOKEN, Scenarios.PASSWORD},
            new String[]{Scenarios.JWT_AUTH_REFRESH, Scenarios.REFRESH_OIDC},
            new String[]{Scenarios.EMAIL_SIGNUP_REFRESH, Scenarios.REFRESH_OIDC},
            new String[]{Scenarios.JWT_AUTH_VERIFY, Scenarios.INTROSPECTION},
            new String[]{Scenarios.EMAIL_SIGNUP_VERIFY, Scenarios.INTROSPECTION},
            new String[]{Scenarios.PHONE_OTP, Scenarios.REFRESH},
            new String[]{Scenarios.PHONE_OTP, Scenarios.PASSWORD},
            new String[]{Scenarios.DIRECT_GRANT, Scenarios.PASSWORD});

    /**
     * Groups whose scenarios alternate; each pair's two scenarios share a group, except the phone-otp round's second
     * baseline, Keycloak's password grant, measured in the first group.
     */
    static final List<List<String>> GROUPS = List.of(
            List.of(Scenarios.TOKEN_AUTH_LOGIN, Scenarios.JWT_AUTH_TOKEN, Scenarios.EMAIL_SIGNUP_OBTAIN,
                    Scenarios.USERS_API_TOKEN, Scenarios.DIRECT_GRANT, Scenarios.PASSWORD),
            List.of(Scenarios.JWT_AUTH_VERIFY, Scenarios.EMAIL_SIGNUP_VERIFY, Scenarios.INTROSPECTION),
            List.of(Scenarios.PHONE_OTP, Scenarios.REFRESH),
            List.of(Scenarios.JWT_AUTH_REFRESH, Scenarios.EMAIL_SIGNUP_REFRESH, Scenarios.REFRESH_OIDC));

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final Scenarios scenarios = new Scenarios(config, demoRealm());

    {
        setUp(scenarios.plan(selected())).protocols(scenarios.protocol());
    }

    /**
     * {@link #GROUPS}, or with {@code benchmark.only} (comma-separated parts of scenario names, e.g.
     * {@code jwt-auth token/refresh}) only the scenarios named and, in their groups, the baselines they pair with:
     * for profiling one pair.
     */
    static List<List<String>> selected() {
        List<String> only = BenchmarkConfig.only();
        if (only.isEmpty()) {
            return GROUPS;
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (String[] pair : PAIRS) {
            if (only.stream().anyMatch(pair[0]::contains)) {
                keep.add(pair[0]);
                keep.add(pair[1]);
            }
        }
        return GROUPS.stream().map(g -> g.stream().filter(keep::contains).toList()).filter(g -> !g.isEmpty()).toList();
    }

    @Override
    public void after() {
        java.util.Set<String> ran = new java.util.HashSet<>();
        selected().forEach(ran::addAll);
        Path summary = scenarios.summarise("pairs", PAIRS.stream()
                .filter(p -> ran.contains(p[0]) && ran.contains(p[1])).toList());
        System.out.println("[benchmark] summary " + summary);
    }

    static Path demoRealm() {
        return Path.of(System.getProperty("benchmark.demoRealm", "../docker/import/demo-realm.json")).toAbsolutePath();
    }
}
