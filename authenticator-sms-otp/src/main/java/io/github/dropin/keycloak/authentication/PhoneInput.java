package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.users.PhoneUsers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/** Phone numbers as people type them into login pages, and the users they may sign in. */
public final class PhoneInput {

    private PhoneInput() {
    }

    /** The typed number in E.164, per the realm's phone settings. */
    public static String toE164(KeycloakSession session, RealmModel realm, String input)
            throws InvalidPhoneNumberException {
        return session.getProvider(PhoneNumberProvider.class).toE164(realm, input);
    }

    /**
     * The user a code sent to {@code e164} may sign in: enabled and holding this number <em>verified</em>. A number
     * someone entered without proving it (for example at registration) identifies nobody, otherwise whoever claimed
     * a stranger's number first would receive that stranger's sign-ins.
     */
    public static Optional<UserModel> signInUser(KeycloakSession session, RealmModel realm, String e164) {
        return PhoneUsers.findByPhone(session, realm, e164)
                .filter(UserModel::isEnabled)
                .filter(PhoneUsers::isPhoneVerified);
    }

    /** The message key for a refused number. */
    public static String messageFor(InvalidPhoneNumberException e) {
        return e.reason() == InvalidPhoneNumberException.Reason.MISSING ? MessageKeys.PHONE_REQUIRED : MessageKeys.PHONE_INVALID;
    }

    /** No account holds the number, verified or not, and none is named after it. */
    public static boolean nobodyHolds(KeycloakSession session, RealmModel realm, String phone) {
        return PhoneUsers.findByPhone(session, realm, phone).isEmpty()
                && session.users().getUserByUsername(realm, phone) == null;
    }

    /** The user's own verified number, if any. */
    public static Optional<String> verifiedPhone(UserModel user) {
        String phone = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
        return phone != null && !phone.isBlank() && PhoneUsers.isPhoneVerified(user) ? Optional.of(phone) : Optional.empty();
    }
}
