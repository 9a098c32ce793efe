package io.github.dropin.keycloak.rest.tokens;

import io.github.dropin.keycloak.claims.LegacyClaimsMapper;
import io.github.dropin.keycloak.compat.KeycloakCompat;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.util.List;

/**
 * Starts and ends Keycloak user sessions for users the dialects have authenticated, the way Keycloak's own
 * resource-owner password grant does (an authentication session attached to a new user session with a client
 * session), so sessions show in the admin console and Keycloak's logout, session limits and token endpoints treat
 * them like any other.
 */
public final class SessionIssuer {

    private SessionIssuer() {
    }

    /** Creates a user session for {@code user} with a client session for {@code client}. */
    public static ClientSessionContext login(KeycloakSession session, RealmModel realm, ClientModel client,
                                             UserModel user, EventBuilder event) {
        session.getContext().setClient(client);
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER,
                Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        // "phone" adds the phone_number claims where the client has Keycloak's phone scope; unknown scopes are ignored.
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "openid phone");
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext context = AuthenticationProcessor.attachSession(authSession, null, session, realm,
                session.getContext().getConnection(), event);
        event.user(user).session(context.getClientSession().getUserSession());
        return context;
    }

    /** Access and refresh token (signed with the realm keys) for a session made by {@link #login}. */
    public static AccessTokenResponse tokens(KeycloakSession session, RealmModel realm, ClientModel client,
                                             ClientSessionContext context, EventBuilder event) {
        UserSessionModel userSession = context.getClientSession().getUserSession();
        TokenManager.AccessTokenResponseBuilder builder = new TokenManager()
                .responseBuilder(realm, client, event, session, userSession, context)
                .generateAccessToken()
                .generateRefreshToken();
        if (!KeycloakCompat.REFRESH_TOKEN_PROVIDERS) {
            // Keycloak 26.4: no refresh-token provider puts the legacy claims in, so the dialect does.
            LegacyClaimsMapper.addToRefreshToken(session, context, builder.getRefreshToken());
        }
        return builder.build();
    }

    /** Ends one user session, with Keycloak's backchannel logout of its clients. */
    public static void logout(KeycloakSession session, RealmModel realm, UserSessionModel userSession) {
        AuthenticationManager.backchannelLogout(session, realm, userSession, session.getContext().getUri(),
                session.getContext().getConnection(), session.getContext().getRequestHeaders(), true);
    }

    /** Ends every session of a user, e.g. after a password reset. */
    public static void logoutAll(KeycloakSession session, RealmModel realm, UserModel user) {
        List<UserSessionModel> sessions = session.sessions().getUserSessionsStream(realm, user).toList();
        for (UserSessionModel userSession : sessions) {
            logout(session, realm, userSession);
        }
    }
}
