package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;

/**
 * The soak run ({@code benchmark/soak.sh}): mixed traffic against one node, in two steps.
 * <ol>
 *     <li>Capacity ({@code benchmark.soak.rate=0}): the mix with {@value #CAPACITY_USERS} concurrent users, as fast
 *     as the node answers, for a warm-up and {@code benchmark.duration} measured seconds; the mixes per second are
 *     written to {@code target/benchmark/soak-capacity.txt}.</li>
 *     <li>Soak ({@code benchmark.soak.rate} mixes per second, about 70 % of that capacity): an open workload (a new
 *     mix at a fixed rate, whatever the node's answers) for a minute of warm-up and {@code benchmark.soak.minutes}
 *     measured minutes. Every {@value #SAMPLE_SECONDS} s a sampler reads the node's {@code /metrics} (heap, old
 *     generation, live data after the last collection of the old generation, entries of the single-use store, the
 *     {@code actionTokens} cache) and the last interval's requests and p99. The summary holds the timeline and the
 *     first and last five minutes; {@link SoakPlots} draws the timeline into {@code benchmark/soak/}.</li>
 * </ol>
 * The mix (one iteration): the phone-otp round 30 %, the direct-grant round 15 %, jwt-auth's rotating refresh 20 %,
 * jwt-auth's verify 20 %, Djoser's {@code users/me/} 12 %, token-auth's password login 3 % (an argon2 hash, the
 * costliest request by far). Every sign-in leaves its session behind, as apps do.
 */
public class SoakSimulation extends Simulation {

    static final int CAPACITY_USERS = 16;
    static final int SAMPLE_SECONDS = 10;
    /** The scenarios of the mix and their shares in percent. */
    static final Map<String, Double> MIX = mix();

    private static Map<String, Double> mix() {
        Map<String, Double> mix = new LinkedHashMap<>();
        mix.put(Scenarios.PHONE_OTP, 30.0);
        mix.put(Scenarios.DIRECT_GRANT, 15.0);
        mix.put(Scenarios.JWT_AUTH_REFRESH, 20.0);
        mix.put(Scenarios.JWT_AUTH_VERIFY, 20.0);
        mix.put(Scenarios.USERS_ME, 12.0);
        mix.put(Scenarios.TOKEN_AUTH_LOGIN, 3.0);
        return mix;
    }

    private static final Pattern METRIC = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ([-0-9.eE+NaInf]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final double rate = Double.parseDouble(System.getProperty("benchmark.soak.rate", "0"));
    private final int minutes = Integer.getInteger("benchmark.soak.minutes", 30);
    private final List<String> management = java.util.Arrays.stream(System.getProperty("benchmark.management", "")
            .split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    private final Scenarios scenarios = new Scenarios(config, PairsSimulation.demoRealm());
    private final AtomicLong mixes = new AtomicLong();
    private final List<Map<String, Object>> timeline = new ArrayList<>();
    private volatile long measuredFrom;
    private volatile long measuredTo;
    private Thread sampler;

    {
        if (rate > 0 && management.isEmpty()) {
            throw new IllegalArgumentException("The soak run samples the node's /metrics: pass -Dbenchmark.management="
                    + "http://127.0.0.1:<management port> (benchmark/soak.sh does)");
        }
        MIX.keySet().forEach(name -> scenarios.recorder().series(name).withTimeline());
        setUp(plan()).protocols(scenarios.protocol());
    }

    private ChainBuilder mixChain(int segment) {
        List<io.gatling.javaapi.core.Choice.WithWeight> choices = new ArrayList<>();
        MIX.forEach((name, share) -> choices.add(percent(share).then(scenarios.chain(name, segment))));
        return exec(randomSwitch().on(choices.toArray(io.gatling.javaapi.core.Choice.WithWeight[]::new)))
                .exec(session -> {
                    if (segment >= 0 && !session.isFailed()) {
                        mixes.incrementAndGet();
                    }
                    return session;
                });
    }

    private PopulationBuilder plan() {
        int warmUp = config.warmUp() >= 0 ? config.warmUp() : 60;
        if (rate <= 0) {
            return warmUpThenMeasured("soak mix: capacity",
                    constantConcurrentUsers(CAPACITY_USERS).during(Duration.ofSeconds(warmUp)),
                    constantConcurrentUsers(CAPACITY_USERS).during(Duration.ofSeconds(config.seconds())));
        }
        return warmUpThenMeasured("soak mix", constantUsersPerSec(rate).during(Duration.ofSeconds(warmUp)),
                constantUsersPerSec(rate).during(Duration.ofMinutes(minutes)));
    }

    /** The mix with {@code warmUp}, then measured (from its first iteration on) with {@code measured}. */
    private PopulationBuilder warmUpThenMeasured(String name, ClosedInjectionStep warmUp, ClosedInjectionStep measured) {
        return CoreDsl.scenario(name + " (warm-up)").exec(mixChain(-1)).injectClosed(warmUp)
                .andThen(measuredMix(name).injectClosed(measured));
    }

    private PopulationBuilder warmUpThenMeasured(String name, OpenInjectionStep warmUp, OpenInjectionStep measured) {
        return CoreDsl.scenario(name + " (warm-up)").exec(mixChain(-1)).injectOpen(warmUp)
                .andThen(measuredMix(name).injectOpen(measured));
    }

    private io.gatling.javaapi.core.ScenarioBuilder measuredMix(String name) {
        return CoreDsl.scenario(name + " (measured)").exec(exec(session -> {
            markStart();
            return session;
        }).exec(mixChain(0)));
    }

    /** Called by every measured mix: only the first one starts the clock (and the sampler). */
    private void markStart() {
        if (measuredFrom == 0) {
            startOnce();
        }
    }

    private synchronized void startOnce() {
        if (measuredFrom == 0) {
            measuredFrom = System.currentTimeMillis();
            if (rate > 0) {
                sampler = new Thread(this::sample, "soak-sampler");
                sampler.setDaemon(true);
                sampler.start();
            }
        }
    }

    /** Every {@link #SAMPLE_SECONDS} s: the node's meters and the last interval's answers. */
    private void sample() {
        List<Recorder.Series> series = MIX.keySet().stream().map(n -> scenarios.recorder().series(n)).toList();
        long next = measuredFrom + SAMPLE_SECONDS * 1000L;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
                long end = next / 1000;
                // The interval's own answers; p99 over the last minute, so each point has a few thousand behind it.
                Recorder.Window interval = Recorder.window(series, end - SAMPLE_SECONDS, end);
                Recorder.Window minute = Recorder.window(series, end - 60, end);
                Map<String, Double> meters = scrape();
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("second", (next - measuredFrom) / 1000);
                point.put("requestsPerSecond", interval.requests() / (double) SAMPLE_SECONDS);
                point.put("errors", interval.errors());
                point.put("p99LastMinute", minute.p99());
                point.putAll(meters);
                synchronized (timeline) {
                    timeline.add(point);
                }
                next += SAMPLE_SECONDS * 1000L;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap and single-use entries of every node, summed (one node in soak.sh). */
    private Map<String, Double> scrape() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("heapUsedMb", 0.0);
        values.put("oldGenUsedMb", 0.0);
        values.put("liveDataAfterGcMb", 0.0);
        values.put("singleUseEntries", 0.0);
        for (String url : management) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                for (String line : response.body().split("\n")) {
                    Matcher m = METRIC.matcher(line);
                    if (!m.matches()) {
                        continue;
                    }
                    String name = m.group(1);
                    String labels = m.group(2) == null ? "" : m.group(2);
                    double value = Double.parseDouble(m.group(3));
                    if (name.equals("jvm_memory_used_bytes") && labels.contains("area=\"heap\"")) {
                        values.merge("heapUsedMb", value / 1048576.0, Double::sum);
                        if (labels.contains("Old Gen")) {
                            values.merge("oldGenUsedMb", value / 1048576.0, Double::sum);
                        }
                    } else if (name.equals("jvm_gc_live_data_size_bytes")) {
                        values.merge("liveDataAfterGcMb", value / 1048576.0, Double::sum);
                    } else if (name.equals("vendor_statistics_approximate_entries")
                            && labels.contains("cache=\"actionTokens\"")) {
                        values.merge("singleUseEntries", value, Double::sum);
                    }
                }
            } catch (IOException e) {
                values.put("scrapeFailed", 1.0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return values;
    }

    @Override
    public void after() {
        measuredTo = System.currentTimeMillis();
        if (sampler != null) {
            sampler.interrupt();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        double seconds = Math.max(1, (measuredTo - measuredFrom) / 1000.0);
        extra.put("mixesPerSecond", mixes.get() / seconds);
        extra.put("mix", MIX);
        if (rate <= 0) {
            double capacity = mixes.get() / seconds;
            System.out.printf(Locale.ROOT, "[benchmark] capacity %.1f mixes/s%n", capacity);
            try {
                Files.createDirectories(config.summaryDir());
                Files.writeString(config.summaryDir().resolve("soak-capacity.txt"),
                        String.format(Locale.ROOT, "%.1f%n", capacity));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path summary = scenarios.summarise("soak-capacity", List.of(), extra);
            System.out.println("[benchmark] summary " + summary);
            return;
        }
        List<Recorder.Series> series = MIX.keySet().stream().map(n -> scenarios.recorder().series(n)).toList();
        long from = measuredFrom / 1000;
        long to = measuredTo / 1000;
        extra.put("rate", rate);
        extra.put("minutes", minutes);
        extra.put("capacity", Double.parseDouble(System.getProperty("benchmark.soak.capacity", "0")));
        extra.put("first5", window(Recorder.window(series, from, from + 300)));
        extra.put("last5", window(Recorder.window(series, to - 300, to)));
        extra.put("all", window(Recorder.window(series, from, to + 1)));
        synchronized (timeline) {
            extra.put("timeline", new ArrayList<>(timeline));
            Path plots = Path.of(System.getProperty("benchmark.soak.plots", "soak")).toAbsolutePath();
            SoakPlots.write(plots, timeline);
            extra.put("plots", plots.toString());
        }
        Path summary = scenarios.summarise("soak", List.of(), extra);
        System.out.println("[benchmark] summary " + summary);
    }

    private static Map<String, Object> window(Recorder.Window w) {
        return Map.of("requests", w.requests(), "errors", w.errors(), "p50", w.p50(), "p99", w.p99());
    }
}
