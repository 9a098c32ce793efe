package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/** Finding and marking users by their phone number attribute. */
public final class PhoneUsers {

    private PhoneUsers() {
    }

    /** The user whose {@code phoneNumber} is {@code e164}, if any (a number belongs to at most one user). */
    public static Optional<UserModel> findByPhone(KeycloakSession session, RealmModel realm, String e164) {
        return session.users().searchForUserByUserAttributeStream(realm, Dropin.ATTR_PHONE_NUMBER, e164)
                .filter(u -> e164.equals(u.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER)))
                .findFirst();
    }

    public static boolean isPhoneVerified(UserModel user) {
        return Boolean.parseBoolean(user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER_VERIFIED));
    }

    public static void setPhone(UserModel user, String e164, boolean verified) {
        user.setSingleAttribute(Dropin.ATTR_PHONE_NUMBER, e164);
        user.setSingleAttribute(Dropin.ATTR_PHONE_NUMBER_VERIFIED, Boolean.toString(verified));
    }

    public static void markPhoneVerified(UserModel user) {
        // Only when it changes: every attribute write evicts the user from Keycloak's user cache on all nodes, and a
        // sign-in by code marks the (usually already verified) number each time.
        if (!isPhoneVerified(user)) {
            user.setSingleAttribute(Dropin.ATTR_PHONE_NUMBER_VERIFIED, "true");
        }
    }
}
