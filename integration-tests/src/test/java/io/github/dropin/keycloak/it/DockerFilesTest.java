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
 * {@code docker/} (Dockerfile, compose.yml, keycloak.conf, demo.conf) must run the same cluster as the cluster tests
 * ({@link ClusterOptions}): the same Keycloak version, the same jars, the same options and the same realm file. And the
 * image stays a production image: everything only the demo wants (plain HTTP, the {@code log} SMS sender, the demo
 * realm and admin) is added by compose.yml, never baked in by the Dockerfile or its keycloak.conf. Prometheus and
 * Grafana of the compose file scrape every node and load the pack's dashboard.
 * There is no Docker engine in the build, so the files are parsed (Dockerfile instructions, compose YAML with its
 * anchors and merge keys, the conf files, Prometheus's YAML) and compared with the harness's own definitions.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
    /** The release the pom builds by default, which the image must use (not the line a test run may have chosen). */
    private static final String VERSION = DemoFilesTest.defaultKeycloakVersion();
    /** Build-time options among those the demo adds: a start that sets them cannot be --optimized. */
    private static final Set<String> BUILD_TIME = Set.of("db", "health-enabled", "metrics-enabled", "features",
            "spi-sms-sender--provider", "spi-sms-sender--provider-default");

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
    private static Map<String, String> demoConf;
    private static List<String> dockerfile;
    private static Map<String, Object> compose;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void read() throws Exception {
        conf = confFile("docker/keycloak.conf");
        demoConf = confFile("docker/demo.conf");
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
            // A start that is not --optimized builds from its own options: the image's build options still hold.
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
            assertThat(commandOf(node.getValue())).as(node.getKey()).contains("start", "--import-realm");
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

    // ---------------------------------------------------------------- the production image and the demo

    @Test
    void theImageBakesInNothingOfTheDemo() {
        assertThat(conf).as("keycloak.conf, baked into the image")
                .doesNotContainEntry("http-enabled", "true")
                .doesNotContainKey("hostname-strict")
                .doesNotContainKeys("spi-sms-sender--provider-default", "spi-sms-sender--provider", "import-realm");
        assertThat(conf.values()).as("no option of keycloak.conf names the log sender").doesNotContain("log");
        assertThat(options(buildCommand())).as("the image's kc.sh build").containsOnlyKeys("db");
        for (String instruction : dockerfile) {
            assertThat(instruction).as("Dockerfile").doesNotContain("import").doesNotContain("demo")
                    .doesNotContain("KC_").doesNotContain("http-enabled").doesNotContain("provider-default")
                    .doesNotContain("BOOTSTRAP_ADMIN");
            assertThat(instruction).as("Dockerfile: no ENV or ARG but the Keycloak version")
                    .doesNotStartWith("ENV ");
        }
        assertThat(dockerfile).contains("CMD [\"start\", \"--optimized\"]");
    }

    @Test
    void theImageServesHealthAndMetricsOnItsManagementPort() {
        assertThat(conf).containsEntry("health-enabled", "true").containsEntry("metrics-enabled", "true");
    }

    @Test
    void theDemoConfHoldsExactlyWhatTheDemoAdds() {
        assertThat(demoConf).containsEntry("http-enabled", "true").containsEntry("hostname-strict", "false")
                .containsEntry("spi-sms-sender--provider-default", "log");
        assertThat(demoConf.keySet()).as("demo.conf repeats nothing of keycloak.conf")
                .doesNotContainAnyElementsOf(conf.keySet());
    }

    @Test
    void composeAddsEveryDemoOptionToEveryNode() {
        for (Map.Entry<String, Map<String, Object>> node : keycloakNodes().entrySet()) {
            Map<String, String> env = environmentOptions(node.getValue());
            for (Map.Entry<String, String> option : demoConf.entrySet()) {
                assertThat(env.get(option.getKey())).as("%s sets %s as demo.conf does", node.getKey(), option.getKey())
                        .isEqualTo(option.getValue());
            }
            assertThat(map(node.getValue().get("environment"))).as(node.getKey())
                    .containsKeys("KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD");
        }
    }

    @Test
    void aNodeThatAddsBuildOptionsStartsUnoptimizedAndKeepsTheImagesBuildOptions() {
        Map<String, String> build = options(buildCommand());
        for (Map.Entry<String, Map<String, Object>> node : keycloakNodes().entrySet()) {
            Map<String, String> env = environmentOptions(node.getValue());
            Map<String, String> added = new LinkedHashMap<>(env);
            added.putAll(options(commandOf(node.getValue())));
            boolean changesTheBuild = added.entrySet().stream().anyMatch(o -> BUILD_TIME.contains(o.getKey())
                    && !o.getValue().equals(build.getOrDefault(o.getKey(), conf.get(o.getKey()))));
            if (changesTheBuild) {
                assertThat(commandOf(node.getValue())).as("%s: start --optimized refuses changed build options",
                        node.getKey()).doesNotContain("--optimized");
                // Keycloak builds again from the options it is given: the image's own build options must be among them.
                build.forEach((key, value) -> assertThat(added.get(key)).as("%s sets %s", node.getKey(), key).isEqualTo(value));
            }
        }
    }

    // ---------------------------------------------------------------- Prometheus and Grafana

    @Test
    void prometheusScrapesTheMetricsOfEveryNodeOnItsManagementPort() throws Exception {
        Map<String, Object> prometheus = map(map(compose.get("services")).get("prometheus"));
        String mounted = mountSource(prometheus, "/etc/prometheus/prometheus.yml");
        Map<String, Object> config = new Yaml().load(Files.readString(ROOT.resolve("docker").resolve(mounted)));
        List<Object> jobs = list(config.get("scrape_configs"));
        assertThat(jobs).hasSize(1);
        Map<String, Object> job = map(jobs.get(0));
        assertThat(job.get("metrics_path")).isEqualTo("/metrics");
        Set<String> targets = new TreeSet<>();
        for (Object staticConfig : list(job.get("static_configs"))) {
            list(map(staticConfig).get("targets")).forEach(t -> targets.add(t.toString()));
        }
        Set<String> nodes = new TreeSet<>();
        keycloakNodes().keySet().forEach(node -> nodes.add(node + ":9000"));
        assertThat(targets).isEqualTo(nodes);
        assertThat(list(prometheus.get("depends_on")).isEmpty() ? map(prometheus.get("depends_on")).keySet()
                : list(prometheus.get("depends_on"))).containsAll(keycloakNodes().keySet());
    }

    @Test
    void grafanaLoadsTheDashboardOnThatPrometheus() throws Exception {
        Map<String, Object> grafana = map(map(compose.get("services")).get("grafana"));
        Path provisioning = ROOT.resolve("docker").resolve(mountSource(grafana, "/etc/grafana/provisioning")).normalize();
        Path dashboards = ROOT.resolve("docker").resolve(mountSource(grafana, "/var/lib/grafana/dashboards")).normalize();

        Map<String, Object> datasources = new Yaml().load(Files.readString(provisioning.resolve("datasources/prometheus.yml")));
        Map<String, Object> datasource = map(list(datasources.get("datasources")).get(0));
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        assertThat(list(map(map(compose.get("services")).get("prometheus")).get("ports"))).contains("9090:9090");

        Map<String, Object> providers = new Yaml().load(Files.readString(provisioning.resolve("dashboards/dropin.yml")));
        assertThat(map(map(list(providers.get("providers")).get(0)).get("options")))
                .containsEntry("path", "/var/lib/grafana/dashboards");
        assertThat(dashboards.resolve("dropin-pack.json")).isRegularFile();
        var dashboard = AdminApi.JSON.readTree(dashboards.resolve("dropin-pack.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("dropin-pack");
        assertThat(dashboard.path("panels").size()).isGreaterThan(10);
    }

    /** The host path (relative to docker/) that {@code service} mounts at {@code target}. */
    private static String mountSource(Map<String, Object> service, String target) {
        for (Object volume : list(service.get("volumes"))) {
            String[] parts = volume.toString().split(":");
            if (parts.length >= 2 && parts[1].equals(target)) {
                assertThat(ROOT.resolve("docker").resolve(parts[0])).exists();
                return parts[0];
            }
        }
        throw new AssertionError("nothing mounted at " + target);
    }

    @Test
    void logLevelsCompareByMeaning() {
        assertThat(normalise("log-level", "INFO,io.github.dropin:INFO")).isEqualTo("info");
        assertThat(normalise("log-level", "info")).isEqualTo("info");
        assertThat(normalise("log-level", "INFO,io.github.dropin:DEBUG")).isEqualTo("info,io.github.dropin:debug");
    }

    // ---------------------------------------------------------------- parsing

    /** The options of a {@code keycloak.conf}-style file: {@code key=value} lines, comments and blanks skipped. */
    static Map<String, String> confFile(String file) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(file))) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                options.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
            }
        }
        return options;
    }

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
