package io.github.dropin.keycloak.shield;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What operators see when a budget of the shield is spent: one WARN line and one Keycloak admin event per budget and
 * window (the first refusal raises it). The admin event is of resource type {@value #RESOURCE_TYPE}, operation
 * {@code ACTION}, path {@code dropin-shield/<budget>}, with the budget in its details (and representation, where the
 * realm stores those); it is stored when the realm stores admin events and goes to the realm's event listeners
 * (email, SIEM forwarders) either way. Nobody administered anything, so its auth details name only the realm and the
 * client address whose request hit the budget.
 * <p>
 * Sent in a transaction of its own, at once, as Keycloak stores user event errors: the refused request itself rolls
 * back.
 */
public final class ShieldAlert {

    /** The admin event's resource type. */
    public static final String RESOURCE_TYPE = "DROPIN_SHIELD";

    private static final Logger LOG = Logger.getLogger(ShieldAlert.class);

    private ShieldAlert() {
    }

    static void raise(KeycloakSession session, RealmModel realm, Budget budget, long resumesIn, String clientIp) {
        LOG.warnf("Realm '%s': shield budget %s is spent (%d %s per %d s); refused until it resumes in %d s. "
                        + "If this is your normal traffic, raise realm attribute dropin.shield.* or the dialect's setting.",
                realm.getName(), budget.name(), budget.limit(), budget.what(), budget.windowSeconds(), resumesIn);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("budget", budget.name());
        details.put("counts", budget.what());
        details.put("limit", Integer.toString(budget.limit()));
        details.put("windowSeconds", Integer.toString(budget.windowSeconds()));
        details.put("resumesInSeconds", Long.toString(resumesIn));
        String realmId = realm.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(),
                    inner -> send(inner, inner.realms().getRealm(realmId), budget, details, clientIp));
        } catch (RuntimeException e) {
            // The WARN above is the alert of last resort; a failing event store must not turn a 429 into a 500.
            LOG.errorf(e, "Realm '%s': could not record the admin event of shield budget %s", realm.getName(), budget.name());
        }
    }

    private static void send(KeycloakSession session, RealmModel realm, Budget budget, Map<String, String> details,
                             String clientIp) {
        if (realm == null) {
            return;
        }
        AdminEvent event = new AdminEvent();
        event.setId(UUID.randomUUID().toString());
        event.setTime(Time.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        event.setOperationType(OperationType.ACTION);
        event.setResourceTypeAsString(RESOURCE_TYPE);
        event.setResourcePath("dropin-shield/" + budget.name());
        event.setDetails(new LinkedHashMap<>(details));
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        auth.setIpAddress(clientIp);
        event.setAuthDetails(auth);
        try {
            event.setRepresentation(JsonSerialization.writeValueAsString(details));
        } catch (IOException e) {
            // details only
        }
        boolean includeRepresentation = realm.isAdminEventsDetailsEnabled();
        if (realm.isAdminEventsEnabled()) {
            EventStoreProvider store = session.getProvider(EventStoreProvider.class);
            if (store != null) {
                store.onEvent(event, includeRepresentation);
            }
        }
        // As Keycloak's AdminEventBuilder: the realm's listeners and the global ones.
        Set<String> listeners = realm.getEventsListenersStream().collect(Collectors.toSet());
        session.getKeycloakSessionFactory().getProviderFactoriesStream(EventListenerProvider.class)
                .filter(f -> listeners.contains(f.getId()) || ((EventListenerProviderFactory) f).isGlobal())
                .forEach(f -> {
                    try {
                        session.getProvider(EventListenerProvider.class, f.getId()).onEvent(event, includeRepresentation);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "Event listener %s failed on a shield admin event", f.getId());
                    }
                });
    }
}
