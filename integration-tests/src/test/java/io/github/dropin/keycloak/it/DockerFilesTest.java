package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker/} (Dockerfile, compose.yml, keycloak.conf) must run the same cluster as the cluster tests
 * ({@link ClusterOptions}): the same Keycloak version, the same jars, the same options and the same realm file.
 * There is no Docker engine in the build, so the files are parsed (Dockerfile instructions, compose YAML with its
 * anchors and merge keys, keycloak.conf) and compared with the harness's own definitions.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("dropin.it.keycloakVersion");

    /**
     * Options of the cluster profile that only make sense for several nodes on one machine's loopback; in Docker
     * every node has its own address, ports and host name, and Keycloak's defaults are right.
     */
    private static final Set<String> LOOPBACK_ONLY = Set.of("cache-embedded-network-bind-address",
            "cache-embedded-network-bind-port", "spi-cache-embedded--default--node-name", "http-host", "http-port",
            "http-management-port");
    /**
     * Options only the test harness sets: the fake server-wide provider credentials ({@link ServerSecrets}) and the
     * endpoints realms may point the senders at (the tests' fakes on loopback). The demo has neither: its realms use
     * the server's endpoints only.
     */
    private static final Set<String> HARNESS_ONLY = Set.of("spi-sms-sender--twilio--account-sid",
            "spi-sms-sender--twilio--auth-token", "spi-sms-sender--http--secret",
            "spi-sms-sender--twilio--allowed-endpoints", "spi-sms-sender--http--allowed-endpoints");
    /** Per-node options whose values differ between the harness and Docker (host names) but must be set. */
    private static final Set<String> SET_PER_ENVIRONMENT = Set.of("db-url", "db-username", "db-password", "hostname",
            "vault-dir");

    private static Map<String, String> conf;
    private static List<String> dockerfile;
    private static Map<String, Object> compose;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void read() throws Exception {
        conf = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docker/keycloak.conf"))) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                conf.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
            }
        }
        dockerfile = instructions(Files.readString(ROOT.resolve("docker/Dockerfile")));
        compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yml")));
    }

    @Test
    void dockerfileBuildsOnTheKeycloakVersionOfTheClusterProfile() {
        assertThat(VERSION).isNotBlank();
        assertThat(dockerfile).contains("ARG KEYCLOAK_VERSION=" + VERSION);
        List<String> froms = dockerfile.stream().filter(i -> i.startsWith("FROM ")).toList();
        assertThat(froms).hasSize(2).allSatisfy(from -> assertThat(from).startsWith("FROM quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}"));
        for (Map<String, Object> node : keycloakNodes().values()) {
            assertThat(map(node.get("build"))).doesNotContainKey("args");
        }
    }

    @Test
    void dockerfileInstallsExactlyTheJarsTheClusterProfileInstalls() throws Exception {
        Set<String> copied = new TreeSet<>();
        for (String instruction : dockerfile) {
            if (instruction.startsWith("COPY ") && instruction.endsWith("/opt/keycloak/providers/")) {
                for (String word : instruction.split("\\s+")) {
                    if (word.endsWith(".jar")) {
                        copied.add(Path.of(word).getFileName().toString());
                        assertThat(word).as("a jar the reactor builds").matches("[a-z-]+/target/dropin-[a-z-]+\\.jar");
                    }
                }
            }
        }
        assertThat(copied).isEqualTo(harnessJars());
    }

    @Test
    void dockerSetsEveryOptionOfTheClusterProfile() {
        Map<String, String> build = options(buildCommand());
        for (Map.Entry<String, Map<String, Object>> node : keycloakNodes().entrySet()) {
            Map<String, String> docker = new LinkedHashMap<>(conf);
            docker.putAll(build);
            docker.putAll(environmentOptions(node.getValue()));
            docker.putAll(options(commandOf(node.getValue())));

            Map<String, String> profile = options(ClusterOptions.build(List.of()));
            for (Map.Entry<String, String> option : profile.entrySet()) {
                if (HARNESS_ONLY.contains(option.getKey())) {
                    assertThat(docker).as("%s: harness-only option %s", node.getKey(), option.getKey())
                            .doesNotContainKey(option.getKey());
                    continue;
                }
                assertThat(normalise(option.getKey(), docker.get(option.getKey())))
                        .as("%s: option %s (cluster profile: %s)", node.getKey(), option.getKey(), option.getValue())
                        .isEqualTo(normalise(option.getKey(), option.getValue()));
            }
            for (String key : perNodeOptionKeys()) {
                if (SET_PER_ENVIRONMENT.contains(key)) {
                    assertThat(docker).as("%s sets %s", node.getKey(), key).containsKey(key);
                } else {
                    assertThat(LOOPBACK_ONLY).as("per-node option %s is neither set by Docker nor loopback-only", key)
                            .contains(key);
                }
            }
            assertThat(docker.get("db-url")).startsWith("jdbc:postgresql://");
        }
    }

    @Test
    void composeRunsTwoClusteredNodesOnOneDatabaseAndOnePublicUrl() {
        Map<String, Map<String, Object>> nodes = keycloakNodes();
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(2);
        Set<String> hostPorts = new LinkedHashSet<>();
        Set<String> hostnames = new LinkedHashSet<>();
        Set<String> databases = new LinkedHashSet<>();
        for (Map<String, Object> node : nodes.values()) {
            for (Object port : list(node.get("ports"))) {
                String hostPort = port.toString().split(":")[0];
                assertThat(hostPorts.add(hostPort)).as("host port %s published once", hostPort).isTrue();
            }
            Map<String, String> env = environmentOptions(node);
            hostnames.add(env.get("hostname"));
            databases.add(env.get("db-url"));
            assertThat(env.get("cache")).isEqualTo("ispn");
            assertThat(map(node.get("depends_on"))).containsKey("postgres");
        }
        assertThat(hostnames).as("one issuer for all nodes").hasSize(1);
        assertThat(databases).as("one database for all nodes").hasSize(1);

        Map<String, Object> postgres = map(map(compose.get("services")).get("postgres"));
        Map<String, Object> pgEnv = map(postgres.get("environment"));
        Map<String, String> node = environmentOptions(nodes.values().iterator().next());
        assertThat(node.get("db-url")).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
        assertThat(node.get("db-username")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(node.get("db-password")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
    }

    @Test
    void everyNodeImportsTheRealmFileTheClusterLauncherImports() {
        Path realm = ROOT.resolve(ClusterLauncher.DEMO_REALM);
        assertThat(realm).isRegularFile();
        for (Map.Entry<String, Map<String, Object>> node : keycloakNodes().entrySet()) {
            assertThat(commandOf(node.getValue())).as(node.getKey()).contains("start", "--optimized", "--import-realm");
            boolean mounted = false;
            for (Object volume : list(node.getValue().get("volumes"))) {
                String[] parts = volume.toString().split(":");
                if (parts.length >= 2 && parts[1].equals("/opt/keycloak/data/import")) {
                    Path source = ROOT.resolve("docker").resolve(parts[0]).normalize();
                    assertThat(source.resolve(realm.getFileName())).as(node.getKey() + " mounts " + source).isEqualTo(realm);
                    mounted = true;
                }
            }
            assertThat(mounted).as("%s mounts the realm directory", node.getKey()).isTrue();
        }
        assertThat(dockerfile).contains("COPY --chown=keycloak:keycloak docker/keycloak.conf /opt/keycloak/conf/keycloak.conf");
    }

    @Test
    void logLevelsCompareByMeaning() {
        assertThat(normalise("log-level", "INFO,io.github.dropin:INFO")).isEqualTo("info");
        assertThat(normalise("log-level", "info")).isEqualTo("info");
        assertThat(normalise("log-level", "INFO,io.github.dropin:DEBUG")).isEqualTo("info,io.github.dropin:debug");
    }

    // ---------------------------------------------------------------- parsing

    /** Dockerfile instructions, one string each: comments dropped, continuation lines joined, whitespace collapsed. */
    static List<String> instructions(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                String instruction = current.toString().strip().replaceAll("\\s+", " ");
                if (!instruction.isEmpty()) {
                    result.add(instruction);
                }
                current.setLength(0);
            }
        }
        return result;
    }

    private static List<String> buildCommand() {
        List<String> builds = dockerfile.stream().filter(i -> i.startsWith("RUN /opt/keycloak/bin/kc.sh build")).toList();
        assertThat(builds).hasSize(1);
        return List.of(builds.get(0).substring("RUN /opt/keycloak/bin/kc.sh build".length()).strip().split(" "));
    }

    /** {@code --key=value} arguments as a map (flags without a value map to {@code true}). */
    static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            }
        }
        return options;
    }

    /** {@code KC_SPI_SMS_SENDER__PROVIDER_DEFAULT} is the option {@code spi-sms-sender--provider-default}. */
    static Map<String, String> environmentOptions(Map<String, Object> service) {
        Map<String, String> options = new LinkedHashMap<>();
        map(service.get("environment")).forEach((name, value) -> {
            if (name.startsWith("KC_") && !name.startsWith("KC_BOOTSTRAP_")) {
                options.put(name.substring(3).toLowerCase(Locale.ROOT).replace('_', '-'), String.valueOf(value));
            }
        });
        return options;
    }

    private static List<String> commandOf(Map<String, Object> service) {
        return list(service.get("command")).stream().map(Object::toString).toList();
    }

    /** Services built from docker/Dockerfile: the Keycloak nodes. */
    private static Map<String, Map<String, Object>> keycloakNodes() {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> {
            Map<String, Object> build = map(map(service).get("build"));
            if ("docker/Dockerfile".equals(build.get("dockerfile"))) {
                nodes.put(name, map(service));
            }
        });
        return nodes;
    }

    /** The pack's jars as the harness installs them: the io.github.dropin dependencies of integration-tests/pom.xml. */
    private static Set<String> harnessJars() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("integration-tests/pom.xml").toFile());
        Set<String> jars = new TreeSet<>();
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if ("io.github.dropin".equals(text(dependency, "groupId"))) {
                jars.add(text(dependency, "artifactId") + ".jar");
            }
        }
        assertThat(jars).isNotEmpty();
        return jars;
    }

    /** The keys of the options the cluster harness adds per node. */
    private static Set<String> perNodeOptionKeys() {
        Path dir = tmp;
        ClusterNode node = new ClusterNode("node-a", dir, dir, new ServerLog(dir.resolve("log")), List.of(),
                "jdbc:postgresql://127.0.0.1:1/keycloak", null);
        return ClusterOptions.start(List.of(), node, "jdbc:postgresql://127.0.0.1:1/keycloak", node.serverUrl()).stream()
                .map(o -> o.substring(2, o.indexOf('='))).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** Log levels compare by meaning: a category at the root level says nothing more than the root level. */
    static String normalise(String key, String value) {
        if (value == null || !key.equals("log-level")) {
            return value;
        }
        String[] parts = value.toLowerCase(Locale.ROOT).split(",");
        String root = parts[0].strip();
        List<String> kept = new ArrayList<>(List.of(root));
        for (int i = 1; i < parts.length; i++) {
            Matcher m = Pattern.compile("(.+):(.+)").matcher(parts[i].strip());
            if (m.matches() && !m.group(2).equals(root)) {
                kept.add(m.group(1) + ":" + m.group(2));
            }
        }
        return String.join(",", kept);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
