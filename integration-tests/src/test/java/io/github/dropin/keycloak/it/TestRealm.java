package io.github.dropin.keycloak.it;

/**
 * A realm imported for one test class from the fixture named in {@link KeycloakRealm}, under a unique name
 * (the fixture's name plus a random suffix), and deleted after the class. Inject it into a constructor,
 * {@code @BeforeAll} or test method.
 */
public final class TestRealm {

    private final KeycloakServer server;
    private final String name;
    private final AdminApi admin;

    TestRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
        this.admin = new AdminApi(server, name);
    }

    /** The unique realm name, e.g. {@code smoke-k3x9qa}. */
    public String name() {
        return name;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String serverUrl() {
        return server.serverUrl();
    }

    /** {@code <server>/realms/<name>}: the base of the dialects and the OIDC endpoints. */
    public String realmUrl() {
        return server.serverUrl() + "/realms/" + name;
    }

    /** The admin REST API of this realm. */
    public AdminApi admin() {
        return admin;
    }

    @Override
    public String toString() {
        return name;
    }
}
