package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keycloak as a cluster on one machine: a throw-away {@link PostgresServer} and N {@link ClusterNode}s (default 2)
 * started from one copy of the distribution, built once with the pack's jars and {@link ClusterOptions}. The
 * distributed state is Keycloak's own: Infinispan caches replicated between the nodes (JGroups on loopback,
 * discovery through the shared database) and the database.
 *
 * <p>{@link #start} returns when every node answers {@code /health/ready} and every node's newest cluster view
 * lists all nodes. Nodes start one after another: the first creates the schema, the next ones join.
 */
public final class Cluster implements AutoCloseable {

    static final Duration NODE_READY_TIMEOUT = Duration.ofMinutes(6);
    static final Duration VIEW_TIMEOUT = Duration.ofMinutes(2);
    private static final java.util.regex.Pattern ACTION_TOKENS_MEMBERS = java.util.regex.Pattern.compile(
            "\\[Context=actionTokens] ISPN100008: Updating cache members list \\[(.*)]");

    /**
     * Where things are and how many nodes.
     *
     * @param keycloakHome  the cluster's own unpacked distribution (not the single-node harness's, which is built for dev-file)
     * @param providersDir  the pack's jars as the reactor built them
     * @param runDir        per-run state, wiped at start: PostgreSQL's data, node logs, transaction logs
     * @param nodes         how many nodes
     * @param extraOptions  {@code -Ddropin.it.extraOptions}, appended to the build options as in the single-node harness
     * @param realmImports  realm JSON files imported at start ({@code --import-realm}); empty for the tests, which
     *                      import one realm per class through the admin API
     * @param testClock     whether the nodes get the test-only clock ({@link TestClock}): the tests' cluster does,
     *                      the {@code cluster-up} launcher's does not
     */
    public record Config(Path keycloakHome, Path providersDir, Path testProvidersDir, Path runDir, int nodes,
                         List<String> extraOptions, List<Path> realmImports, boolean testClock) {

        public Config {
            if (nodes < 1 || nodes > 26) {
                throw new IllegalArgumentException("1 to 26 nodes, not " + nodes);
            }
            extraOptions = List.copyOf(extraOptions);
            realmImports = List.copyOf(realmImports);
        }

        /** From the failsafe configuration of {@code integration-tests/pom.xml}. */
        static Config fromSystemProperties() {
            HarnessConfig harness = HarnessConfig.fromSystemProperties();
            Path target = Path.of("target").toAbsolutePath();
            return new Config(
                    path("dropin.cluster.keycloakHome", target.resolve("cluster/keycloak-" + harness.keycloakVersion())),
                    harness.providersDir(),
                    harness.testProvidersDir(),
                    path("dropin.cluster.runDir", target.resolve("cluster-run")),
                    Integer.getInteger("dropin.cluster.nodes", 2),
                    harness.extraOptions(),
                    List.of(),
                    true);
        }

        Config withNodes(int count) {
            return new Config(keycloakHome, providersDir, testProvidersDir, runDir, count, extraOptions, realmImports, testClock);
        }

        Config withRealmImports(List<Path> files) {
            return new Config(keycloakHome, providersDir, testProvidersDir, runDir, nodes, extraOptions, files, testClock);
        }

        /** A cluster for people and the benchmark rather than the tests: no clock a client could move. */
        Config withoutTestClock() {
            return new Config(keycloakHome, providersDir, testProvidersDir, runDir, nodes, extraOptions, realmImports, false);
        }

        /** The pack's jars, and the test clock's if this cluster has it. */
        List<Path> providerJars() {
            try {
                List<Path> jars = new ArrayList<>(DistributionServer.jarsIn(providersDir));
                if (testClock) {
                    jars.addAll(TestClock.jars(testProvidersDir));
                }
                return List.copyOf(jars);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + providersDir, e);
            }
        }

        /** {@link ClusterOptions}, plus the test clock's options if this cluster has it. */
        List<String> options() {
            List<String> options = new ArrayList<>(ClusterOptions.build(extraOptions));
            if (testClock) {
                options.addAll(TestClock.OPTIONS);
            }
            return List.copyOf(options);
        }

        private static Path path(String property, Path fallback) {
            String value = System.getProperty(property);
            return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath();
        }
    }

    private final PostgresServer postgres;
    private final List<ClusterNode> nodes;

    private Cluster(PostgresServer postgres, List<ClusterNode> nodes) {
        this.postgres = postgres;
        this.nodes = List.copyOf(nodes);
    }

    /** Builds the distribution if the jars or options changed, then starts PostgreSQL and every node. */
    public static Cluster start(Config config) {
        long started = System.nanoTime();
        Path home = config.keycloakHome();
        Path kcSh = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kcSh)) {
            throw new IllegalStateException(kcSh + " not found: the pre-integration-test phase of integration-tests "
                    + "unpacks the cluster's copy of the distribution, run 'mvn verify' once");
        }
        kcSh.toFile().setExecutable(true);
        Path runDir = DistributionServer.recreate(config.runDir());
        List<String> options = config.options();
        DistributionServer.installAndBuildIfChanged(home, config.providerJars(), options,
                ServerLog.createFresh(runDir.resolve("kc-build.log")));
        installRealmImports(home, config.realmImports());
        List<String> nodeOptions = new ArrayList<>(options);
        if (!config.realmImports().isEmpty()) {
            nodeOptions.add("--import-realm");
        }

        PostgresServer postgres = PostgresServer.start(runDir.resolve("postgres"), runDir.resolve("postgres.log"));
        List<ClusterNode> nodes = new ArrayList<>();
        Cluster cluster;
        try {
            for (int i = 0; i < config.nodes(); i++) {
                String name = "node-" + (char) ('a' + i);
                ClusterNode node = new ClusterNode(name, home, runDir.resolve(name), ServerLog.createFresh(
                        runDir.resolve(name + ".log")), nodeOptions, postgres.jdbcUrl(), nodes.isEmpty() ? null : nodes.get(0));
                nodes.add(node);
                node.start(NODE_READY_TIMEOUT);
            }
            cluster = new Cluster(postgres, nodes);
            cluster.awaitView();
        } catch (RuntimeException e) {
            nodes.forEach(ClusterNode::kill);
            postgres.close();
            throw e;
        }
        DistributionServer.report("Cluster of %d node(s) on PostgreSQL ready in %.1f s: %s", nodes.size(),
                DistributionServer.seconds(started), nodes);
        return cluster;
    }

    public List<ClusterNode> nodes() {
        return nodes;
    }

    /** The first node. */
    public ClusterNode a() {
        return nodes.get(0);
    }

    /** The second node. */
    public ClusterNode b() {
        return nodes.get(1);
    }

    /** The node after {@code node}, round robin: for spreading requests over every node. */
    public ClusterNode next(int i) {
        return nodes.get(Math.floorMod(i, nodes.size()));
    }

    public Optional<ClusterNode> anyRunning() {
        return nodes.stream().filter(ClusterNode::isRunning).findFirst();
    }

    /**
     * Moves every running node's clock forward by {@code by} ({@link KeycloakServer#moveClock}), one node after the
     * other: nodes of a real cluster share the time, and Infinispan expires a replicated entry on each owner by that
     * owner's clock. The extension puts the clocks back after the test.
     */
    public void moveClock(Duration by) {
        nodes.stream().filter(ClusterNode::isRunning).forEach(node -> node.moveClock(by));
    }

    /** Puts every running node's clock back to the real time, if it was moved; whether any was. */
    public boolean resetClocks() {
        List<ClusterNode> moved = nodes.stream().filter(node -> node.isRunning() && node.isClockMoved()).toList();
        moved.forEach(ClusterNode::resetClock);
        return !moved.isEmpty();
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /**
     * How many SMS to {@code to} in {@code realm} all nodes together printed since their logs were last marked
     * (the extension marks them before each test).
     */
    public long smsCount(String realm, String to) {
        java.util.regex.Pattern sms = SmsInbox.smsPattern(realm, to);
        return nodes.stream().mapToLong(node -> node.log().linesFrom(node.log().lastMark()).stream()
                .filter(sms.asPredicate()).count()).sum();
    }

    /**
     * Waits until exactly {@code expected} SMS to {@code to} are in the nodes' logs since their marks, then a second
     * more to see that nothing else follows, and asserts the count. The sender logs inside the request, so the lines
     * are there when the responses are; the wait only covers the log files being flushed.
     */
    public void awaitSmsCount(String realm, String to, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (smsCount(realm, to) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        org.assertj.core.api.Assertions.assertThat(smsCount(realm, to)).as("SMS to %s", to).isEqualTo(expected);
    }

    /** Starts again every node that was killed or stopped, and waits until all of them form one view. */
    public void ensureComplete() {
        boolean restarted = false;
        for (ClusterNode node : nodes) {
            if (!node.isRunning()) {
                node.start(NODE_READY_TIMEOUT);
                restarted = true;
            }
        }
        if (restarted) {
            awaitView();
        }
    }

    /**
     * {@code kill -9} of {@code node}, then waits until the others have taken over its share of the distributed
     * caches: a new cluster view without it, and the coordinator's new members list for {@code actionTokens}, the
     * cache behind Keycloak's single-use object store.
     *
     * <p>Why wait: a conditional write ({@code putIfAbsent}) in flight while the cluster notices the death is
     * retried by Infinispan under the new topology, and a retry counts "the key already holds the value I meant
     * to write" as its own success. Single-use store markers all have the same (empty) value, so such a retried
     * claim of a cooldown or limit slot that exists can pass once. The README describes this window; the tests
     * check the state that survives, after it.
     */
    public void kill(ClusterNode node) {
        Map<ClusterNode, Long> marks = new java.util.HashMap<>();
        for (ClusterNode other : nodes) {
            if (other != node && other.isRunning()) {
                marks.put(other, other.log().mark());
            }
        }
        node.kill();
        awaitView();
        List<String> expected = marks.keySet().stream().map(ClusterNode::name).sorted().toList();
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        while (true) {
            for (Map.Entry<ClusterNode, Long> other : marks.entrySet()) {
                for (String line : other.getKey().log().linesFrom(other.getValue())) {
                    java.util.regex.Matcher m = ACTION_TOKENS_MEMBERS.matcher(line);
                    if (m.find() && ClusterNode.parseMembers(m.group(1)).stream().sorted().toList().equals(expected)) {
                        return;
                    }
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("No new actionTokens topology " + expected + " within " + VIEW_TIMEOUT
                        + " after killing " + node.name());
            }
            pause();
        }
    }

    /**
     * {@code kill -9} of every node at once, as a power cut would: what Keycloak keeps only in its caches is gone,
     * the database stays. {@link #ensureComplete} starts them again.
     */
    public void killAll() {
        nodes.forEach(ClusterNode::kill);
    }

    /** Waits until each running node's newest cluster view lists exactly the running nodes. */
    public void awaitView() {
        List<String> expected = nodes.stream().filter(ClusterNode::isRunning).map(ClusterNode::name).sorted().toList();
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        while (true) {
            List<String> views = new ArrayList<>();
            boolean complete = true;
            for (ClusterNode node : nodes) {
                if (!node.isRunning()) {
                    continue;
                }
                Optional<List<String>> view = node.currentView().map(members -> members.stream().sorted().toList());
                views.add(node.name() + "=" + view.map(Object::toString).orElse("none"));
                complete &= view.isPresent() && view.get().equals(expected);
            }
            if (complete) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Cluster view not " + expected + " within " + VIEW_TIMEOUT
                        + ": " + views);
            }
            pause();
        }
    }

    /** Stops every node (gracefully), then PostgreSQL. */
    @Override
    public void close() {
        long stopping = System.nanoTime();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        postgres.close();
        DistributionServer.report("Cluster stopped in %.1f s", DistributionServer.seconds(stopping));
    }

    private static void installRealmImports(Path home, List<Path> files) {
        Path importDir = home.resolve("data/import");
        try {
            DistributionServer.recreate(home.resolve("data"));
            if (!files.isEmpty()) {
                Files.createDirectories(importDir);
                for (Path file : files) {
                    Files.copy(file, importDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + importDir, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the cluster view", e);
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(nodes.toArray());
    }
}
