package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The million-user section of RESULTS.md: the newest run of {@link MillionSimulation} with 1 000 users and the newest
 * with 1 000 000, scenario by scenario, the second as a ratio of the first (throughput, and p99 the other way round),
 * against the goal of at least {@value #GOAL}; then PostgreSQL's plans of the lookups with a million users.
 */
final class MillionSection {

    static final double GOAL = 0.9;

    private MillionSection() {
    }

    static String render(List<JsonNode> runs) {
        JsonNode small = newest(runs, 1000, null);
        JsonNode large = newest(runs, MillionSimulation.MAX_USERS, null);
        if (small == null || large == null) {
            return "";
        }
        // The newest run that measured everything describes the set-up; a scenario measured again later (million.sh
        // with ONLY=...) shows its newest pair of phases, with the run it comes from.
        JsonNode fullSmall = runs.stream().filter(r -> r.path("kind").asText().equals("million")
                && r.path("population").asInt() == 1000 && r.path("scenarios").size() >= 10).reduce((a, b) -> b).orElse(small);
        JsonNode fullLarge = newest(runs, MillionSimulation.MAX_USERS, fullSmall.path("run").asText());
        if (fullLarge != null) {
            small = fullSmall;
            large = fullLarge;
        }
        StringBuilder md = new StringBuilder(ResultsWriter.MILLION_HEADING).append("\n\n");
        md.append(String.format(Locale.ROOT, "Run: `benchmark/million.sh`, one Keycloak %s node on PostgreSQL, %d "
                        + "concurrent users per scenario, %d s measured per timed scenario; phase 1 with %,d users in the "
                        + "realm (finished %s), phase 2 on the same server after loading %,d more into the same realm with "
                        + "`COPY` in %.0f s, then vacuumed and analysed (%,d users in the database, finished %s). Each phase "
                        + "draws its users evenly from its whole population: 400 phone numbers for each phone round, 40 "
                        + "password users, and for the lookups every user's legacy id (a thousand) or 2 000 of them (a "
                        + "million): sets that Keycloak's user cache holds once warm, spread over the whole tables.%n%n",
                large.path("keycloakVersion").asText(), large.path("users").asInt(), large.path("seconds").asInt(),
                small.path("population").asInt(), small.path("finished").asText(), large.path("loadedUsers").asInt(),
                large.path("loadSeconds").asDouble(), large.path("usersInDatabase").asInt(), large.path("finished").asText()));
        md.append("| scenario | 1k: req/s | 1k: p50 | 1k: p99 | 1k: errors | 1M: req/s | 1M: p50 | 1M: p99 | 1M: errors "
                + "| throughput 1M/1k | p99 1k/1M | goal (≥ 0.9) | run |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        List<String> order = new java.util.ArrayList<>(MillionSimulation.TIMED);
        order.add(Scenarios.TOKEN_AUTH_REGISTER);
        order.add(Scenarios.TOKEN_AUTH_VERIFY_USER);
        for (String name : order) {
            JsonNode[] pair = newestPair(runs, name);
            if (pair == null) {
                continue;
            }
            JsonNode a = pair[0].path("scenarios").path(name);
            JsonNode b = pair[1].path("scenarios").path(name);
            double throughput = ResultsWriter.ratio(b.path("requestsPerSecond").asDouble(), a.path("requestsPerSecond").asDouble());
            double p99 = ResultsWriter.ratio(a.path("p99").asDouble(), b.path("p99").asDouble());
            boolean met = throughput >= GOAL && a.path("errors").asInt() == 0 && b.path("errors").asInt() == 0;
            md.append("| ").append(name).append(cells(a)).append(cells(b)).append(" | ")
                    .append(ResultsWriter.format(throughput)).append(" | ").append(ResultsWriter.format(p99)).append(" | ")
                    .append(met ? "met" : "**missed**").append(" | ").append(pair[0].path("run").asText("-"))
                    .append(" |\n");
        }
        md.append("\nRequests/s of the round scenarios count rounds (two requests each); the registration and "
                + "verify-user rows are ").append(MillionSimulation.REGISTRATIONS).append(" accounts each, verified "
                + "while all their codes were pending.\n\n");
        JsonNode[] timed = newestPair(runs, r -> r.has("queryMicros"));
        if (timed != null) {
            md.append(String.format(Locale.ROOT, "Keycloak's attribute query alone, PostgreSQL through JDBC with one "
                            + "prepared statement over the values the scenarios look up (run %s): by legacy id %.0f µs with a "
                            + "thousand users, %.0f µs with a million; by phone number %.0f µs and %.0f µs.%n%n",
                    timed[1].path("run").asText("-"),
                    timed[0].path("queryMicros").path("legacyId").asDouble(), timed[1].path("queryMicros").path("legacyId").asDouble(),
                    timed[0].path("queryMicros").path("phoneNumber").asDouble(),
                    timed[1].path("queryMicros").path("phoneNumber").asDouble()));
        }
        md.append("### How PostgreSQL finds a user among a million\n\n");
        md.append("`EXPLAIN ANALYZE` of Keycloak's queries (its JPQL as SQL) for the last loaded user, taken by the loader "
                + "right after `VACUUM (ANALYZE)`:\n\n");
        large.path("plans").fields().forEachRemaining(plan -> md.append("- ").append(plan.getKey()).append(":\n\n```\n")
                .append(plan.getValue().asText().strip()).append("\n```\n\n"));
        return md.toString();
    }

    private static String cells(JsonNode s) {
        return String.format(Locale.ROOT, " | %.1f | %d ms | %d ms | %d", s.path("requestsPerSecond").asDouble(),
                s.path("p50").asInt(), s.path("p99").asInt(), s.path("errors").asInt());
    }

    private static JsonNode newest(List<JsonNode> runs, int population, String run) {
        return runs.stream().filter(r -> r.path("kind").asText().equals("million"))
                .filter(r -> r.path("population").asInt() == population)
                .filter(r -> run == null || r.path("run").asText().equals(run)).reduce((a, b) -> b).orElse(null);
    }

    /** The newest run (both phases, same run id) that measured {@code scenario}: {1k phase, 1M phase}, or null. */
    private static JsonNode[] newestPair(List<JsonNode> runs, String scenario) {
        return newestPair(runs, r -> !r.path("scenarios").path(scenario).isMissingNode());
    }

    /** The newest run (both phases, same run id) whose two summaries both satisfy {@code holds}, or null. */
    private static JsonNode[] newestPair(List<JsonNode> runs, Predicate<JsonNode> holds) {
        JsonNode[] found = null;
        for (JsonNode large : runs) {
            if (!large.path("kind").asText().equals("million") || large.path("population").asInt() != MillionSimulation.MAX_USERS
                    || !holds.test(large)) {
                continue;
            }
            JsonNode small = newest(runs, 1000, large.path("run").asText());
            if (small != null && holds.test(small)) {
                found = new JsonNode[]{small, large};
            }
        }
        return found;
    }
}
