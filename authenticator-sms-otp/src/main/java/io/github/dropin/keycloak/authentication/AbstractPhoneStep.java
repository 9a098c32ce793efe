package io.github.dropin.keycloak.authentication;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The tail every flow step of the pack shares, authenticator or registration form action alike (both interfaces
 * declare these methods): they work without a user identified before them (they identify one, or keep unknown
 * numbers without one so that nobody learns which numbers have accounts), need nothing set up per user, and hold no
 * resources. Subclasses implement {@code Authenticator} or {@code FormAction}.
 */
public abstract class AbstractPhoneStep {

    public boolean requiresUser() {
        return false;
    }

    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    public void close() {
    }
}
