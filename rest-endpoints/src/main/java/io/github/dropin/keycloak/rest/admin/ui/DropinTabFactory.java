package io.github.dropin.keycloak.rest.admin.ui;

import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The "Drop-in" tab under <em>Realm settings</em> of Keycloak's admin console (extension point {@link UiTabProvider},
 * feature {@code declarative-ui}): the pack's realm settings as a form, grouped as the configuration reference groups
 * them ({@link TabFields}).
 * <p>
 * The console keeps a tab's values as a component of the realm (provider type {@link UiTabProvider}, created on the
 * first save, updated after that). The realm attributes {@code dropin.*} stay the one store the pack reads:
 * <ul>
 *     <li>saving the form validates every value ({@link #validateConfiguration}; a refusal is a
 *         {@link ComponentValidationException}, which the console shows and which changes nothing) and then copies the
 *         values to the realm attributes ({@link #onCreate}, {@link #onUpdate}): an empty field removes the attribute,
 *         so the server's option or the default applies again; the next request reads the new values;</li>
 *     <li>attributes set another way (realm JSON, {@code PUT /admin/realms/{realm}}) are copied into the component
 *         ({@link TabMirror}) after each such admin change and at start-up, so the tab shows what is in force.</li>
 * </ul>
 * Secrets are taken only as vault references and shown masked (secret properties).
 */
public final class DropinTabFactory implements UiTabProviderFactory<Object> {

    /** The provider id, which the console also shows as the tab's title. */
    public static final String PROVIDER_ID = "Drop-in";
    /** Set on the session while {@link TabMirror} writes the component, so that the write is not a save. */
    static final String MIRRORING = DropinTabFactory.class.getName() + ".mirroring";

    private volatile List<TabField> fields = List.of();
    private volatile List<ProviderConfigProperty> properties = List.of();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "The drop-in pack's settings of this realm (realm attributes dropin.*).";
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", "dropin");
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return properties;
    }

    /** The fields of the form. */
    List<TabField> fields() {
        return fields;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        List<TabField> built = TabFields.of(factory);
        this.fields = built;
        this.properties = built.stream().map(TabField::property).toList();
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                // Realms imported at start-up, and attributes set while the feature was off, show in the tab.
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                        .forEach(realm -> TabMirror.mirror(session, realm, this)));
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (mirroring(session)) {
            // The realm's attributes as they are, valid or not: the form shows them so they can be corrected.
            return;
        }
        List<String> problems = new ArrayList<>();
        for (TabField field : fields) {
            String value = value(model, field);
            if (value == null) {
                continue;
            }
            if (field.secret() && value.equals(RealmSettings.trimToNull(realm.getAttribute(field.attribute())))) {
                // Unchanged (the console sends the mask, Keycloak puts the stored value back): an attribute set
                // before stays as it is.
                continue;
            }
            field.check().problem(value).ifPresent(p -> problems.add(field.property().getLabel() + " " + p));
        }
        if (!problems.isEmpty()) {
            // As a parameter: Keycloak formats the message with MessageFormat, which would read ${vault.x} as one.
            throw new ComponentValidationException("{0}", String.join("; ", problems) + ". Nothing was saved.");
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        if (!mirroring(session)) {
            store(realm, model);
        }
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        if (!mirroring(session)) {
            store(realm, newModel);
        }
    }

    /** Copies the form's values to the realm attributes the pack reads; an empty field removes its attribute. */
    private void store(RealmModel realm, ComponentModel model) {
        for (TabField field : fields) {
            String value = value(model, field);
            String current = realm.getAttribute(field.attribute());
            if (value == null) {
                if (current != null) {
                    realm.removeAttribute(field.attribute());
                }
            } else if (!Objects.equals(value, current)) {
                realm.setAttribute(field.attribute(), value);
            }
        }
    }

    /** The field's value in the component, stripped, or {@code null} when empty or {@link TabField#NOT_SET}. */
    static String value(ComponentModel model, TabField field) {
        return Optional.ofNullable(model.getConfig().getFirst(field.name())).map(RealmSettings::trimToNull)
                .filter(v -> !TabField.NOT_SET.equals(v)).orElse(null);
    }

    private static boolean mirroring(KeycloakSession session) {
        return session != null && Boolean.TRUE.equals(session.getAttribute(MIRRORING));
    }
}
