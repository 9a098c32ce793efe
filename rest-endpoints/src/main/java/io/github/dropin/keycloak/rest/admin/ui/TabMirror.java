package io.github.dropin.keycloak.rest.admin.ui;

import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.common.util.MultivaluedHashMap;
import io.github.dropin.keycloak.rest.admin.AdminEventListenerFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.ui.extend.UiTabProvider;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the Drop-in tab's component in step with the realm attributes it shows, for attributes set without the tab:
 * the admin console reads the tab's values from the component, not from the realm. A global event listener that, after an administrator creates or updates a realm (realm JSON import,
 * {@code PUT /admin/realms/{realm}}), copies the realm's {@code dropin.*} attributes of the tab into the component,
 * creating it when the realm has such attributes but no tab yet. {@link DropinTabFactory} does the same for every
 * realm at start-up. Does nothing where the {@code declarative-ui} feature is off (no tab provider).
 * <p>
 * Attributes changed by other means (directly in the database, or by code) show in the tab after the next admin
 * change of the realm or the next start; what is in force is the attributes either way.
 */
public final class TabMirror extends AdminEventListenerFactory {

    public static final String PROVIDER_ID = "dropin-admin-tab";

    public TabMirror() {
        super(PROVIDER_ID);
    }

    @Override
    protected void onAdminEvent(KeycloakSession session, AdminEvent event) {
        if (event.getResourceType() != ResourceType.REALM || event.getOperationType() != OperationType.CREATE
                && event.getOperationType() != OperationType.UPDATE) {
            return;
        }
        DropinTabFactory tab = tab(session);
        RealmModel realm = tab == null ? null : realmOf(session, event);
        if (realm != null) {
            mirror(session, realm, tab);
        }
    }

    /** The tab's factory, or {@code null} when the feature is off. */
    private static DropinTabFactory tab(KeycloakSession session) {
        ProviderFactory<?> factory = session.getKeycloakSessionFactory()
                .getProviderFactory(UiTabProvider.class, DropinTabFactory.PROVIDER_ID);
        return factory instanceof DropinTabFactory tab ? tab : null;
    }

    /** Copies {@code realm}'s attributes into its tab component; creates the component only if there is something to show. */
    static void mirror(KeycloakSession session, RealmModel realm, DropinTabFactory tab) {
        List<TabField> fields = tab.fields();
        Optional<ComponentModel> existing = realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(c -> DropinTabFactory.PROVIDER_ID.equals(c.getProviderId())).findFirst();
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        // What the console adds to a tab's values (its route's parameters) stays.
        existing.ifPresent(c -> c.getConfig().forEach((key, values) -> {
            if (fields.stream().noneMatch(f -> f.name().equals(key))) {
                config.put(key, values);
            }
        }));
        boolean any = false;
        for (TabField field : fields) {
            String value = RealmSettings.trimToNull(realm.getAttribute(field.attribute()));
            if (value != null) {
                config.putSingle(field.name(), value);
                any = true;
            }
        }
        if (existing.isEmpty() && !any || existing.isPresent() && existing.get().getConfig().equals(config)) {
            return;
        }
        session.setAttribute(DropinTabFactory.MIRRORING, Boolean.TRUE);
        try {
            if (existing.isPresent()) {
                // A copy: the realm cache's model is shared.
                ComponentModel component = new ComponentModel(existing.get());
                component.setConfig(config);
                realm.updateComponent(component);
            } else {
                ComponentModel component = new ComponentModel();
                component.setName(DropinTabFactory.PROVIDER_ID);
                component.setProviderId(DropinTabFactory.PROVIDER_ID);
                component.setProviderType(UiTabProvider.class.getName());
                component.setParentId(realm.getId());
                component.setConfig(config);
                realm.addComponentModel(component);
            }
        } finally {
            session.removeAttribute(DropinTabFactory.MIRRORING);
        }
    }
}
