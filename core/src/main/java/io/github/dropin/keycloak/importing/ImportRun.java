package io.github.dropin.keycloak.importing;

import io.github.dropin.keycloak.importing.ImportReport.Outcome;
import io.github.dropin.keycloak.users.LegacyIds;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTaskWithResult;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Imports a stream of records into a realm: {@link ImportOptions#batchSize()} records per transaction of their own,
 * read from the stream only as they are written, so that memory stays flat whatever the input's size and a long run
 * commits as it goes (a run stopped half-way can simply be repeated: the import is idempotent by legacy id).
 * <p>
 * A batch whose commit fails (a constraint the importer's checks did not foresee, such as a username Keycloak's
 * database refuses) is written again one record per transaction, so that only the records at fault are refused. A dry
 * run goes through the very same writes and rolls every transaction back. Progress is logged every
 * {@value #LOG_EVERY} records; the report has the rest.
 */
public final class ImportRun {

    private static final Logger LOG = Logger.getLogger(ImportRun.class);
    static final int LOG_EVERY = 10_000;

    private final KeycloakSessionFactory factory;
    private final KeycloakContext context;
    private final String realmId;
    private final ImportOptions options;
    private final ImportReport report;
    private final UserImporter.Lookups lookups = new UserImporter.Lookups();
    private int nextLog = LOG_EVERY;

    /**
     * @param session the request's session: the run writes in sessions of its own, with the realm of this one
     */
    public ImportRun(KeycloakSession session, RealmModel realm, ImportOptions options) {
        this.factory = session.getKeycloakSessionFactory();
        this.context = session.getContext();
        this.realmId = realm.getId();
        this.options = options;
        this.report = new ImportReport(options.dryRun());
    }

    public ImportReport report() {
        return report;
    }

    /**
     * Writes every item. A reader that fails part-way ({@link RuntimeException} from {@code items}) ends the run with
     * {@link ImportReport#error()} set; what was written before stays.
     */
    public ImportReport run(Iterator<ImportItem> items) {
        List<ImportItem> batch = new ArrayList<>(options.batchSize());
        try {
            while (items.hasNext()) {
                batch.add(items.next());
                if (batch.size() >= options.batchSize()) {
                    write(batch);
                    batch.clear();
                }
            }
        } catch (RuntimeException unreadable) {
            report.fail(unreadable.getMessage());
        }
        write(batch);
        if (!options.dryRun() && report.highestLegacyId() > 0) {
            // New users get numbers above every imported one, and above the legacy system's deleted ones below it.
            inTransaction(s -> {
                LegacyIds.raiseNext(s.realms().getRealm(realmId), report.highestLegacyId() + 1);
                return null;
            });
        }
        report.finish();
        return report;
    }

    private void write(List<ImportItem> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome> outcomes;
        try {
            outcomes = inTransaction(s -> {
                UserImporter importer = importer(s);
                List<Outcome> written = new ArrayList<>(batch.size());
                for (ImportItem item : batch) {
                    written.add(importer.write(item));
                }
                return written;
            });
        } catch (RuntimeException batchFailed) {
            LOG.debugf(batchFailed, "Import batch failed at commit; writing its %d records one by one", batch.size());
            outcomes = new ArrayList<>(batch.size());
            for (ImportItem item : batch) {
                outcomes.add(writeAlone(item));
            }
        }
        outcomes.forEach(report::add);
        if (report.rows() >= nextLog) {
            nextLog += LOG_EVERY;
            LOG.infof("Import into realm %s%s: %d records, %.0f users/s so far", context.getRealm().getName(),
                    options.dryRun() ? " (dry run)" : "", report.rows(), report.usersPerSecond());
        }
    }

    private Outcome writeAlone(ImportItem item) {
        try {
            return inTransaction(s -> importer(s).write(item));
        } catch (RuntimeException e) {
            return Outcome.refused(item.row(), legacyId(item), username(item), "Keycloak refused the row: " + cause(e));
        }
    }

    private UserImporter importer(KeycloakSession s) {
        // The import looks users up to find conflicts: a lazy-migration provider must not answer from the legacy
        // database (it would import the very user the row is about, and the row would conflict with it).
        s.setAttribute(LegacyIds.BULK_IMPORT_SESSION, Boolean.TRUE);
        return new UserImporter(s, s.realms().getRealm(realmId), options, lookups);
    }

    private <T> T inTransaction(KeycloakSessionTaskWithResult<T> task) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, context, s -> {
            T result = task.run(s);
            if (options.dryRun()) {
                s.getTransactionManager().setRollbackOnly();
            }
            return result;
        }, "dropin import");
    }

    private static String legacyId(ImportItem item) {
        if (item instanceof ImportItem.User user) {
            return Long.toString(user.legacyId());
        }
        if (item instanceof ImportItem.Token token) {
            return token.userLegacyId() == null ? null : Long.toString(token.userLegacyId());
        }
        return item instanceof ImportItem.Group group ? Long.toString(group.legacyId()) : null;
    }

    private static String username(ImportItem item) {
        return item instanceof ImportItem.User user ? user.username() : null;
    }

    /** The innermost cause, as short text (an administrator reads it; no stack trace in a report). */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
