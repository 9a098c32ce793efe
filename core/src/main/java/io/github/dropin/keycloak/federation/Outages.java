package io.github.dropin.keycloak.federation;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of each component's legacy database as this node last saw it, so that an outage is logged once when it
 * starts (WARN, with the URL without its query part and the driver's reason, never a password) and once when it ends
 * (INFO), not at every lookup in between. Owned by the factory: one per node, nothing shared across the cluster.
 */
final class Outages {

    private static final Logger LOG = Logger.getLogger(Outages.class);

    /** Component id → the reason of the outage under way. */
    private final Map<String, String> down = new ConcurrentHashMap<>();

    void failed(ComponentModel model, LegacyDatabaseConfig config, RealmModel realm, Exception e) {
        String reason = describe(e);
        if (down.putIfAbsent(model.getId(), reason) == null) {
            LOG.warnf("Legacy database of user federation '%s' (realm %s, %s) cannot be read: %s. Lookups of users "
                            + "not yet in Keycloak and their first sign-ins fail until it answers again.",
                    model.getName(), realm.getName(), config.safeUrl(), reason);
        } else {
            LOG.debugf("Legacy database of user federation '%s' still cannot be read: %s", model.getName(), reason);
        }
    }

    void succeeded(ComponentModel model, LegacyDatabaseConfig config) {
        if (down.remove(model.getId()) != null) {
            LOG.infof("Legacy database of user federation '%s' (%s) answers again", model.getName(), config.safeUrl());
        }
    }

    /** The driver's reason with its SQL state, first line only. */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            message += " (SQL state " + sql.getSQLState() + ")";
        }
        return message;
    }
}
