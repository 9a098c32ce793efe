package io.github.dropin.keycloak.rest.tokens;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.claims.LegacyClaimsMapper;
import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.store.Compensations;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.Urls;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.util.DefaultClientSessionContext;
import org.keycloak.util.TokenUtil;

import java.util.Map;
import java.util.Optional;

/**
 * Verification and refresh of the realm's own JWTs for SimpleJWT-style dialects.
 * <p>
 * Refresh runs Keycloak's {@code refresh_token} grant (the OAuth2 grant-type SPI, the same code as the token
 * endpoint) rather than re-implementing it, so session checks, client policies, events and token mappers behave
 * exactly as for Keycloak's own clients. On top of it each refresh token works once (SimpleJWT's rotation with
 * blacklisting), whatever the realm's "revoke refresh token" setting: concurrent uses are decided by a claim in the
 * replicated single-use store, and a used token is also recorded in Keycloak's revoked-token table (the database), so
 * it stays used after a restart of every node.
 */
public final class JwtTokens {

    private static final String USED_PREFIX = Dropin.STORE_PREFIX + "rt:";

    private JwtTokens() {
    }

    /**
     * A token of this realm that is still good: signature by a realm key, not expired, issuer, not revoked, not
     * before any not-before of realm, client or user, its user session alive, its user enabled; a refresh token
     * also must not have been used already.
     */
    public static Optional<AccessToken> verify(KeycloakSession session, RealmModel realm, String encoded) {
        if (encoded == null || encoded.isBlank() || encoded.length() > 16_384) {
            return Optional.empty();
        }
        AccessToken token = session.tokens().decode(encoded, AccessToken.class);
        if (token == null) {
            return Optional.empty();
        }
        boolean refresh = TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType());
        if (!refresh && !TokenUtil.TOKEN_TYPE_BEARER.equals(token.getType())) {
            return Optional.empty();
        }
        ClientModel client = token.getIssuedFor() == null ? null : realm.getClientByClientId(token.getIssuedFor());
        try {
            TokenVerifier.createWithoutSignature(token)
                    .withChecks(new TokenVerifier.RealmUrlCheck(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())),
                            TokenVerifier.IS_ACTIVE,
                            TokenManager.NotBeforeCheck.forModel(realm),
                            TokenManager.NotBeforeCheck.forModel(client),
                            new TokenManager.TokenRevocationCheck(session))
                    .verify();
        } catch (VerificationException e) {
            return Optional.empty();
        }
        if (client == null || !client.isEnabled() || token.getSessionId() == null) {
            return Optional.empty();
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, token.getSessionId());
        if (userSession == null || !AuthenticationManager.isSessionValid(realm, userSession)
                || token.isIssuedBeforeSessionStart(userSession.getStarted())) {
            return Optional.empty();
        }
        UserModel user = userSession.getUser();
        if (user == null || !user.isEnabled() || !user.getId().equals(token.getSubject())
                || !TokenManager.isUserValid(session, realm, token, user)) {
            return Optional.empty();
        }
        if (refresh && session.singleUseObjects().contains(USED_PREFIX + token.getId())) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** Whether {@code token} is a refresh token (and not an access token). */
    public static boolean isRefreshToken(AccessToken token) {
        return TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType());
    }

    /**
     * Why a token that {@link #verify} (or Keycloak's bearer check) refused is refused, in the terms of SimpleJWT,
     * whose messages the dialects send. Checked in SimpleJWT's order: the token itself (signature, expiry: invalid),
     * then its kind (wrong type), then what stands for SimpleJWT's blacklist (a refresh token used already, or whose
     * session ended: blacklisted), then, for access tokens, the user (not found, inactive).
     */
    public enum Refusal {
        /** Not an intact, unexpired token of this realm (and client): "Token is invalid or expired". */
        INVALID,
        /** An intact token of the other kind: "Token has wrong type". */
        WRONG_TYPE,
        /** An intact refresh token that was used, or whose session ended: "Token is blacklisted". */
        BLACKLISTED,
        /** An intact access token whose user is gone: "User not found". */
        USER_NOT_FOUND,
        /** An intact access token whose user is disabled: "User is inactive". */
        USER_INACTIVE,
        /** Intact, but unusable for another reason (its session ended): "Token is invalid or expired". */
        DEAD
    }

    /**
     * @param expectedType {@link TokenUtil#TOKEN_TYPE_BEARER} or {@link TokenUtil#TOKEN_TYPE_REFRESH} where one kind
     *                     is expected, {@code null} where either is (SimpleJWT's {@code UntypedToken})
     * @param client       the client the token must be for, or {@code null} for any
     */
    public static Refusal refusal(KeycloakSession session, RealmModel realm, String encoded, String expectedType,
                                  ClientModel client) {
        if (encoded == null || encoded.isBlank() || encoded.length() > 16_384) {
            return Refusal.INVALID;
        }
        AccessToken token = session.tokens().decode(encoded, AccessToken.class);
        if (token == null || !(TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType())
                || TokenUtil.TOKEN_TYPE_BEARER.equals(token.getType()))) {
            return Refusal.INVALID;
        }
        try {
            TokenVerifier.createWithoutSignature(token)
                    .withChecks(new TokenVerifier.RealmUrlCheck(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())),
                            TokenVerifier.IS_ACTIVE)
                    .verify();
        } catch (VerificationException e) {
            return Refusal.INVALID;
        }
        if (client != null && !client.getClientId().equals(token.getIssuedFor())) {
            return Refusal.INVALID;
        }
        if (expectedType != null && !expectedType.equals(token.getType())) {
            return Refusal.WRONG_TYPE;
        }
        if (TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType())) {
            UserSessionModel userSession = token.getSessionId() == null ? null
                    : session.sessions().getUserSession(realm, token.getSessionId());
            boolean used = session.singleUseObjects().contains(USED_PREFIX + token.getId())
                    || token.getId() != null && KeycloakCompat.isRevoked(session, token.getId());
            return used || userSession == null || !AuthenticationManager.isSessionValid(realm, userSession)
                    ? Refusal.BLACKLISTED : Refusal.DEAD;
        }
        UserModel user = token.getSubject() == null ? null : session.users().getUserById(realm, token.getSubject());
        if (user == null) {
            return Refusal.USER_NOT_FOUND;
        }
        return user.isEnabled() ? Refusal.DEAD : Refusal.USER_INACTIVE;
    }

    /**
     * Keycloak 26.4, which has no refresh-token provider SPI: gives the rotated refresh token of a refresh grant the
     * client's legacy claims (as {@code LegacyClaims} does on 26.7), signed again with the realm's key.
     */
    private static void addLegacyClaims(KeycloakSession session, RealmModel realm, ClientModel client,
                                        AccessTokenResponse tokens) {
        RefreshToken rotated = tokens.getRefreshToken() == null ? null
                : session.tokens().decode(tokens.getRefreshToken(), RefreshToken.class);
        UserSessionModel userSession = rotated == null || rotated.getSessionId() == null ? null
                : session.sessions().getUserSession(realm, rotated.getSessionId());
        AuthenticatedClientSessionModel clientSession = userSession == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        if (clientSession == null) {
            return;
        }
        ClientSessionContext context = DefaultClientSessionContext.fromClientSessionAndScopeParameter(clientSession,
                rotated.getScope(), session);
        if (LegacyClaimsMapper.addToRefreshToken(session, context, rotated)) {
            tokens.setRefreshToken(session.tokens().encode(rotated));
        }
    }

    /**
     * New access and refresh tokens for a refresh token of {@code client}, through Keycloak's refresh grant.
     *
     * @return empty when the token is invalid, expired, used, or its session gone (the grant records the event)
     */
    public static Optional<AccessTokenResponse> refresh(KeycloakSession session, RealmModel realm, ClientModel client,
                                                        String encoded, EventBuilder event) {
        Optional<AccessToken> token = verify(session, realm, encoded);
        if (token.isEmpty() || !TokenUtil.TOKEN_TYPE_REFRESH.equals(token.get().getType())
                || !client.getClientId().equals(token.get().getIssuedFor())) {
            return Optional.empty();
        }
        // Claim the token's single use first, so that of two concurrent refreshes only one gets new tokens.
        String used = USED_PREFIX + token.get().getId();
        long lifespan = Math.max(1, token.get().getExp() - Time.currentTime()) + 60;
        if (!session.singleUseObjects().putIfAbsent(used, lifespan)) {
            return Optional.empty();
        }
        Compensations.of(session).onRollback(() -> session.singleUseObjects().remove(used));

        session.getContext().setClient(client);
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.REFRESH_TOKEN);
        form.putSingle(OAuth2Constants.REFRESH_TOKEN, encoded);
        OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, OAuth2Constants.REFRESH_TOKEN);
        OAuth2GrantType.Context context = new OAuth2GrantType.Context(session,
                OIDCAdvancedConfigWrapper.fromClientModel(client), Map.of(), form, event, Cors.builder(), new TokenManager());
        try {
            Response response = grant.process(context);
            if (response.getStatus() != 200 || !(response.getEntity() instanceof AccessTokenResponse tokens)) {
                return Optional.empty();
            }
            // The claim above lives in memory (replicated, but lost when every node restarts); Keycloak's revoked-token
            // table is in the database and verify() checks it, so a used refresh token stays used after a restart of
            // the whole cluster. Recorded only now: the grant itself refuses a revoked token. Part of the request's
            // transaction, so a request that fails later records nothing.
            KeycloakCompat.revokeToken(session, token.get().getId(), lifespan);
            if (!KeycloakCompat.REFRESH_TOKEN_PROVIDERS) {
                addLegacyClaims(session, realm, client, tokens);
            }
            return Optional.of(tokens);
        } catch (WebApplicationException refused) {
            // CorsErrorResponseException: invalid_grant and friends; the grant has already sent the error event.
            return Optional.empty();
        }
    }
}
