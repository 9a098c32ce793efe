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
    record Result(String dialect, List<Outcome> outcomes, List<KnownDifferences.Entry> stale,
                  ClaimsOutcome claims, Path report) {

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
                            + "%d pending differences, %d unexplained; %d stale allow-list entries; token claims: "
                            + "%d kinds compared, %d differences (%d pending, %d known, %d unexplained), %d stale claim entries",
                    dialect, sent(), identical(), allowed(), pending(), unexplained(), stale.size(),
                    claims.kinds().size(), claims.explained().size() + claims.unexplained().size(),
                    claims.explained().values().stream().filter(by -> by.get(0).pending()).count(),
                    claims.explained().values().stream().filter(by -> !by.get(0).pending()).count(),
                    claims.unexplained().size(), claims.stale().size());
        }

        void assertConforms() {
            if (unexplained() == 0 && stale.isEmpty() && claims.unexplained().isEmpty() && claims.stale().isEmpty()) {
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
            for (TokenClaims.Finding finding : claims.unexplained()) {
                message.append("\nToken claim not in the allow-list's claims section: ").append(finding);
            }
            for (KnownDifferences.ClaimEntry entry : claims.stale()) {
                message.append("\nStale claim entry (the pack's token now carries it as the reference's does?): ")
                        .append(entry.id());
            }
            throw new AssertionError(message.toString());
        }
    }

    /** The token payloads compared ({@link TokenClaims}) and how the allow-list explains their differences. */
    record ClaimsOutcome(Map<String, TokenClaims.Kind> kinds,
                         Map<TokenClaims.Finding, List<KnownDifferences.ClaimEntry>> explained,
                         List<TokenClaims.Finding> unexplained, List<KnownDifferences.ClaimEntry> stale) {

        static ClaimsOutcome of(String dialect, Side reference, Side ours, List<KnownDifferences.ClaimEntry> entries) {
            Map<String, TokenClaims.Kind> kinds = TokenClaims.compare(reference, ours);
            Map<TokenClaims.Finding, List<KnownDifferences.ClaimEntry>> explained = new LinkedHashMap<>();
            List<TokenClaims.Finding> unexplained = new ArrayList<>();
            for (TokenClaims.Finding finding : TokenClaims.findings(kinds)) {
                List<KnownDifferences.ClaimEntry> by = entries.stream().filter(e -> e.explains(dialect, finding)).toList();
                if (by.isEmpty()) {
                    unexplained.add(finding);
                } else {
                    explained.put(finding, by);
                }
            }
            List<KnownDifferences.ClaimEntry> stale = entries.stream()
                    .filter(e -> explained.values().stream().noneMatch(by -> by.contains(e))).toList();
            return new ClaimsOutcome(kinds, explained, unexplained, stale);
        }
    }

    private Conformance() {
    }

    static Result run(String dialect, Side reference, Side ours, List<Step> corpus) {
        KnownDifferences allowList = KnownDifferences.load();
        List<KnownDifferences.Entry> entries = allowList.forDialect(dialect);
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
        ClaimsOutcome claims = ClaimsOutcome.of(dialect, reference, ours, allowList.claimsOf(dialect));
        Path report = writeReport(dialect, outcomes, stale, uses, claims);
        Result result = new Result(dialect, outcomes, stale, claims, report);
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

    private static Path writeReport(String dialect, List<Outcome> outcomes, List<KnownDifferences.Entry> stale,
                                    Map<String, Integer> uses, ClaimsOutcome claims) {
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
        if (!claims.kinds().isEmpty()) {
            text.append("\nToken claims (name: JSON type) of the tokens both sides issued, by kind:\n")
                    .append(TokenClaims.describe(claims.kinds(), claims.explained(), claims.unexplained()));
            claims.stale().forEach(e -> text.append("STALE CLAIM ENTRY: ").append(e.id()).append('\n'));
        }
        try {
            Files.createDirectories(dir);
            Path report = dir.resolve(dialect + ".txt");
            Files.writeString(report, text);
            LegacyBackend.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(dialect + "-differences.json").toFile(),
                    differences);
            List<TokenClaims.Finding> findings = new ArrayList<>(claims.explained().keySet());
            findings.addAll(claims.unexplained());
            LegacyBackend.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(dialect + "-claims.json").toFile(),
                    TokenClaims.asJson(claims.kinds(), findings));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
