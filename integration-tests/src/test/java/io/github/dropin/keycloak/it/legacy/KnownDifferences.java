package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allow-list of differences between a dialect and its reference backend:
 * {@code src/test/legacy/known-differences.json}. Two sections with entries of the same shape:
 * <ul>
 *   <li>{@code known}: legitimate, explained differences (the source of the docs' "known differences" table);</li>
 *   <li>{@code pending}: differences found that are the dialect's to fix; listed so the suite stays green until then,
 *       to be emptied.</li>
 * </ul>
 * An entry: {@code id}, {@code dialect} (one dialect id), {@code request} (a regular expression found in the step's
 * label, which starts with the method and path), {@code aspects} (which of {@code status}, {@code body},
 * {@code www-authenticate}, {@code allow}, {@code retry-after}, {@code content-type} it explains), optionally
 * {@code reference} and {@code pack} (regular expressions found in that side's normalised answer,
 * {@code "<status> <body>  {headers}"}), {@code summary} (known entries: what differs, in a few words, for the docs)
 * and {@code reason}. A difference is explained when every differing aspect
 * of a request is covered by an entry that matches it. An entry that explains nothing in a run is stale, and fails
 * the test, so the list stays exact.
 *
 * <p>A separate kind of entry explains token payloads ({@link TokenClaims}): section {@code claims}, with its own
 * {@code pending} (claims the pack's tokens should carry and do not yet; delete an entry when its claim arrives) and
 * {@code known} lists (both empty since the claim mappers are on the conformance realms' dialect clients). A claim entry: {@code id}, {@code dialect},
 * {@code token} ({@code access} or {@code refresh}), {@code claim}, {@code reference} (its JSON type in the reference's
 * token), {@code pack} (its JSON type in the pack's, or {@code missing}) and {@code reason}.
 */
final class KnownDifferences {

    /** One entry. */
    record Entry(String id, String section, String dialect, Pattern request, Set<String> aspects, Pattern reference,
                 Pattern pack, String summary, String reason) {

        boolean matches(String dialectId, String label, Normalized ref, Normalized ours) {
            return dialect.equals(dialectId)
                    && request.matcher(label).find()
                    && (reference == null || reference.matcher(ref.summary()).find())
                    && (pack == null || pack.matcher(ours.summary()).find());
        }

        boolean pending() {
            return section.equals("pending");
        }
    }

    /** One entry of the {@code claims} section. */
    record ClaimEntry(String id, String section, String dialect, String token, String claim, String reference,
                      String pack, String reason) {

        boolean explains(String dialectId, TokenClaims.Finding finding) {
            return dialect.equals(dialectId) && token.equals(finding.kind()) && claim.equals(finding.claim())
                    && reference.equals(finding.reference()) && pack.equals(finding.pack());
        }

        boolean pending() {
            return section.equals("pending");
        }
    }

    private final List<Entry> entries;
    private final List<ClaimEntry> claims;

    private KnownDifferences(List<Entry> entries, List<ClaimEntry> claims) {
        this.entries = entries;
        this.claims = claims;
    }

    static Path file() {
        return LegacyBackend.legacyDir().resolve("known-differences.json");
    }

    static KnownDifferences load() {
        try {
            JsonNode root = LegacyBackend.JSON.readTree(file().toFile());
            List<Entry> entries = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (String section : List.of("known", "pending")) {
                for (JsonNode e : root.path(section)) {
                    String id = require(e, "id");
                    if (!ids.add(id)) {
                        throw new IllegalStateException(file() + ": duplicate id " + id);
                    }
                    Set<String> aspects = new LinkedHashSet<>();
                    e.path("aspects").forEach(a -> aspects.add(a.asText()));
                    if (aspects.isEmpty() || !Normalized.ASPECTS.containsAll(aspects)) {
                        throw new IllegalStateException(file() + ": entry " + id + " needs aspects among " + Normalized.ASPECTS);
                    }
                    require(e, "reason");
                    // Known entries are the docs' table: what differs, in a few words, and why.
                    String summary = section.equals("known") ? require(e, "summary") : e.path("summary").asText("");
                    entries.add(new Entry(id, section, require(e, "dialect"), Pattern.compile(require(e, "request")),
                            aspects, optional(e, "reference"), optional(e, "pack"), summary, e.path("reason").asText()));
                }
            }
            List<ClaimEntry> claims = new ArrayList<>();
            for (String section : List.of("known", "pending")) {
                for (JsonNode e : root.path("claims").path(section)) {
                    String id = require(e, "id");
                    if (!ids.add(id)) {
                        throw new IllegalStateException(file() + ": duplicate id " + id);
                    }
                    claims.add(new ClaimEntry(id, section, require(e, "dialect"), require(e, "token"), require(e, "claim"),
                            require(e, "reference"), require(e, "pack"), require(e, "reason")));
                }
            }
            return new KnownDifferences(entries, claims);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file(), e);
        }
    }

    /**
     * The section {@code ## Known differences} of {@code docs/dialects/<dialect>.md}: every known entry of the dialect
     * (its summary and reason), and the token claims the pack's tokens do not carry (yet).
     *
     * @param framework what the original was built on, as the page names it
     */
    String docsSection(String dialect, String framework, String conformanceTest) {
        String intro = "Where the dialect answers differently from " + framework + ". `" + conformanceTest
                + "` sends the same requests (the documented ones and generated variants) to the dialect and to a reference"
                + " backend built on the original framework, and fails on any difference not listed here"
                + " ([how](../../integration-tests/src/test/legacy/README.md#conformance)); this table is generated from its"
                + " allow-list, `known-differences.json`.";
        StringBuilder text = new StringBuilder("## Known differences\n\n").append(wrap(intro, 120)).append("\n\n")
                .append("| what differs | why |\n|---|---|\n");
        for (Entry entry : forDialect(dialect)) {
            if (!entry.pending()) {
                text.append("| ").append(entry.summary()).append(" | ").append(entry.reason().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        List<ClaimEntry> claims = claimsOf(dialect);
        for (String section : List.of("known", "pending")) {
            Map<String, List<String>> byClaim = new java.util.LinkedHashMap<>();
            Map<String, String> reasons = new java.util.LinkedHashMap<>();
            for (ClaimEntry claim : claims) {
                if (claim.section().equals(section)) {
                    byClaim.computeIfAbsent(claim.claim(), c -> new ArrayList<>()).add(claim.token());
                    reasons.put(claim.claim(), claim.reason());
                }
            }
            if (byClaim.isEmpty()) {
                continue;
            }
            String names = byClaim.entrySet().stream().map(c -> "`" + c.getKey() + "` (" + String.join(", ", c.getValue()) + ")")
                    .collect(java.util.stream.Collectors.joining(", "));
            text.append("| ").append(section.equals("pending") ? "Token claims not carried yet: " : "Token claims: ")
                    .append(names).append(" | ").append(String.join(" ", new java.util.LinkedHashSet<>(reasons.values())))
                    .append(" |\n");
        }
        return text.toString();
    }

    /** {@code text} broken into lines of at most {@code width} characters, between words. */
    private static String wrap(String text, int width) {
        StringBuilder lines = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (lines.length() > lineStart && lines.length() - lineStart + 1 + word.length() > width) {
                lines.append('\n');
                lineStart = lines.length();
            } else if (lines.length() > lineStart) {
                lines.append(' ');
            }
            lines.append(word);
        }
        return lines.toString();
    }

    /** Claim entries of {@code dialect}. */
    List<ClaimEntry> claimsOf(String dialect) {
        return claims.stream().filter(e -> e.dialect().equals(dialect)).toList();
    }

    /** Entries of {@code dialect}. */
    List<Entry> forDialect(String dialect) {
        return entries.stream().filter(e -> e.dialect().equals(dialect)).toList();
    }

    private static String require(JsonNode e, String field) {
        String value = e.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalStateException(file() + ": an entry lacks '" + field + "': " + e);
        }
        return value;
    }

    private static Pattern optional(JsonNode e, String field) {
        String value = e.path(field).asText("");
        return value.isEmpty() ? null : Pattern.compile(value);
    }
}
