package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.UserModel;

import java.util.regex.Pattern;

/**
 * Account creation rules shared by the dialects: Django's username rules and messages, and cluster-safe uniqueness
 * of usernames, emails and phone numbers (lock, then look up, then create; see {@link UniqueGuard}).
 */
public final class Accounts {

    /** Django's {@code UnicodeUsernameValidator}. */
    private static final Pattern DJANGO_USERNAME = Pattern.compile("^[\\w.@+-]+$", Pattern.UNICODE_CHARACTER_CLASS);

    public static final String INVALID_USERNAME =
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";
    public static final String USERNAME_TAKEN = "A user with that username already exists.";
    public static final String EMAIL_TAKEN = "A user with that email already exists.";
    /** A username that is a phone number, for an account without that number ({@link PhoneUsers#mayUseUsername}). */
    public static final String USERNAME_IS_PHONE =
            "A phone number can only be the username of the account with that phone number.";
    public static final int USERNAME_MAX_LENGTH = 150;

    private Accounts() {
    }

    public static boolean isValidUsername(String username) {
        return username != null && DJANGO_USERNAME.matcher(username).matches();
    }

    /**
     * Takes the uniqueness lock for a value until the request ends (see {@link UniqueGuard}), without waiting.
     *
     * @param kind {@code username}, {@code email} or {@code phoneNumber}
     * @return false when a concurrent request holds it, i.e. is creating an account with that value right now: the
     *         caller answers as for a value that is taken
     */
    public static boolean claim(Call call, String kind, String value) {
        return value == null || value.isEmpty() || UniqueGuard.lock(call.session(), call.realm(), kind, value);
    }

    /**
     * Whether an account whose own number is {@code ownE164} ({@code null}: none) may be called {@code username}: a
     * username that is a phone number belongs to that number's account only.
     */
    public static boolean mayUseUsername(Call call, String username, String ownE164) {
        return PhoneUsers.mayUseUsername(call.session(), call.realm(), username, ownE164);
    }

    public static boolean usernameTaken(Call call, String username) {
        return call.session().users().getUserByUsername(call.realm(), username) != null;
    }

    /** Whether another user has this email (always false in realms that allow duplicate emails). */
    public static boolean emailTaken(Call call, String email, UserModel except) {
        if (call.realm().isDuplicateEmailsAllowed()) {
            return false;
        }
        UserModel other = call.session().users().getUserByEmail(call.realm(), email);
        return other != null && (except == null || !other.getId().equals(except.getId()));
    }

    /**
     * The one user with this email, or {@code null} when there is none or (in realms that allow duplicate emails)
     * more than one, since an ambiguous address identifies nobody.
     */
    public static UserModel userByEmail(Call call, String email) {
        try {
            return call.session().users().getUserByEmail(call.realm(), email);
        } catch (ModelDuplicateException ambiguous) {
            return null;
        }
    }

    public static boolean phoneTaken(Call call, String e164, UserModel except) {
        return PhoneUsers.findByPhone(call.session(), call.realm(), e164)
                .filter(u -> except == null || !u.getId().equals(except.getId()))
                .isPresent();
    }

    /** Lock kinds, matching the user attribute names. */
    public static final String USERNAME = "username";
    public static final String EMAIL = "email";
    public static final String PHONE = Dropin.ATTR_PHONE_NUMBER;
}
