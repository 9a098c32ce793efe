package io.github.dropin.keycloak.authentication;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The tail every authenticator of the pack shares: they work without a user identified before them (they identify
 * one, or keep unknown numbers without one so that nobody learns which numbers have accounts), need nothing set up
 * per user, and hold no resources.
 */
public abstract class AbstractPhoneAuthenticator implements Authenticator {

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
