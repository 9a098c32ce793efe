package io.github.dropin.keycloak.rest.admin;

import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A WARN for every realm that uses the pack (a dialect's client, a flow or required action of the pack) while
 * Keycloak's brute-force detection is off: at start-up (after realms are imported), and whenever an administrator
 * changes such a realm, its clients, flows or required actions (an admin event). The pack throttles password, PIN and
 * code guesses on its own, but the detector is what locks accounts for Keycloak's own login pages and what an
 * administrator sees in the console; a realm that leaves it off should do so knowingly.
 */
public final class DetectorWarnings extends AdminEventListenerFactory {

    public static final String PROVIDER_ID = "dropin-detector-warnings";

    private static final Logger LOG = Logger.getLogger(DetectorWarnings.class);
    /** Admin changes after which a realm is looked at again. */
    private static final Set<ResourceType> RELEVANT = Set.of(ResourceType.REALM, ResourceType.CLIENT,
            ResourceType.AUTH_FLOW, ResourceType.AUTH_EXECUTION, ResourceType.AUTH_EXECUTION_FLOW,
            ResourceType.REQUIRED_ACTION);
    private static final String PACK_PREFIX = "dropin-";

    public DetectorWarnings() {
        super(PROVIDER_ID);
    }

    @Override
    protected void onAdminEvent(KeycloakSession session, AdminEvent event) {
        if (event.getResourceType() == null || !RELEVANT.contains(event.getResourceType())
                || event.getOperationType() == OperationType.DELETE && event.getResourceType() == ResourceType.REALM) {
            return;
        }
        RealmModel realm = realmOf(session, event);
        if (realm != null) {
            warnIfExposed(session, realm);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                // After the start-up import: realms imported from files are covered too.
                KeycloakModelUtils.runJobInTransaction(factory,
                        session -> session.realms().getRealmsStream().forEach(realm -> warnIfExposed(session, realm)));
            }
        });
    }

    /** Logs the warning if {@code realm} uses the pack and has the detector off. */
    static void warnIfExposed(KeycloakSession session, RealmModel realm) {
        if (realm.isBruteForceProtected()) {
            return;
        }
        List<String> uses = packUses(session, realm);
        if (!uses.isEmpty()) {
            LOG.warnf("Realm '%s' uses the drop-in pack (%s) with Keycloak's brute-force detection off "
                            + "(bruteForceProtected=false): only the pack's own throttles limit password, PIN and code "
                            + "guesses, and Keycloak's login pages have none. Turn it on in Realm settings > Security "
                            + "defenses > Brute force detection.", realm.getName(), String.join(", ", uses));
        }
    }

    /** What of the pack the realm uses: dialect clients, flows with the pack's authenticators, its required actions. */
    static List<String> packUses(KeycloakSession session, RealmModel realm) {
        List<String> uses = new ArrayList<>();
        List<String> dialects = session.getKeycloakSessionFactory().getProviderFactoriesStream(RealmResourceProvider.class)
                .filter(DialectProviderFactory.class::isInstance).map(ProviderFactory::getId)
                .filter(id -> realm.getClientByClientId(RealmSettings.of(realm, id).get(Call.CLIENT_ID, id)) != null)
                .sorted().toList();
        if (!dialects.isEmpty()) {
            uses.add("dialects " + String.join(", ", dialects));
        }
        String flows = realm.getAuthenticationFlowsStream()
                .filter(flow -> realm.getAuthenticationExecutionsStream(flow.getId())
                        .anyMatch(e -> e.getAuthenticator() != null && e.getAuthenticator().startsWith(PACK_PREFIX)))
                .map(flow -> "'" + flow.getAlias() + "'").sorted().collect(Collectors.joining(", "));
        if (!flows.isEmpty()) {
            uses.add("flows " + flows);
        }
        if (realm.getRequiredActionProvidersStream()
                .anyMatch(a -> a.isEnabled() && a.getProviderId() != null && a.getProviderId().startsWith(PACK_PREFIX))) {
            uses.add("its required actions");
        }
        return uses;
    }
}
