package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the test harness's {@link Cluster} outside the tests, for the benchmark and for trying things by hand:
 * PostgreSQL and N nodes (default 2) with the pack and the demo realm ({@value #DEMO_REALM}), on loopback, until
 * the JVM is stopped (Ctrl-C or SIGTERM stops the nodes, then PostgreSQL).
 * <pre>
 *   mvn -B -Pcluster-up -DskipTests verify                          # two nodes
 *   mvn -B -Pcluster-up -DskipTests verify -Ddropin.cluster.nodes=1 # one node, same database and cache stack
 * </pre>
 * Once every node is ready and they form one cluster view, the node URLs are printed and written to
 * {@code integration-tests/target/cluster-up/cluster.properties} ({@code nodes=http://127.0.0.1:...,...}, the nodes'
 * {@code management=} URLs and the database's {@code jdbc=} URL), which {@code benchmark/scaling.sh},
 * {@code million.sh} and {@code soak.sh} read. It shares the cluster tests' copy of the distribution: do not run both at once.
 */
public final class ClusterLauncher {

    /** The realm every node imports at start: the demo's, the same file {@code docker/compose.yml} mounts. */
    public static final String DEMO_REALM = "docker/import/demo-realm.json";

    private ClusterLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
        Cluster.Config config = Cluster.Config.fromSystemProperties()
                .withRealmImports(List.of(root.resolve(DEMO_REALM)))
                .withoutTestClock();
        Cluster cluster = Cluster.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "cluster-launcher-stop"));

        String urls = cluster.nodes().stream().map(ClusterNode::serverUrl).collect(Collectors.joining(","));
        Path properties = config.runDir().resolve("cluster.properties");
        try {
            // The benchmark's million-user mode loads users straight into the database (benchmark/million.sh) and
            // reads the nodes' meters (heap, single-use entries) for the soak run.
            Files.writeString(properties, "nodes=" + urls + "\n"
                    + "management=" + cluster.nodes().stream().map(ClusterNode::managementUrl)
                            .collect(Collectors.joining(",")) + "\n"
                    + "jdbc=" + cluster.jdbcUrl() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + properties, e);
        }
        System.out.printf("%n  Keycloak cluster of %d node(s) with the Drop-in Pack and the demo realm is ready:%n",
                cluster.nodes().size());
        for (ClusterNode node : cluster.nodes()) {
            System.out.printf("    %s  %s/realms/demo  (admin console %s/admin/, admin / admin; log %s)%n", node.name(),
                    node.serverUrl(), node.serverUrl(), node.log().file());
        }
        System.out.printf("  Node URLs are in %s. Stop with Ctrl-C.%n%n", properties);
        stopped.await();
    }
}
