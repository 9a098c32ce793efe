package io.github.dropin.keycloak.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What an import did, row by row where something went wrong: counts, the refused rows and why, the rows imported with
 * something left out, and the throughput. Entries are kept up to {@link #MAX_ENTRIES} each (beyond that only counted),
 * so that the report, like the import, needs the same memory whatever the file's size; the command-line tool sends a
 * file in parts, each with a report of its own.
 */
public final class ImportReport {

    /** Refusals and warnings kept with their details. */
    public static final int MAX_ENTRIES = 10_000;

    /** One row's problem. */
    public record Entry(int row, String legacyId, String username, String message) {
    }

    private final boolean dryRun;
    private final long started = System.nanoTime();
    private long finished;
    private int rows;
    private int created;
    private int updated;
    private int refused;
    private int withoutPassword;
    private int groupsCreated;
    private int groupsUpdated;
    private int skipped;
    private int tokens;
    private int tokensUnchanged;
    private int refreshTokens;
    private int refreshTokensBlacklisted;
    private int warningCount;
    private long highestLegacyId;
    private final TreeSet<String> rolesCreated = new TreeSet<>();
    private final List<Entry> refusals = new ArrayList<>();
    private final List<Entry> warnings = new ArrayList<>();
    private String error;

    public ImportReport(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** What became of one row. */
    public enum Result { CREATED, UPDATED, REFUSED, GROUP_CREATED, GROUP_UPDATED, SKIPPED, TOKEN, TOKEN_UNCHANGED,
        /** One of SimpleJWT's outstanding refresh tokens, read for the blacklist. */
        REFRESH_TOKEN,
        /** A blacklisted SimpleJWT refresh token, now refused. */
        REFRESH_TOKEN_BLACKLISTED }

    /** The outcome of one item, written into the report once its transaction committed. */
    public record Outcome(Result result, int row, String legacyId, String username, String refusal,
                          List<String> warnings, boolean withoutPassword, List<String> rolesCreated) {

        static Outcome refused(int row, String legacyId, String username, String reason) {
            return new Outcome(Result.REFUSED, row, legacyId, username, reason, List.of(), false, List.of());
        }
    }

    synchronized void add(Outcome outcome) {
        switch (outcome.result()) {
            case CREATED -> created++;
            case UPDATED -> updated++;
            case REFUSED -> refused++;
            case GROUP_CREATED -> groupsCreated++;
            case GROUP_UPDATED -> groupsUpdated++;
            case SKIPPED -> skipped++;
            case TOKEN -> tokens++;
            case TOKEN_UNCHANGED -> tokensUnchanged++;
            case REFRESH_TOKEN -> refreshTokens++;
            case REFRESH_TOKEN_BLACKLISTED -> refreshTokensBlacklisted++;
        }
        rows++;
        if (outcome.result() == Result.CREATED || outcome.result() == Result.UPDATED) {
            if (outcome.withoutPassword()) {
                withoutPassword++;
            }
            try {
                highestLegacyId = Math.max(highestLegacyId, Long.parseLong(outcome.legacyId()));
            } catch (NumberFormatException ignored) {
                // Users always have one; groups are not counted here.
            }
        }
        if (outcome.refusal() != null && refusals.size() < MAX_ENTRIES) {
            refusals.add(new Entry(outcome.row(), outcome.legacyId(), outcome.username(), outcome.refusal()));
        }
        for (String warning : outcome.warnings()) {
            warningCount++;
            if (warnings.size() < MAX_ENTRIES) {
                warnings.add(new Entry(outcome.row(), outcome.legacyId(), outcome.username(), warning));
            }
        }
        rolesCreated.addAll(outcome.rolesCreated());
    }

    /** A problem that ended the import early (a file that could not be read on); rows before it are imported. */
    synchronized void fail(String error) {
        this.error = error;
    }

    synchronized void finish() {
        finished = System.nanoTime();
    }

    public synchronized String error() {
        return error;
    }

    public synchronized int created() {
        return created;
    }

    public synchronized int updated() {
        return updated;
    }

    public synchronized int refused() {
        return refused;
    }

    public synchronized int imported() {
        return created + updated;
    }

    /** Records read, of every kind. */
    /** Legacy DRF keys stored (new or replaced). */
    public synchronized int tokens() {
        return tokens;
    }

    public synchronized int rows() {
        return rows;
    }

    public synchronized long highestLegacyId() {
        return highestLegacyId;
    }

    public synchronized double seconds() {
        return ((finished == 0 ? System.nanoTime() : finished) - started) / 1e9;
    }

    /** Users written (created or updated) per second. */
    public synchronized double usersPerSecond() {
        double seconds = seconds();
        return seconds <= 0 ? 0 : imported() / seconds;
    }

    /** The report as plain values (maps, lists, numbers), for the caller to write as JSON. */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dryRun", dryRun);
        map.put("rows", rows);
        map.put("created", created);
        map.put("updated", updated);
        map.put("refused", refused);
        map.put("withoutPassword", withoutPassword);
        map.put("warnings", warningCount);
        map.put("groupsCreated", groupsCreated);
        map.put("groupsUpdated", groupsUpdated);
        map.put("skipped", skipped);
        map.put("tokens", tokens);
        map.put("tokensUnchanged", tokensUnchanged);
        map.put("refreshTokens", refreshTokens);
        map.put("refreshTokensBlacklisted", refreshTokensBlacklisted);
        map.put("rolesCreated", List.copyOf(rolesCreated));
        map.put("highestLegacyId", highestLegacyId == 0 ? null : highestLegacyId);
        map.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        map.put("usersPerSecond", Math.round(usersPerSecond() * 10) / 10.0);
        map.put("refusals", refusals.stream().map(e -> entry(e, "reason")).toList());
        map.put("warningDetails", warnings.stream().map(e -> entry(e, "warning")).toList());
        if (refusals.size() < refused) {
            map.put("refusalsOmitted", refused - refusals.size());
        }
        if (warnings.size() < warningCount) {
            map.put("warningsOmitted", warningCount - warnings.size());
        }
        if (error != null) {
            map.put("error", error);
        }
        return map;
    }

    private static Map<String, Object> entry(Entry e, String kind) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("row", e.row());
        map.put("legacyId", e.legacyId());
        map.put("username", e.username());
        map.put(kind, e.message());
        return map;
    }
}
