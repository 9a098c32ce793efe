package io.github.dropin.keycloak.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of the cluster profile: the single-node harness's {@link ServerOptions#DEFAULTS} with the two
 * settings that make a cluster, so that both profiles run the pack the same way:
 * <ul>
 *     <li>{@code --db=postgres} instead of {@code dev-file}: a database every node shares;</li>
 *     <li>{@code --cache=ispn} instead of {@code local}: Keycloak's embedded Infinispan with its default stack
 *     ({@code jdbc-ping}: nodes find each other through a table of the shared database, traffic between them
 *     encrypted with mTLS, keys kept in that database too).</li>
 * </ul>
 * {@code docker/} (Dockerfile, compose.yml, keycloak.conf) must say the same; {@code DockerFilesTest} checks it.
 *
 * <p>Per node, {@link #start} adds what differs between nodes or runs: the database URL, the loopback address and
 * port JGroups binds, the Infinispan node name, and the HTTP and management ports.
 */
final class ClusterOptions {

    static final String DB = "--db=postgres";
    static final String CACHE = "--cache=ispn";

    private ClusterOptions() {
    }

    /** The options {@code kc.sh build} gets (and, like in the single-node harness, every start too). */
    static List<String> build(List<String> extraOptions) {
        List<String> options = new ArrayList<>();
        for (String option : ServerOptions.all(extraOptions)) {
            if (option.startsWith("--db=")) {
                options.add(DB);
            } else if (option.startsWith("--cache=")) {
                options.add(CACHE);
            } else {
                options.add(option);
            }
        }
        if (!options.contains(DB) || !options.contains(CACHE)) {
            throw new IllegalStateException("ServerOptions.DEFAULTS no longer sets --db and --cache: " + options);
        }
        return List.copyOf(options);
    }

    /**
     * {@code clusterOptions} plus what is particular to {@code node} in this run.
     *
     * @param frontUrl the URL every node names as its own ({@code --hostname}): behind a load balancer all nodes
     *                 share one issuer, so a token one node issued is valid on the others. Without a balancer here,
     *                 the first node's address stands in for it.
     */
    static List<String> start(List<String> clusterOptions, ClusterNode node, String jdbcUrl, String frontUrl) {
        List<String> options = new ArrayList<>(clusterOptions);
        options.addAll(List.of(
                "--hostname=" + frontUrl,
                "--db-url=" + jdbcUrl,
                "--db-username=" + PostgresServer.USER,
                "--db-password=" + PostgresServer.PASSWORD,
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + node.jgroupsPort(),
                // Readable cluster views in the logs ("[node-a, node-b]") instead of host-random names.
                "--spi-cache-embedded--default--node-name=" + node.name(),
                "--http-host=127.0.0.1",
                "--http-port=" + node.httpPort(),
                "--http-management-port=" + node.managementPort(),
                "--vault-dir=" + node.vaultDir()));
        return List.copyOf(options);
    }
}
