package io.github.dropin.keycloak.rest.importing;

import io.github.dropin.keycloak.importing.CsvRecords;
import io.github.dropin.keycloak.importing.FieldMapping;
import io.github.dropin.keycloak.importing.ImportItem;
import io.github.dropin.keycloak.importing.ImportOptions;
import io.github.dropin.keycloak.importing.ImportReport;
import io.github.dropin.keycloak.importing.ImportRun;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.support.AdminResource;
import io.github.dropin.keycloak.settings.RealmSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /admin/realms/{realm}/dropin-import/users}: imports legacy users (SPEC §5) from the request body, a
 * Django {@code dumpdata} JSON file ({@code Content-Type: application/json}) or a CSV file ({@code text/csv}), and
 * answers a report: counts, every refused row with the reason, every row imported with something left out, and
 * users/s. Needs {@code manage-users}; mapping {@code is_staff}/{@code is_superuser} needs the right to map those
 * roles, and creating a missing one {@code manage-realm}. Documented with examples in {@code docs/migration.md}.
 * <p>
 * The body is read as it is written, in transactions of {@code batchSize} rows ({@link ImportRun}), so memory stays
 * flat; Keycloak's HTTP layer limits a request body to 10 MB by default, which is why the command-line tool
 * ({@code tools/dropin-import.py}) sends large files in parts, numbering rows across them with {@code firstRow}.
 * <p>
 * Query parameters: {@code format} ({@code dumpdata} or {@code csv}, default by content type), {@code model} (the
 * user model's label, default {@code auth.user}), {@code groupModel} ({@code auth.group}), {@code tokenModel} (DRF's
 * {@code authtoken.token}: legacy keys, stored as hashes), {@code dryRun},
 * {@code withoutPassword}, {@code emailVerified} (for records without a verified flag), {@code staffRole} and
 * {@code superuserRole} (empty: not mapped), {@code field.<property>=<legacy field>} (see {@link FieldMapping}),
 * {@code firstRow}, {@code batchSize} (1–1000). SimpleJWT's blacklist ({@code dumpdata token_blacklist}) needs no
 * parameter: its blacklisted tokens' ids are refused by the refresh endpoints until the tokens expire.
 * <p>
 * Answers 200 with the report; 400 with the report and its {@code error} when the file could not be read to its end
 * (rows before the fault are imported; the import is idempotent, so fix the file and send it again), or without one
 * for a bad parameter; 403 without the permissions above.
 */
public class ImportResource extends AdminResource {

    private static final Logger LOG = Logger.getLogger(ImportResource.class);

    ImportResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        super(session, realm, auth, adminEvent);
    }

    @POST
    @Path("users")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response users(InputStream body) {
        auth.users().requireManage();

        MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
        String contentType = session.getContext().getRequestHeaders().getHeaderString("Content-Type");
        String format = first(query, "format", contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("text/csv") ? "csv" : "dumpdata");
        if (!format.equals("dumpdata") && !format.equals("csv")) {
            return error("format must be dumpdata or csv");
        }
        FieldMapping mapping = FieldMapping.defaults();
        try {
            for (Map.Entry<String, List<String>> param : query.entrySet()) {
                if (param.getKey().startsWith("field.")) {
                    mapping = mapping.with(param.getKey().substring("field.".length()), param.getValue().get(0));
                }
            }
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        RealmSettings settings = RealmSettings.of(realm, ImportOptions.SCOPE);
        // A query parameter overrides the realm's setting of the same name.
        String staffRole = first(query, ImportOptions.STAFF_ROLE.key(), settings.getString(ImportOptions.STAFF_ROLE));
        String superuserRole = first(query, ImportOptions.SUPERUSER_ROLE.key(),
                settings.getString(ImportOptions.SUPERUSER_ROLE));
        for (String role : new String[]{staffRole, superuserRole}) {
            String problem = checkRole(role);
            if (problem != null) {
                return error(problem);
            }
        }
        int firstRow;
        int batchSize;
        try {
            firstRow = Integer.parseInt(first(query, "firstRow", "1"));
            batchSize = Integer.parseInt(first(query, "batchSize", Integer.toString(ImportOptions.DEFAULT_BATCH_SIZE)));
        } catch (NumberFormatException e) {
            return error("firstRow and batchSize must be integers");
        }
        if (firstRow < 1 || batchSize < 1 || batchSize > 1000) {
            return error("firstRow must be at least 1, batchSize between 1 and 1000");
        }
        ImportOptions options = new ImportOptions(flag(query, "dryRun", false), flag(query, "withoutPassword", false),
                flag(query, ImportOptions.EMAIL_VERIFIED.key(), settings.getBoolean(ImportOptions.EMAIL_VERIFIED)),
                blankToNull(staffRole),
                blankToNull(superuserRole), batchSize);

        Iterator<ImportItem> items;
        try {
            items = format.equals("csv")
                    ? new CsvRecords(new InputStreamReader(body, StandardCharsets.UTF_8), mapping, firstRow)
                    : new DumpdataRecords(body, first(query, "model", "auth.user"), first(query, "groupModel", "auth.group"),
                    first(query, "tokenModel", "authtoken.token"), mapping, firstRow);
        } catch (IOException e) {
            return error("not a dumpdata file: " + DumpdataRecords.originalMessage(e));
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }

        ImportReport report = new ImportRun(session, realm, options).run(items);
        LOG.infof("Realm '%s': %simport of %d records (%s): %d created, %d updated, %d refused in %.1f s (%.0f users/s)",
                realm.getName(), options.dryRun() ? "dry-run " : "", report.rows(), format,
                report.created(), report.updated(), report.refused(), report.seconds(), report.usersPerSecond());
        if (!options.dryRun()) {
            adminEvent.operation(OperationType.ACTION).resource(ResourceType.USER)
                    .resourcePath(session.getContext().getUri()).success();
        }
        return Json.response(report.error() == null ? 200 : 400, report.toMap());
    }

    /** Why {@code name} cannot be mapped, or {@code null}: it exists and may be mapped, or may be created. */
    private String checkRole(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        RoleModel role = realm.getRole(name);
        if (role == null) {
            return auth.realm().canManageRealm() ? null : "realm role '" + name + "' does not exist: create it, "
                    + "name another (staffRole, superuserRole; empty: not mapped), or import as a realm manager";
        }
        // Keycloak's own rule for assigning it (403 otherwise).
        auth.roles().requireMapRole(role);
        return null;
    }

    private static String first(MultivaluedMap<String, String> query, String name, String defaultValue) {
        String value = query.getFirst(name);
        return value == null ? defaultValue : value;
    }

    private static boolean flag(MultivaluedMap<String, String> query, String name, boolean defaultValue) {
        String value = query.getFirst(name);
        return value == null ? defaultValue : value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Response error(String message) {
        return Json.response(400, Json.object("error", message));
    }
}
