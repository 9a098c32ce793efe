package io.github.dropin.keycloak.rest.http;

import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

/**
 * The authenticated caller of a protected route.
 *
 * @param user        the Keycloak user
 * @param userSession the Keycloak user session the credential is bound to
 * @param accessToken the verified access token when the caller used a JWT, else {@code null}
 */
public record Principal(UserModel user, UserSessionModel userSession, AccessToken accessToken) {
}
