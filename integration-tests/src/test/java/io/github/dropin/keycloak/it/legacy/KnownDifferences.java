package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * {@code "<status> <body>  {headers}"}), and {@code reason}. A difference is explained when every differing aspect
 * of a request is covered by an entry that matches it. An entry that explains nothing in a run is stale, and fails
 * the test, so the list stays exact.
 */
final class KnownDifferences {

    /** One entry. */
    record Entry(String id, String section, String dialect, Pattern request, Set<String> aspects, Pattern reference,
                 Pattern pack, String reason) {

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

    private final List<Entry> entries;

    private KnownDifferences(List<Entry> entries) {
        this.entries = entries;
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
                    entries.add(new Entry(id, section, require(e, "dialect"), Pattern.compile(require(e, "request")),
                            aspects, optional(e, "reference"), optional(e, "pack"), e.path("reason").asText()));
                }
            }
            return new KnownDifferences(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file(), e);
        }
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
