package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-scenario measurements of one run, taken from Gatling's own response times ({@code responseTimeInMillis()}
 * checks) as each request completes: count, errors, the scenario's active windows (per measured segment, first
 * request sent to last answer received) and every latency, so that throughput is the scenario's own (scenarios run
 * one after another) and the percentiles are exact. Written as JSON for {@link ResultsWriter}; Gatling's HTML report has the same requests in
 * detail.
 */
final class Recorder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scenario's numbers. */
    static final class Series {
        private final String scenario;
        private final List<Integer> latencies = new ArrayList<>();
        private final Map<String, List<Integer>> requests = new LinkedHashMap<>();
        private int errors;
        /** Per measured segment: the first request's start and the last answer's end. */
        private final Map<Integer, long[]> windows = new LinkedHashMap<>();
        /** Latencies and errors by the second their answer came (the soak run's timeline), when kept. */
        private final java.util.NavigableMap<Long, List<Integer>> bySecond = new java.util.TreeMap<>();
        private final Map<Long, Integer> errorsBySecond = new java.util.HashMap<>();
        private boolean timeline;

        Series(String scenario) {
            this.scenario = scenario;
        }

        synchronized void add(String request, int segment, long endMillis, int latencyMillis, boolean ok) {
            latencies.add(latencyMillis);
            requests.computeIfAbsent(request, r -> new ArrayList<>()).add(latencyMillis);
            if (!ok) {
                errors++;
            }
            long[] window = windows.computeIfAbsent(segment, s -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
            window[0] = Math.min(window[0], endMillis - latencyMillis);
            window[1] = Math.max(window[1], endMillis);
            if (timeline) {
                bySecond.computeIfAbsent(endMillis / 1000, k -> new ArrayList<>()).add(latencyMillis);
                if (!ok) {
                    errorsBySecond.merge(endMillis / 1000, 1, Integer::sum);
                }
            }
        }

        /** Keeps every answer's second too, for {@link Recorder#window}. */
        synchronized Series withTimeline() {
            timeline = true;
            return this;
        }

        /** Adds the latencies of the answers that came in {@code [fromSecond, toSecond)} to {@code into}; returns the errors. */
        synchronized int collect(long fromSecond, long toSecond, List<Integer> into) {
            int failed = 0;
            for (var e : bySecond.subMap(fromSecond, toSecond).entrySet()) {
                into.addAll(e.getValue());
                failed += errorsBySecond.getOrDefault(e.getKey(), 0);
            }
            return failed;
        }

        synchronized ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            int[] sorted = latencies.stream().mapToInt(Integer::intValue).sorted().toArray();
            double seconds = windows.values().stream().mapToLong(w -> Math.max(1, w[1] - w[0])).sum() / 1000.0;
            node.put("scenario", scenario);
            node.put("requests", sorted.length);
            node.put("errors", errors);
            node.put("seconds", seconds);
            node.put("requestsPerSecond", seconds == 0 ? 0 : sorted.length / seconds);
            node.put("p50", percentile(sorted, 50));
            node.put("p95", percentile(sorted, 95));
            node.put("p99", percentile(sorted, 99));
            node.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
            ObjectNode perRequest = node.putObject("perRequest");
            requests.forEach((request, values) -> {
                int[] own = values.stream().mapToInt(Integer::intValue).sorted().toArray();
                perRequest.putObject(request).put("requests", own.length).put("p50", percentile(own, 50))
                        .put("p95", percentile(own, 95)).put("p99", percentile(own, 99));
            });
            return node;
        }
    }

    /** Requests, errors and latency percentiles of several series over a stretch of time ({@link #window}). */
    record Window(int requests, int errors, int p50, int p99) {
    }

    /** The answers of {@code series} (kept {@link Series#withTimeline with a timeline}) in {@code [fromSecond, toSecond)}. */
    static Window window(java.util.Collection<Series> series, long fromSecond, long toSecond) {
        List<Integer> latencies = new ArrayList<>();
        int errors = 0;
        for (Series s : series) {
            errors += s.collect(fromSecond, toSecond, latencies);
        }
        int[] sorted = latencies.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Window(sorted.length, errors, percentile(sorted, 50), percentile(sorted, 99));
    }

    private final Map<String, Series> series = new LinkedHashMap<>();

    synchronized Series series(String scenario) {
        return series.computeIfAbsent(scenario, Series::new);
    }

    /** Writes the run's summary: what ran, where, with how many users, and every scenario's numbers. */
    synchronized Path write(BenchmarkConfig config, String kind, List<String[]> pairs, String keycloakVersion) {
        return write(config, kind, pairs, keycloakVersion, Map.of());
    }

    /** As above, with {@code extra} top-level fields (numbers, strings, or maps of strings) in the summary. */
    synchronized Path write(BenchmarkConfig config, String kind, List<String[]> pairs, String keycloakVersion,
                            Map<String, Object> extra) {
        ObjectNode root = JSON.createObjectNode();
        extra.forEach((name, value) -> root.set(name, JSON.valueToTree(value)));
        root.put("kind", kind);
        root.put("keycloakVersion", keycloakVersion);
        root.put("label", config.label());
        root.put("urls", String.join(",", config.urls()));
        root.put("users", config.users());
        root.put("seconds", config.seconds());
        root.put("finished", java.time.Instant.now().toString());
        var pairing = root.putArray("pairs");
        for (String[] pair : pairs) {
            pairing.addObject().put("dialect", pair[0]).put("baseline", pair[1]);
        }
        ObjectNode scenarios = root.putObject("scenarios");
        series.forEach((name, s) -> scenarios.set(name, s.toJson()));
        try {
            Files.createDirectories(config.summaryDir());
            String name = kind + (config.label().isBlank() ? "" : "-" + config.label().replaceAll("[^A-Za-z0-9]+", "-"))
                    + "-" + System.currentTimeMillis() + ".json";
            Path file = config.summaryDir().resolve(name);
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run summary", e);
        }
    }

    /** Nearest-rank percentile. */
    static int percentile(int[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(series.keySet().toArray());
    }
}
