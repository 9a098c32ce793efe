package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * The soak section of RESULTS.md from the newest {@link SoakSimulation} run: capacity, rate, the first and last five
 * minutes, the goals (zero errors, p99 of the last five minutes within 1.2 times the first five, heap after
 * collections and single-use entries level) and the four plots.
 */
final class SoakSection {

    static final double P99_GOAL = 1.2;

    private SoakSection() {
    }

    static String render(List<JsonNode> runs) {
        JsonNode soak = runs.stream().filter(r -> r.path("kind").asText().equals("soak")).reduce((a, b) -> b).orElse(null);
        if (soak == null) {
            return "";
        }
        JsonNode first = soak.path("first5");
        JsonNode last = soak.path("last5");
        JsonNode all = soak.path("all");
        JsonNode timeline = soak.path("timeline");
        double p99Ratio = ResultsWriter.ratio(last.path("p99").asDouble(), first.path("p99").asDouble());
        StringBuilder md = new StringBuilder(ResultsWriter.SOAK_HEADING).append("\n\n");
        md.append(String.format(Locale.ROOT, "Run: `benchmark/soak.sh`, one Keycloak %s node on PostgreSQL; capacity "
                        + "measured first at %.1f mixes/s (%d concurrent users, closed); then %.1f mixes/s (%.0f %%) as an open "
                        + "workload for a minute of warm-up and %d measured minutes, finished %s. The mix: %s.%n%n",
                soak.path("keycloakVersion").asText(), soak.path("capacity").asDouble(), SoakSimulation.CAPACITY_USERS,
                soak.path("rate").asDouble(), 100 * ResultsWriter.ratio(soak.path("rate").asDouble(),
                        soak.path("capacity").asDouble()), soak.path("minutes").asInt(), soak.path("finished").asText(),
                mix(soak.path("mix"))));
        md.append("| stretch | requests | errors | p50 | p99 |\n|---|---:|---:|---:|---:|\n");
        md.append(row("first 5 minutes", first)).append(row("last 5 minutes", last)).append(row("all", all));
        double heapFirst = firstMinutes(timeline, "oldGenUsedMb", true);
        double heapLast = firstMinutes(timeline, "oldGenUsedMb", false);
        double entriesFirst = firstMinutes(timeline, "singleUseEntries", true);
        double entriesLast = firstMinutes(timeline, "singleUseEntries", false);
        double entriesMax = max(timeline, "singleUseEntries");
        md.append(String.format(Locale.ROOT, "%n| goal | figure | |%n|---|---|---|%n"
                        + "| zero errors | %d errors in %,d requests | %s |%n"
                        + "| p99 of the last 5 minutes ≤ %.1f × the first 5 | %d ms / %d ms = %s | %s |%n"
                        + "| heap after collections level | old generation, mean of minutes 5-10: %.0f MiB; of the last 5: %.0f MiB "
                        + "(highest live data after an old-generation collection: %.0f MiB) | %s |%n"
                        + "| single-use entries level | mean of minutes 5-10: %,.0f; of the last 5: %,.0f; highest %,.0f | %s |%n%n",
                all.path("errors").asInt(), all.path("requests").asInt(), all.path("errors").asInt() == 0 ? "met" : "**missed**",
                P99_GOAL, last.path("p99").asInt(), first.path("p99").asInt(), ResultsWriter.format(p99Ratio),
                p99Ratio <= P99_GOAL ? "met" : "**missed**",
                heapFirst, heapLast, max(timeline, "liveDataAfterGcMb"), heapLast <= 1.2 * heapFirst + 32 ? "met" : "**missed**",
                entriesFirst, entriesLast, entriesMax, entriesLast <= 1.2 * entriesFirst + 100 ? "met" : "**missed**"));
        md.append("\"Level\" means the mean of the last five minutes is within 1.2 times the mean of minutes 5 to 10 (plus "
                + "32 MiB or 100 entries of slack for small values), after the first five minutes in which codes, limits "
                + "and caches fill up to their lifetimes.\n\n");
        for (SoakPlots.Chart chart : SoakPlots.CHARTS) {
            md.append("![").append(chart.title()).append("](soak/").append(chart.file()).append(")\n\n");
        }
        return md.toString();
    }

    private static String row(String name, JsonNode w) {
        return String.format(Locale.ROOT, "| %s | %,d | %d | %d ms | %d ms |%n", name, w.path("requests").asInt(),
                w.path("errors").asInt(), w.path("p50").asInt(), w.path("p99").asInt());
    }

    private static String mix(JsonNode mix) {
        StringBuilder text = new StringBuilder();
        mix.fields().forEachRemaining(e -> text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                .append(String.format(Locale.ROOT, "%.0f %%", e.getValue().asDouble())));
        return text.toString();
    }

    /** Mean of {@code field} over minutes 5 to 10 ({@code early}) or over the last five minutes. */
    static double firstMinutes(JsonNode timeline, String field, boolean early) {
        int last = 0;
        for (JsonNode p : timeline) {
            last = Math.max(last, p.path("second").asInt());
        }
        double sum = 0;
        int count = 0;
        for (JsonNode p : timeline) {
            int second = p.path("second").asInt();
            boolean in = early ? second > 300 && second <= 600 : second > last - 300;
            if (in) {
                sum += p.path(field).asDouble();
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static double max(JsonNode timeline, String field) {
        double max = 0;
        for (JsonNode p : timeline) {
            max = Math.max(max, p.path(field).asDouble());
        }
        return max;
    }
}
