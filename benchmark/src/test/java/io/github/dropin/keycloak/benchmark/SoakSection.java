package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * The soak section of RESULTS.md from the newest {@link SoakSimulation} run: capacity, rate, the first and last five
 * minutes, the goals (zero errors, p99 of the last five minutes within 1.2 times the first five, heap after
 * collections and single-use entries level) and the four plots.
 * <p>
 * "Level" can only be judged after the store's longest lifetime in the mix: the hourly limits keep an entry per
 * counted event for {@value #STORE_WINDOW_MINUTES} minutes, so the store fills for that long and then holds what the
 * last hour put in. The reference is the five minutes after that window (plus a minute for expiry), compared with the
 * last five; a run too short for both says so instead of judging.
 */
final class SoakSection {

    static final double P99_GOAL = 1.2;
    /** The longest lifetime of single-use entries the mix creates (the hourly limits), in minutes. */
    static final int STORE_WINDOW_MINUTES = 60;
    /** The reference stretch for "level": from one window and a minute in, five minutes long. */
    static final int LEVEL_FROM_SECOND = (STORE_WINDOW_MINUTES + 1) * 60;
    static final int LEVEL_TO_SECOND = LEVEL_FROM_SECOND + 300;
    /** Within this factor of the reference (plus a little slack for small values) counts as level. */
    static final double LEVEL_GOAL = 1.1;

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
        int lastSecond = lastSecond(timeline);
        boolean judged = lastSecond >= LEVEL_TO_SECOND + 300;
        double heapRef = mean(timeline, "oldGenUsedMb", LEVEL_FROM_SECOND, LEVEL_TO_SECOND);
        double heapLast = mean(timeline, "oldGenUsedMb", lastSecond - 300, lastSecond);
        double entriesRef = mean(timeline, "singleUseEntries", LEVEL_FROM_SECOND, LEVEL_TO_SECOND);
        double entriesLast = mean(timeline, "singleUseEntries", lastSecond - 300, lastSecond);
        double entriesMax = max(timeline, "singleUseEntries");
        String reference = String.format(Locale.ROOT, "minutes %d-%d", LEVEL_FROM_SECOND / 60, LEVEL_TO_SECOND / 60);
        md.append(String.format(Locale.ROOT, "%n| goal | figure | |%n|---|---|---|%n"
                        + "| zero errors | %d errors in %,d requests | %s |%n"
                        + "| p99 of the last 5 minutes ≤ %.1f × the first 5 | %d ms / %d ms = %s | %s |%n",
                all.path("errors").asInt(), all.path("requests").asInt(), all.path("errors").asInt() == 0 ? "met" : "**missed**",
                P99_GOAL, last.path("p99").asInt(), first.path("p99").asInt(), ResultsWriter.format(p99Ratio),
                p99Ratio <= P99_GOAL ? "met" : "**missed**"));
        if (judged) {
            md.append(String.format(Locale.ROOT,
                    "| heap after collections level | old generation, mean of %s: %.0f MiB; of the last 5: %.0f MiB "
                            + "(highest live data after an old-generation collection: %.0f MiB) | %s |%n"
                            + "| single-use entries level | mean of %s: %,.0f; of the last 5: %,.0f; highest %,.0f | %s |%n%n",
                    reference, heapRef, heapLast, max(timeline, "liveDataAfterGcMb"),
                    heapLast <= LEVEL_GOAL * heapRef + 32 ? "met" : "**missed**",
                    reference, entriesRef, entriesLast, entriesMax,
                    entriesLast <= LEVEL_GOAL * entriesRef + 100 ? "met" : "**missed**"));
        } else {
            md.append(String.format(Locale.ROOT,
                    "| heap after collections and single-use entries level | highest live data after an old-generation "
                            + "collection %.0f MiB, highest entries %,.0f | not judged: a run of %d minutes is shorter than "
                            + "the store's longest lifetime (%d minutes) and two five-minute stretches after it |%n%n",
                    max(timeline, "liveDataAfterGcMb"), entriesMax, lastSecond / 60, STORE_WINDOW_MINUTES));
        }
        md.append(String.format(Locale.ROOT, "\"Level\" means the mean of the last five minutes is within %.1f times the "
                + "mean of %s (plus 32 MiB or 100 entries of slack for small values): the hourly limits keep one entry per "
                + "counted event for an hour, so the store fills for the first %d minutes and from then on holds what the "
                + "last hour put in.%n%n", LEVEL_GOAL, reference, STORE_WINDOW_MINUTES));
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

    static int lastSecond(JsonNode timeline) {
        int last = 0;
        for (JsonNode p : timeline) {
            last = Math.max(last, p.path("second").asInt());
        }
        return last;
    }

    /** Mean of {@code field} over the samples after second {@code from} up to second {@code to}. */
    static double mean(JsonNode timeline, String field, int from, int to) {
        double sum = 0;
        int count = 0;
        for (JsonNode p : timeline) {
            int second = p.path("second").asInt();
            if (second > from && second <= to) {
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
