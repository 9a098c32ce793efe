package io.github.dropin.keycloak.it;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a server's {@code /metrics} (management port, Prometheus text format), parsed into samples, so
 * that tests compare counts before and after what they did.
 *
 * @param text    the scraped text as served
 * @param samples every sample line, in order
 */
public record Prometheus(String text, List<Sample> samples) {

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One sample: a name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {

        /** Whether every label of {@code wanted} has this value here. */
        boolean matches(Map<String, String> wanted) {
            return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    /** Scrapes {@code server}'s {@code /metrics}. */
    public static Prometheus scrape(KeycloakServer server) {
        Response response = RestAssured.given().get(server.managementUrl() + "/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics: HTTP " + response.statusCode() + " " + response.asString());
        }
        return parse(response.asString());
    }

    static Prometheus parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(trimmed);
            if (!m.matches()) {
                throw new IllegalArgumentException("Not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                }
            }
            samples.add(new Sample(m.group(1), Map.copyOf(labels), parseValue(m.group(4))));
        }
        return new Prometheus(text, List.copyOf(samples));
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /** The sum of the samples named {@code name} that have every label of {@code labels}; 0 if there is none. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.matches(labels)).mapToDouble(Sample::value).sum();
    }

    /** The samples named {@code name} that have every label of {@code labels}. */
    public List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.matches(labels)).toList();
    }

    /** Every sample name the server exposes. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
