package io.github.dropin.keycloak.rest.admin;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Base of the pack's listeners to administrators' changes: global (they need no entry in a realm's event listeners),
 * deaf to user events, holding nothing to close. A subclass handles {@link #onAdminEvent}.
 */
public abstract class AdminEventListenerFactory implements EventListenerProviderFactory,
        PackProviderFactory<EventListenerProvider> {

    private final String id;

    protected AdminEventListenerFactory(String id) {
        this.id = id;
    }

    /** Called after each admin event, in the session of the administrator's request. */
    protected abstract void onAdminEvent(KeycloakSession session, AdminEvent event);

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final boolean isGlobal() {
        return true;
    }

    @Override
    public final EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                // User events are not of interest.
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
                onAdminEvent(session, event);
            }

            @Override
            public void close() {
                // Nothing held.
            }
        };
    }

    /** The realm an admin event is about, {@code null} if it is gone. */
    public static RealmModel realmOf(KeycloakSession session, AdminEvent event) {
        if (event.getResourceType() == ResourceType.REALM && event.getOperationType() == OperationType.CREATE
                && event.getResourcePath() != null) {
            // A new realm is announced in the realm of the administrator who created it, by name.
            return session.realms().getRealmByName(event.getResourcePath());
        }
        return event.getRealmId() == null ? null : session.realms().getRealm(event.getRealmId());
    }
}
