package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dropin.keycloak.it.badinput.RawHttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one corpus against a reference backend and a dialect, step by step (each request to the reference first, then
 * to the dialect), compares the normalised answers ({@link Normalized}) and explains every difference from the
 * allow-list ({@link KnownDifferences}), or reports it.
 *
 * <p>The report of a run is written to {@code target/conformance/<dialect>.txt} (every request, both answers, the
 * verdict) and {@code target/conformance/<dialect>-differences.json} (every difference, for the docs), and its counts
 * are printed. {@link Result#assertConforms()} fails on any unexplained difference and on allow-list entries of the
 * dialect that explained nothing.
 */
final class Conformance {

    /** What happened to one request step. */
    record Outcome(Step step, Step.Resolved request, Normalized reference, Normalized dialect, List<String> differing,
                   Map<String, List<KnownDifferences.Entry>> explained, List<String> unexplained) {

        boolean identical() {
            return differing.isEmpty();
        }

        boolean pending() {
            return explained.values().stream().flatMap(List::stream).anyMatch(KnownDifferences.Entry::pending);
        }
    }

    /** The outcome of a run. */
    record Result(String dialect, List<Outcome> outcomes, List<KnownDifferences.Entry> stale, Path report) {

        long sent() {
            return outcomes.size();
        }

        long identical() {
            return outcomes.stream().filter(Outcome::identical).count();
        }

        long unexplained() {
            return outcomes.stream().filter(o -> !o.unexplained().isEmpty()).count();
        }

        long pending() {
            return outcomes.stream().filter(o -> o.unexplained().isEmpty() && !o.identical() && o.pending()).count();
        }

        long allowed() {
            return outcomes.stream().filter(o -> o.unexplained().isEmpty() && !o.identical() && !o.pending()).count();
        }

        String counts() {
            return String.format("%s: %d requests sent, %d identical, %d allowed differences (known), "
                            + "%d pending differences, %d unexplained; %d stale allow-list entries",
                    dialect, sent(), identical(), allowed(), pending(), unexplained(), stale.size());
        }

        void assertConforms() {
            if (unexplained() == 0 && stale.isEmpty()) {
                return;
            }
            StringBuilder message = new StringBuilder(counts()).append(". Report: ").append(report).append('\n');
            int shown = 0;
            for (Outcome o : outcomes) {
                if (!o.unexplained().isEmpty() && shown++ < 40) {
                    message.append("\n").append(o.step()).append("  differs in ").append(o.unexplained())
                            .append("\n  request:   ").append(o.request().describe().replace("\n", "\n  "))
                            .append("\n  reference: ").append(o.reference().summary())
                            .append("\n  dialect:   ").append(o.dialect().summary()).append('\n');
                }
            }
            for (KnownDifferences.Entry entry : stale) {
                message.append("\nStale allow-list entry (explained nothing): ").append(entry.id());
            }
            throw new AssertionError(message.toString());
        }
    }

    private Conformance() {
    }

    static Result run(String dialect, Side reference, Side ours, List<Step> corpus) {
        List<KnownDifferences.Entry> entries = KnownDifferences.load().forDialect(dialect);
        Map<String, Integer> uses = new LinkedHashMap<>();
        entries.forEach(e -> uses.put(e.id(), 0));
        List<Outcome> outcomes = new ArrayList<>();
        int number = 0;
        for (Step step : corpus) {
            step.number = ++number;
            if (!step.isRequest()) {
                step.action.accept(reference);
                step.action.accept(ours);
                continue;
            }
            Exchange ref = exchange(step, reference);
            Exchange dia = exchange(step, ours);
            List<String> differing = new ArrayList<>();
            for (String aspect : Normalized.ASPECTS) {
                if (!ref.answer.aspect(aspect).equals(dia.answer.aspect(aspect))) {
                    differing.add(aspect);
                }
            }
            Map<String, List<KnownDifferences.Entry>> explained = new LinkedHashMap<>();
            List<String> unexplained = new ArrayList<>();
            for (String aspect : differing) {
                List<KnownDifferences.Entry> by = entries.stream()
                        .filter(e -> e.aspects().contains(aspect) && e.matches(dialect, step.label, ref.answer, dia.answer))
                        .toList();
                if (by.isEmpty()) {
                    unexplained.add(aspect);
                } else {
                    explained.put(aspect, by);
                    by.forEach(e -> uses.merge(e.id(), 1, Integer::sum));
                }
            }
            outcomes.add(new Outcome(step, ref.request, ref.answer, dia.answer, differing, explained, unexplained));
        }
        List<KnownDifferences.Entry> stale = entries.stream().filter(e -> uses.get(e.id()) == 0).toList();
        Path report = writeReport(dialect, outcomes, stale, uses, claims(reference, ours));
        Result result = new Result(dialect, outcomes, stale, report);
        System.out.println("[dropin-it] Conformance " + result.counts());
        return result;
    }

    private record Exchange(Step.Resolved request, Normalized answer) {
    }

    private static Exchange exchange(Step step, Side side) {
        side.beforeStep();
        Step.Resolved request = step.resolve(side);
        RawHttp.Answer answer = side.send(request);
        JsonNode json = null;
        try {
            if (answer.body().length > 0 && String.valueOf(answer.header("content-type")).contains("json")) {
                json = LegacyBackend.JSON.readTree(answer.body());
            }
        } catch (IOException notJson) {
            // compared as text
        }
        for (Map.Entry<String, String> capture : step.captures.entrySet()) {
            if (json != null && json.isObject() && json.hasNonNull(capture.getValue())) {
                side.set(capture.getKey(), json.get(capture.getValue()).asText());
            }
        }
        if (answer.status() / 100 == 2) {
            for (Step.CodeCapture code : step.codes) {
                String to = side.resolve(code.to(), step.number);
                Optional<String> sent = side.codeSentTo(to);
                sent.ifPresent(value -> side.setCode(code.var(), value));
            }
        }
        return new Exchange(request, Normalized.of(answer, step.method, side));
    }

    /**
     * The claims of the tokens both sides issued under the same variable (not asserted: what a legacy token carried
     * that the pack's does not, and the other way round, for the import issue's claim mappers).
     */
    private static String claims(Side reference, Side ours) {
        StringBuilder text = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> var : reference.vars.entrySet()) {
            String theirs = var.getValue();
            String mine = ours.vars.get(var.getKey());
            if (mine == null || theirs.split("\\.").length != 3 || mine.split("\\.").length != 3) {
                continue;
            }
            try {
                ObjectNode refPayload = SignedJwt.payload(theirs);
                ObjectNode ourPayload = SignedJwt.payload(mine);
                java.util.Set<String> refClaims = new java.util.TreeSet<>();
                refPayload.fieldNames().forEachRemaining(refClaims::add);
                java.util.Set<String> ourClaims = new java.util.TreeSet<>();
                ourPayload.fieldNames().forEachRemaining(ourClaims::add);
                String kind = refPayload.path("token_type").asText(refPayload.path("type").asText("?"));
                String line = kind + ": reference " + SignedJwt.header(theirs) + " " + refClaims
                        + "\n    dialect " + SignedJwt.header(mine).path("alg") + " " + ourClaims;
                if (seen.add(line)) {
                    text.append("  ").append(var.getKey()).append(" (").append(line).append(")\n");
                }
            } catch (RuntimeException notJson) {
                // not a JWT after all
            }
        }
        return text.toString();
    }

    private static Path writeReport(String dialect, List<Outcome> outcomes, List<KnownDifferences.Entry> stale,
                                    Map<String, Integer> uses, String claims) {
        Path dir = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath()
                .getParent().resolve("conformance");
        StringBuilder text = new StringBuilder("Conformance of dialect " + dialect + " with its legacy reference backend\n");
        ArrayNode differences = JsonNodeFactory.instance.arrayNode();
        for (Outcome o : outcomes) {
            String verdict = o.identical() ? "IDENTICAL"
                    : !o.unexplained().isEmpty() ? "UNEXPLAINED " + o.unexplained()
                    : (o.pending() ? "PENDING " : "KNOWN ") + o.explained().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().stream().map(KnownDifferences.Entry::id).toList()).toList();
            text.append("\n").append(o.step()).append("  ").append(verdict)
                    .append("\n  request:   ").append(o.request().describe().replace("\n", "\n  "))
                    .append("\n  reference: ").append(o.reference().summary())
                    .append("\n  dialect:   ").append(o.dialect().summary()).append('\n');
            if (!o.identical()) {
                ObjectNode d = differences.addObject();
                d.put("step", o.step().number);
                d.put("label", o.step().label);
                d.put("request", o.request().describe());
                d.put("reference", o.reference().summary());
                d.put("dialect", o.dialect().summary());
                d.putPOJO("differing", o.differing());
                d.putPOJO("unexplained", o.unexplained());
                ArrayNode by = d.putArray("explainedBy");
                o.explained().values().stream().flatMap(List::stream).map(KnownDifferences.Entry::id).distinct().forEach(by::add);
            }
        }
        text.append("\nAllow-list entries used:\n");
        uses.forEach((id, count) -> text.append("  ").append(id).append(": ").append(count).append('\n'));
        stale.forEach(e -> text.append("STALE: ").append(e.id()).append('\n'));
        if (!claims.isEmpty()) {
            text.append("\nToken claims (reference header and claims / dialect algorithm and claims):\n").append(claims);
        }
        try {
            Files.createDirectories(dir);
            Path report = dir.resolve(dialect + ".txt");
            Files.writeString(report, text);
            LegacyBackend.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(dialect + "-differences.json").toFile(),
                    differences);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
