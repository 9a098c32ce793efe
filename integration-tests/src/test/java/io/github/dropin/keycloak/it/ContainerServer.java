package io.github.dropin.keycloak.it;

import dasniko.testcontainers.keycloak.KeycloakContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keycloak in the official image {@code quay.io/keycloak/keycloak:<keycloak.version>} through
 * testcontainers-keycloak, for machines with Docker ({@code mvn verify -Ptestcontainers}). Same jars (the test clock
 * included), same options, same {@link ServerLog}; only the network setup differs: the container listens on
 * its default ports and Testcontainers maps them to free host ports.
 *
 * <p>It runs {@code kc.sh start} (production mode, not {@code start-dev}) with the options on the command
 * line, so Keycloak builds itself inside the container with exactly the options the distribution run uses.
 */
final class ContainerServer extends KeycloakServer {

    private static final String IMAGE = "quay.io/keycloak/keycloak:";
    /** Includes the in-container build and, on a fresh machine, is dominated by the image pull. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    private final KeycloakContainer container;

    /** Where the container sees the host's vault directory. */
    private static final String VAULT_DIR = "/opt/keycloak/vault";

    private ContainerServer(ServerLog log, java.nio.file.Path vaultDir, KeycloakContainer container) {
        super(log, vaultDir);
        this.container = container;
    }

    @SuppressWarnings("resource") // closed in close(), when JUnit closes the root store
    static ContainerServer start(HarnessConfig config, ServerLog log) {
        KeycloakContainer container = new KeycloakContainer(IMAGE + config.keycloakVersion())
                .withProductionMode()
                .withAdminUsername(ADMIN_USERNAME)
                .withAdminPassword(ADMIN_PASSWORD)
                .withProviderLibsFrom(config.providerJars().stream().map(Path::toFile).toList())
                .withStartupTimeout(STARTUP_TIMEOUT)
                .withLogConsumer(frame -> {
                    if (frame.getBytes() != null) { // null marks the end of the stream
                        log.append(frame.getUtf8StringWithoutLineEnding());
                    }
                });
        config.options().forEach(container::withCustomCommand);
        try {
            java.nio.file.Files.createDirectories(config.vaultDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + config.vaultDir(), e);
        }
        container.withFileSystemBind(config.vaultDir().toString(), VAULT_DIR, org.testcontainers.containers.BindMode.READ_ONLY)
                .withCustomCommand("--vault-dir=" + VAULT_DIR);
        long started = System.nanoTime();
        container.start();
        System.out.printf("[dropin-it] Keycloak container %s ready in %.1f s at %s%n", container.getDockerImageName(),
                (System.nanoTime() - started) / 1e9, container.getAuthServerUrl());
        return new ContainerServer(log, config.vaultDir(), container);
    }

    @Override
    public String serverUrl() {
        return stripSlash(container.getAuthServerUrl());
    }

    @Override
    public String managementUrl() {
        return stripSlash(container.getMgmtServerUrl());
    }

    /** Host ports are reachable from the container as {@code host.testcontainers.internal} once exposed. */
    @Override
    public String hostUrl(int port) {
        org.testcontainers.Testcontainers.exposeHostPorts(port);
        return "http://host.testcontainers.internal:" + port;
    }

    @Override
    public void close() {
        container.stop();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
