package io.github.dropin.keycloak.it.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pack's Grafana dashboard ({@code docker/grafana/dashboards/dropin-pack.json}) as its PromQL queries, and the
 * metric names each query reads, so that tests can hold them against what the server exposes.
 */
final class Dashboard {

    static final Path FILE = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize()
            .resolve("docker/grafana/dashboards/dropin-pack.json");

    /**
     * Metrics the dashboard shows that no test session produces yet, with why. The test fails once the server exposes
     * one of them, so that its entry goes and a test counts it.
     */
    static final Map<String, String> NOT_YET_EXERCISED = Map.of();

    /** PromQL words that are not metric names: aggregation modifiers, set and comparison operators, literals. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,.*\\)");

    private final JsonNode json;

    private Dashboard(JsonNode json) {
        this.json = json;
    }

    static Dashboard read() throws IOException {
        return new Dashboard(new ObjectMapper().readTree(FILE.toFile()));
    }

    /** Every query: the panels' target expressions and the template variables' queries. */
    List<String> queries() {
        List<String> queries = new ArrayList<>();
        collectPanels(json.path("panels"), queries);
        for (JsonNode variable : json.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isTextual() ? query.asText() : query.path("query").asText());
            }
        }
        return queries;
    }

    /** Every metric name the queries read. */
    Set<String> metrics() {
        Set<String> metrics = new TreeSet<>();
        queries().forEach(q -> metrics.addAll(metricNames(q)));
        return metrics;
    }

    private static void collectPanels(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    queries.add(target.path("expr").asText());
                }
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    /**
     * The metric names a PromQL query reads: identifiers outside strings, label matchers, ranges and grouping
     * clauses that are neither functions (followed by a parenthesis) nor keywords. Grafana's
     * {@code label_values(metric, label)} reads {@code metric}.
     */
    static Set<String> metricNames(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(query.strip());
        if (labelValues.matches()) {
            names.add(labelValues.group(1));
            return names;
        }
        String q = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Matcher m = IDENTIFIER.matcher(q);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
