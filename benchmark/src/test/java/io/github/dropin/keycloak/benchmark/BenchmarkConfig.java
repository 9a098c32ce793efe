package io.github.dropin.keycloak.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a benchmark run measures and where, from system properties ({@code benchmark/pom.xml} passes the Maven
 * properties of the same names on to the Gatling JVM).
 *
 * @param urls        {@code benchmark.url}: one server, or several comma-separated nodes of a cluster (virtual users
 *                    are spread over them round robin); loopback only
 * @param realm       {@code benchmark.realm}: the realm the run creates for itself (and the writer deletes)
 * @param smsLogs     {@code benchmark.smsLog}: the server console log file(s) the {@code log} SMS sender writes codes
 *                    to, one per node
 * @param users       {@code benchmark.users}: concurrent virtual users per scenario (closed workload)
 * @param seconds     {@code benchmark.duration}: measured seconds per scenario (after its warm-up)
 * @param warmUp      {@code benchmark.warmUp}: warm-up seconds per scenario; -1 (unset) for the longer of 30 s and
 *                    half the measured time
 * @param label       {@code benchmark.label}: names the run in RESULTS.md (scaling runs: "1 node, 4 users"...)
 * @param summaryDir  where the per-run summaries go ({@code target/benchmark})
 */
record BenchmarkConfig(List<String> urls, String realm, List<Path> smsLogs, int users, int seconds, int warmUp,
                       String label, Path summaryDir) {

    static final String ADMIN_USERNAME = System.getProperty("benchmark.adminUser", "admin");
    static final String ADMIN_PASSWORD = System.getProperty("benchmark.adminPassword", "admin");

    static BenchmarkConfig fromSystemProperties() {
        List<String> urls = split(System.getProperty("benchmark.url", "http://localhost:8080")).stream()
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        for (String url : urls) {
            String host = java.net.URI.create(url).getHost();
            if (!List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(host)) {
                throw new IllegalArgumentException("benchmark.url must be on loopback (localhost, 127.0.0.1): " + url);
            }
        }
        return new BenchmarkConfig(urls,
                System.getProperty("benchmark.realm", "dropin-benchmark"),
                split(System.getProperty("benchmark.smsLog", "")).stream().map(p -> Path.of(p).toAbsolutePath()).toList(),
                Integer.getInteger("benchmark.users", 8),
                Integer.getInteger("benchmark.duration", 60),
                warmUp(System.getProperty("benchmark.warmUp", "")),
                System.getProperty("benchmark.label", ""),
                Path.of(System.getProperty("benchmark.summaries", "target/benchmark")).toAbsolutePath());
    }

    private static int warmUp(String value) {
        return value.isBlank() ? -1 : Math.max(0, Integer.parseInt(value.strip()));
    }

    /** {@code benchmark.only}: parts of scenario names to run alone (comma-separated); empty for every scenario. */
    static List<String> only() {
        return split(System.getProperty("benchmark.only", ""));
    }

    String firstUrl() {
        return urls.get(0);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
