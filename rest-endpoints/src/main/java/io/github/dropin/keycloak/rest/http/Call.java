package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.rest.http.Principal;
import io.github.dropin.keycloak.service.CodeCheck;
import io.github.dropin.keycloak.service.CodeRequest;
import io.github.dropin.keycloak.service.CodeService;
import io.github.dropin.keycloak.service.Delivery;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a handler needs about one request.
 *
 * @param body      the parsed body as sent (after content-type handling), for handlers that need presence of
 *                  undeclared keys
 * @param principal the authenticated caller; only on routes declared {@link Route.Auth#REQUIRED}
 */
public record Call(KeycloakSession session, RealmModel realm, Dialect dialect, Map<String, String> pathParams,
                   Input input, JsonNode body, Principal principal) {

    private static final Logger LOG = Logger.getLogger(Call.class);

    /** Realm setting naming the OIDC client a dialect's sessions and tokens belong to. */
    public static final String CLIENT_ID = "clientId";
    /**
     * Realm setting of the dialects that accept access tokens: further OIDC clients (client ids, comma or space
     * separated) whose tokens the dialect accepts besides its own client's.
     */
    public static final String ACCEPTED_CLIENTS = "acceptedClients";
    /** {@link #ACCEPTED_CLIENTS} as an option of the dialects that take access tokens. */
    public static final Setting ACCEPTED_CLIENTS_SETTING = Setting.text(ACCEPTED_CLIENTS, null, "Further OIDC clients "
            + "(client ids, comma-separated) whose access tokens the dialect accepts besides its own client's. "
            + "Empty: only its own.");

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The dialect's settings in this realm. */
    public RealmSettings settings() {
        return dialect.settings(realm);
    }

    /** The dialect's code policy in this realm: the seed's defaults under the realm's and the server's settings. */
    public CodePolicy codePolicy() {
        return CodePolicy.from(settings(), dialect.codeDefaults());
    }

    /** The core's code use cases. */
    public CodeService codes() {
        return CodeService.of(session);
    }

    /** A code request of this call (realm, dialect policy, client address) for {@code purpose}. */
    public CodeRequest codeRequest(CodePurpose purpose, EventBuilder event, Delivery... deliveries) {
        return CodeRequest.of(realm, purpose, codePolicy(), clientIp(), event, deliveries);
    }

    /** A code request of this call with the given deliveries. */
    public CodeRequest codeRequest(CodePurpose purpose, EventBuilder event, List<Delivery> deliveries) {
        return new CodeRequest(realm, purpose, codePolicy(), clientIp(), event, deliveries, false);
    }

    /** A check of a submitted code under the dialect's policy. */
    public CodeCheck codeCheck(CodePurpose purpose, CodeSubject subject, Object submitted, UserModel user,
                               EventBuilder event) {
        return CodeCheck.of(realm, purpose, subject, submitted, codePolicy(), user, event);
    }

    public String header(String name) {
        return session.getContext().getRequestHeaders().getHeaderString(name);
    }

    /** The client's address as Keycloak sees it (honouring the configured proxy headers). */
    public String clientIp() {
        return session.getContext().getConnection().getRemoteAddr();
    }

    /**
     * The OIDC client this dialect issues sessions and tokens for: realm setting {@code dropin.<dialect>.clientId},
     * default the dialect id. A missing or disabled client is an operator error: 503 and a log line naming the
     * setting.
     */
    public ClientModel client() throws ApiError {
        String clientId = settings().get(CLIENT_ID, dialect.id());
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            LOG.errorf("Realm '%s': dialect '%s' needs an enabled OIDC client '%s' (realm attribute %s)",
                    realm.getName(), dialect.id(), clientId, settings().attributeName(CLIENT_ID));
            throw ApiError.unavailable();
        }
        session.getContext().setClient(client);
        return client;
    }

    /**
     * Whether the dialect accepts a token issued to {@code clientId} (its {@code azp}): its own client's, and those
     * the realm adds with {@value #ACCEPTED_CLIENTS}. A token any other app of the realm holds (and might leak) is
     * refused, so it cannot be turned into a takeover through this dialect.
     */
    public boolean acceptsTokensOf(String clientId) {
        if (clientId == null) {
            return false;
        }
        if (clientId.equals(settings().get(CLIENT_ID, dialect.id()))) {
            return true;
        }
        return settings().get(ACCEPTED_CLIENTS)
                .map(list -> Arrays.stream(list.split("[,\\s]+")).anyMatch(clientId::equals))
                .orElse(false);
    }

    /** A Keycloak event of {@code type} for this realm, IP and dialect; add user and client as they become known. */
    public EventBuilder event(EventType type) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(type)
                .detail("dialect", dialect.id());
        ClientModel client = realm.getClientByClientId(settings().get(CLIENT_ID, dialect.id()));
        if (client != null) {
            event.client(client);
        }
        if (principal != null) {
            event.user(principal.user());
            if (principal.userSession() != null) {
                event.session(principal.userSession());
            }
        }
        return event;
    }
}
