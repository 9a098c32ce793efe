package io.github.dropin.keycloak.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Keycloak node of a {@link Cluster}: a {@code kc.sh start --optimized} process of the cluster's distribution
 * copy with its own HTTP, management and JGroups ports on loopback, its own Infinispan node name, its own
 * transaction-log directory and its own {@link ServerLog}. Ports stay the same across restarts, so URLs a test
 * holds remain valid.
 */
public final class ClusterNode extends KeycloakServer {

    /**
     * Infinispan's view line, e.g. {@code ISPN000094: Received new cluster view for channel ISPN: [node-a|1] (2)
     * [node-a, node-b]}; group 1 is the member count, group 2 the members.
     */
    static final Pattern VIEW = Pattern.compile("ISPN000094: Received new cluster view for channel \\S+: \\[[^]]*] \\((\\d+)\\) \\[(.*)]");

    private static final String HOST = "127.0.0.1";

    private final String name;
    private final Path home;
    private final Path stateDir;
    private final int httpPort;
    private final int managementPort;
    private final int jgroupsPort;
    private final List<String> startOptions;
    private Process process;
    private long startedAt;
    private Thread killOnExit;

    ClusterNode(String name, Path home, Path stateDir, ServerLog log, List<String> clusterOptions, String jdbcUrl,
                ClusterNode first) {
        // Both nodes read one vault directory, as nodes sharing a mounted secret store would.
        super(log, stateDir.getParent().resolve("vault"));
        this.name = name;
        this.home = home;
        this.stateDir = stateDir;
        this.httpPort = DistributionServer.freePort();
        this.managementPort = DistributionServer.freePort();
        this.jgroupsPort = DistributionServer.freePort();
        this.startOptions = ClusterOptions.start(clusterOptions, this, jdbcUrl,
                (first == null ? this : first).serverUrl());
    }

    /** {@code node-a}, {@code node-b}, ...: also the node's Infinispan name, as it appears in cluster views. */
    public String name() {
        return name;
    }

    @Override
    public String serverUrl() {
        return "http://" + HOST + ":" + httpPort;
    }

    @Override
    public String managementUrl() {
        return "http://" + HOST + ":" + managementPort;
    }

    int httpPort() {
        return httpPort;
    }

    int managementPort() {
        return managementPort;
    }

    int jgroupsPort() {
        return jgroupsPort;
    }

    /** The development SMS sender's messages as this node printed them. */
    public SmsInbox inbox() {
        return new SmsInbox(log());
    }

    public boolean isRunning() {
        return process != null && process.isAlive() && process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    /** Starts the node and waits for {@code /health/ready}; the cluster view is awaited by {@link Cluster}. */
    synchronized void start(Duration timeout) {
        if (isRunning()) {
            return;
        }
        // Flags without a value (--import-realm) stay on the command line; they are start options, never build
        // options, so Keycloak 26.4 takes them there.
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized"));
        startOptions.stream().filter(o -> !o.contains("=")).forEach(command::add);
        long started = System.nanoTime();
        try {
            // Keycloak refuses to start with --vault-dir naming a directory that does not exist; the run directory
            // it lives in is wiped at each cluster start.
            java.nio.file.Files.createDirectories(vaultDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create the vault directory " + vaultDir(), e);
        }
        startedAt = log().mark();
        clockRestarted();
        // The options as environment variables (DistributionServer#environment: Keycloak 26.4 refuses build-time
        // options on the command line of start --optimized).
        Map<String, String> env = new java.util.LinkedHashMap<>(DistributionServer.environment(startOptions.stream().filter(o -> o.contains("=")).toList()));
        env.putAll(Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD,
                // Both nodes run from one distribution copy; Narayana's object store must not be shared.
                "JAVA_OPTS_APPEND", "-Dquarkus.transaction-manager.object-store.directory="
                        + stateDir.resolve("transaction-logs")));
        process = DistributionServer.launch(command, home, log(), env);
        Process launched = process;
        killOnExit = new Thread(() -> DistributionServer.destroyTree(launched, true), name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        DistributionServer.awaitReady(process, managementUrl(), log(), timeout);
        DistributionServer.report("%s ready in %.1f s at %s (management %s, JGroups %s:%d), log %s", name,
                DistributionServer.seconds(started), serverUrl(), managementUrl(), HOST, jgroupsPort, log().file());
    }

    /**
     * {@code kill -9} of the Keycloak JVM: no shutdown hook, no leaving the cluster, no flushing. The other nodes
     * learn of it from JGroups' failure detection.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> jvm = process.descendants().toList();
        jvm.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            for (ProcessHandle handle : jvm) {
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not kill " + name, e);
        }
        removeHook();
        DistributionServer.report("%s killed (SIGKILL)", name);
    }

    /** Graceful stop (SIGTERM: Keycloak leaves the cluster and shuts down). */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        DistributionServer.destroyTree(process, false);
        removeHook();
    }

    /** Members of the newest cluster view this node logged since its last start, if any. */
    Optional<List<String>> currentView() {
        List<String> members = null;
        for (String line : log().linesFrom(startedAt)) {
            Matcher m = VIEW.matcher(line);
            if (m.find()) {
                members = parseMembers(m.group(2));
            }
        }
        return Optional.ofNullable(members);
    }

    /** {@code node-a(v=16.0.14), node-b(v=16.0.14)} gives {@code [node-a, node-b]}. */
    static List<String> parseMembers(String list) {
        List<String> names = new ArrayList<>();
        for (String member : list.split(",")) {
            String trimmed = member.strip();
            int paren = trimmed.indexOf('(');
            names.add(paren >= 0 ? trimmed.substring(0, paren) : trimmed);
        }
        return names;
    }

    private void removeHook() {
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
            killOnExit = null;
        }
    }

    @Override
    public String toString() {
        return name + " (" + serverUrl() + ")";
    }
}
