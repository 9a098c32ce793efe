package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes {@code benchmark/RESULTS.md} from the run summaries in {@code target/benchmark/} (see {@link Recorder}): the
 * newest "pairs" run as the table of dialects against their Keycloak baselines (requests/s, p50, p95, p99, errors,
 * and the dialect/Keycloak ratios against the targets), every "scaling" run,
 * and the machine (cores, memory, JDK) and date. Whatever follows the notes marker in an existing RESULTS.md (the
 * analysis written by hand) is kept. Then deletes the benchmark realm from the server, unless
 * {@code -Dbenchmark.keepRealm=true}.
 */
public final class ResultsWriter {

    static final String NOTES_MARKER = "<!-- Everything below this line is kept when ResultsWriter rewrites the file. -->";
    static final double THROUGHPUT_TARGET = 0.95;
    static final double P99_TARGET = 1.5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path summaries = Path.of(System.getProperty("benchmark.summaries", "target/benchmark")).toAbsolutePath();
        Path results = Path.of(System.getProperty("benchmark.results", "RESULTS.md")).toAbsolutePath();
        List<JsonNode> runs = new ArrayList<>();
        if (Files.isDirectory(summaries)) {
            try (Stream<Path> files = Files.list(summaries)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    runs.add(JSON.readTree(file.toFile()));
                }
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("No run summaries in " + summaries + ": did the simulations run?");
        }
        runs.sort(Comparator.comparing(r -> r.path("finished").asText()));
        String notes = "";
        String previous = "";
        if (Files.isRegularFile(results)) {
            String existing = Files.readString(results);
            int marker = existing.indexOf(NOTES_MARKER);
            if (marker >= 0) {
                notes = existing.substring(marker + NOTES_MARKER.length());
                previous = existing.substring(0, marker);
            } else {
                previous = existing;
            }
        }
        Files.writeString(results, render(runs, previous) + NOTES_MARKER + notes);
        System.out.println("[benchmark] wrote " + results);

        if (!Boolean.getBoolean("benchmark.keepRealm")) {
            BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
            try {
                BenchmarkRealm.delete(config.firstUrl(), config.realm());
            } catch (RuntimeException e) {
                System.out.println("[benchmark] could not delete realm " + config.realm() + ": " + e.getMessage());
            }
        }
    }

    /** Headings of the generated sections; a section with no run in this rewrite is kept from the previous file. */
    static final String PAIRS_HEADING = "## Dialects against Keycloak's own endpoints";
    static final String SCALING_HEADING = "## Scaling: the phone-otp round on one node and on two";
    static final String MILLION_HEADING = "## A million users: each figure against the same with a thousand";
    static final String SOAK_HEADING = "## Soak: mixed traffic at about 70 % of one node's capacity";

    static String render(List<JsonNode> runs) {
        return render(runs, "");
    }

    /**
     * The generated part of RESULTS.md from {@code runs}; sections of kinds that have no run here (a million-user
     * run alone does not repeat the pairs) are taken over from {@code previous}, the generated part of the file
     * as it was.
     */
    static String render(List<JsonNode> runs, String previous) {
        JsonNode pairs = runs.stream().filter(r -> r.path("kind").asText().equals("pairs")).reduce((a, b) -> b).orElse(null);
        List<JsonNode> scaling = runs.stream().filter(r -> r.path("kind").asText().equals("scaling")).toList();
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("Written by `ResultsWriter` from the run summaries of `mvn -B -f benchmark/pom.xml verify` (see "
                + "benchmark/README.md); Gatling's HTML reports are in `benchmark/target/gatling/`.\n\n");
        md.append("- **Date**: ").append(LocalDate.now()).append('\n');
        md.append("- **Machine**: ").append(machine()).append('\n');
        JsonNode any = pairs != null ? pairs : runs.get(runs.size() - 1);
        md.append("- **Server**: Keycloak ").append(any.path("keycloakVersion").asText("?"))
                .append(" with the pack, on the same machine as the load generator (Gatling, over loopback)\n");
        md.append("- **Workload**: closed; each scenario runs alone with a fixed number of concurrent users, each starting "
                + "its next request when the previous one is answered; a warm-up, then measured segments that alternate "
                + "between a dialect and its baseline. Latencies are Gatling's response times; requests/s are per "
                + "scenario over its own measured time.\n\n");

        if (pairs == null) {
            md.append(section(previous, PAIRS_HEADING));
        }
        if (pairs != null) {
            md.append(PAIRS_HEADING).append("\n\n");
            md.append("Run: ").append(describe(pairs)).append(".\n\n");
            md.append("| dialect scenario | req/s | p50 | p95 | p99 | errors | Keycloak baseline | req/s | p50 | p95 | p99 | errors "
                    + "| throughput dialect/Keycloak | p99 dialect/Keycloak | targets (≥ 0.95, ≤ 1.5) |\n");
            md.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (JsonNode pair : pairs.path("pairs")) {
                String dialect = pair.path("dialect").asText();
                String baseline = pair.path("baseline").asText();
                JsonNode d = pairs.path("scenarios").path(dialect);
                JsonNode k = pairs.path("scenarios").path(baseline);
                double throughput = ratio(d.path("requestsPerSecond").asDouble(), k.path("requestsPerSecond").asDouble());
                double p99 = ratio(d.path("p99").asDouble(), k.path("p99").asDouble());
                boolean met = throughput >= THROUGHPUT_TARGET && p99 <= P99_TARGET
                        && d.path("errors").asInt() == 0 && k.path("errors").asInt() == 0;
                md.append("| ").append(dialect).append(cells(d)).append(" | ").append(baseline).append(cells(k))
                        .append(" | ").append(format(throughput)).append(" | ").append(format(p99)).append(" | ")
                        .append(met ? "met" : "**missed**").append(" |\n");
            }
            md.append("\n### Per request\n\n| scenario | request | count | p50 | p95 | p99 |\n|---|---|---:|---:|---:|---:|\n");
            pairs.path("scenarios").fields().forEachRemaining(s -> s.getValue().path("perRequest").fields()
                    .forEachRemaining(r -> md.append("| ").append(s.getKey()).append(" | ").append(r.getKey())
                            .append(String.format(Locale.ROOT, " | %d | %d ms | %d ms | %d ms |%n",
                                    r.getValue().path("requests").asInt(), r.getValue().path("p50").asInt(),
                                    r.getValue().path("p95").asInt(), r.getValue().path("p99").asInt()))));
            md.append('\n');
        }

        if (scaling.isEmpty()) {
            md.append(section(previous, SCALING_HEADING));
        }
        if (!scaling.isEmpty()) {
            md.append(SCALING_HEADING).append("\n\n");
            md.append("| run | nodes | concurrent users | req/s | p50 | p95 | p99 | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (JsonNode run : scaling) {
                JsonNode s = run.path("scenarios").path(Scenarios.PHONE_OTP);
                md.append("| ").append(run.path("label").asText()).append(" | ")
                        .append(run.path("urls").asText().split(",").length).append(" | ").append(run.path("users").asInt())
                        .append(cells(s)).append(" |\n");
            }
            md.append('\n');
        }
        String million = MillionSection.render(runs);
        md.append(million.isEmpty() ? section(previous, MILLION_HEADING) : million);
        String soak = SoakSection.render(runs);
        md.append(soak.isEmpty() ? section(previous, SOAK_HEADING) : soak);
        return md.toString();
    }

    /** The section of {@code text} that starts with {@code heading}, up to the next second-level heading. */
    static String section(String text, String heading) {
        int start = text.indexOf(heading + "\n");
        if (start < 0) {
            return "";
        }
        int end = text.indexOf("\n## ", start + heading.length());
        return end < 0 ? text.substring(start) : text.substring(start, end + 1);
    }

    private static String describe(JsonNode run) {
        return run.path("users").asInt() + " concurrent users per scenario, " + run.path("seconds").asInt()
                + " s measured per scenario, against " + run.path("urls").asText()
                + (run.path("label").asText().isBlank() ? "" : " (" + run.path("label").asText() + ")")
                + ", finished " + run.path("finished").asText();
    }

    static String cells(JsonNode s) {
        return String.format(Locale.ROOT, " | %.1f | %d ms | %d ms | %d ms | %d", s.path("requestsPerSecond").asDouble(),
                s.path("p50").asInt(), s.path("p95").asInt(), s.path("p99").asInt(), s.path("errors").asInt());
    }

    static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Cores, CPU model, memory, JDK and OS of the machine that ran both the server and the load. */
    static String machine() {
        String cpu = "";
        String memory = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).findFirst().orElse("");
        } catch (IOException | RuntimeException notLinux) {
            // Leave them out.
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")")
                + (memory.isEmpty() ? "" : ", " + memory + " RAM") + ", JDK " + System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.runtime.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }
}
