package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.rest.auth.DrfTokenAuthentication;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.AuthScheme;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.CallerAuthenticator;
import io.github.dropin.keycloak.rest.http.Principal;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

import java.util.List;

/**
 * Authentication of seed 003's protected routes: DRF's {@code TokenAuthentication} with the keyword {@code Bearer}
 * (as the seed documents it) and {@code Token} (DRF's own), whose key is a session key from
 * {@code /api-token-auth/}; and, with {@code Bearer}, the realm's own access tokens (a JWT) issued to the dialect's
 * client or a client the realm adds ({@link Call#acceptsTokensOf}), verified by Keycloak's bearer-token check
 * (signature, expiry, live session, enabled user). Failures get DRF's 401 bodies and
 * {@code WWW-Authenticate: Bearer}.
 * <p>
 * {@link #isUserAdministrator} decides who may reach other users: only a caller with an access token that carries
 * the realm's {@code realm-management}/{@code manage-users} role, a role the user still has.
 */
final class UsersApiAuthentication implements CallerAuthenticator {

    private final CallerAuthenticator keys;

    UsersApiAuthentication(String keyNote) {
        this.keys = DrfTokenAuthentication.authenticator(keyNote, "Bearer", "Token");
    }

    @Override
    public Principal authenticate(Call call) throws ApiError {
        String[] parts = DrfTokenAuthentication.split(call.header(HttpHeaders.AUTHORIZATION));
        // A session key is "<session id>.<secret>"; a JWT has three dot-separated parts.
        if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") && parts[1].chars().filter(c -> c == '.').count() == 2) {
            AuthenticationManager.AuthResult result;
            try {
                result = KeycloakCompat.authenticateBearer(call.session(), parts[1]);
            } catch (WebApplicationException refused) {
                result = null;
            }
            // Only users-api's own tokens (and those of clients the realm adds): a token another app of the realm
            // holds must not read or change accounts here.
            if (result == null || KeycloakCompat.session(result) == null
                    || !KeycloakCompat.session(result).getRealm().getId().equals(call.realm().getId())
                    || !call.acceptsTokensOf(KeycloakCompat.token(result).getIssuedFor())) {
                throw DrfTokenAuthentication.unauthorized("Bearer", DrfTokenAuthentication.INVALID);
            }
            return new Principal(KeycloakCompat.user(result), KeycloakCompat.session(result), KeycloakCompat.token(result));
        }
        return keys.authenticate(call);
    }

    @Override
    public List<AuthScheme> schemes() {
        return List.of(AuthScheme.bearer(null, "`Bearer <key>` with the key from `/api-token-auth/`, or "
                        + "`Bearer <access token>` with an access token of the realm (a JWT)."),
                DrfTokenAuthentication.scheme("Token"));
    }

    @Override
    public ApiError missingCredentials() {
        return keys.missingCredentials();
    }

    /**
     * Whether the caller administers the realm's users: authenticated with an access token holding
     * {@code realm-management}/{@code manage-users} (so a client that does not map admin roles into its tokens
     * grants no admin power), and the user still has that role (so taking it away takes effect at once).
     */
    static boolean isUserAdministrator(Call call, Principal principal) {
        AccessToken token = principal.accessToken();
        if (token == null) {
            return false;
        }
        AccessToken.Access access = token.getResourceAccess(Constants.REALM_MANAGEMENT_CLIENT_ID);
        if (access == null || !access.isUserInRole(AdminRoles.MANAGE_USERS)) {
            return false;
        }
        RealmModel realm = call.realm();
        ClientModel management = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        RoleModel manageUsers = management == null ? null : management.getRole(AdminRoles.MANAGE_USERS);
        return manageUsers != null && principal.user().hasRole(manageUsers);
    }
}
