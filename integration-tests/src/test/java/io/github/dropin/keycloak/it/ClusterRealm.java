package io.github.dropin.keycloak.it;

/**
 * A realm imported into a {@link Cluster} for one test class: one realm in the shared database, reachable through
 * every node. {@link #on(ClusterNode)} gives the usual {@link TestRealm} (URLs, admin API) bound to one node.
 */
public final class ClusterRealm {

    private final Cluster cluster;
    private final String name;

    ClusterRealm(Cluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The realm through {@code node}: {@code on(cluster.b()).realmUrl()} is node B's URL of the realm. */
    public TestRealm on(ClusterNode node) {
        return new TestRealm(node, name);
    }

    /** Through the first node. */
    public TestRealm a() {
        return on(cluster.a());
    }

    /** Through the second node. */
    public TestRealm b() {
        return on(cluster.b());
    }

    /** The admin API through any running node (the realm's data is the same on all). */
    public AdminApi admin() {
        return on(cluster.anyRunning().orElseThrow(() -> new IllegalStateException("No node is running"))).admin();
    }

    @Override
    public String toString() {
        return name;
    }
}
