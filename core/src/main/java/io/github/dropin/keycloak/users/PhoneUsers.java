package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;
import java.util.regex.Pattern;

/** Finding and marking users by their phone number attribute, and the rule for usernames that are phone numbers. */
public final class PhoneUsers {

    /** What a phone number is written with: digits, an optional leading {@code +}, the usual separators. */
    private static final Pattern WRITTEN_LIKE_A_NUMBER = Pattern.compile("\\+?[0-9][0-9 .()/\\-]*");

    private PhoneUsers() {
    }

    /** The user whose {@code phoneNumber} is {@code e164}, if any (a number belongs to at most one user). */
    public static Optional<UserModel> findByPhone(KeycloakSession session, RealmModel realm, String e164) {
        return UsersByAttribute.find(session, realm, Dropin.ATTR_PHONE_NUMBER, e164);
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

    /**
     * The phone number (E.164) a username stands for, if it is written like a number the realm accepts: E.164, the
     * {@code 00} international prefix, or a national number in the realm's default region. Letters make it a name
     * ({@code 1-800-flowers} is one), as does anything libphonenumber refuses.
     */
    public static Optional<String> numberInUsername(KeycloakSession session, RealmModel realm, String username) {
        if (username == null || !WRITTEN_LIKE_A_NUMBER.matcher(username.strip()).matches()) {
            return Optional.empty();
        }
        String candidate = username.strip();
        if (candidate.startsWith("00")) {
            candidate = "+" + candidate.substring(2);
        }
        try {
            return Optional.of(session.getProvider(PhoneNumberProvider.class).toE164(realm, candidate));
        } catch (InvalidPhoneNumberException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * Whether an account whose own number is {@code ownE164} (or none) may be called {@code username}. A username
     * that is a phone number belongs to that number's account only: phone-otp names its accounts after their numbers
     * and native sign-in looks users up by name, so anyone else's account with that name would squat the number.
     */
    public static boolean mayUseUsername(KeycloakSession session, RealmModel realm, String username, String ownE164) {
        return numberInUsername(session, realm, username).map(number -> number.equals(ownE164)).orElse(true);
    }
}
