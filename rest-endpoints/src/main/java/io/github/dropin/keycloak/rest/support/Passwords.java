package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Passwords for the dialects: checking them (with Keycloak's brute-force detector) and setting them under the realm's
 * password policy, whose violations are reported all at once with Django's wording where Django has a validator
 * for the same rule, and Keycloak's own English text otherwise.
 */
public final class Passwords {

    /** Keycloak policy message key → Django's text for the same rule. */
    private static final Map<String, String> DJANGO = Map.of(
            "invalidPasswordMinLengthMessage", "This password is too short. It must contain at least {0} characters.",
            "invalidPasswordBlacklistedMessage", "This password is too common.",
            "invalidPasswordNotUsernameMessage", "The password is too similar to the username.",
            "invalidPasswordNotContainsUsernameMessage", "The password is too similar to the username.",
            "invalidPasswordNotEmailMessage", "The password is too similar to the email address.",
            "invalidPasswordEntirelyNumericMessage", "This password is entirely numeric.");

    private Passwords() {
    }

    /**
     * Whether {@code password} is the user's password. A user the brute-force detector locked is refused without
     * checking; a wrong password counts as a failure for the detector.
     */
    public static boolean check(Call call, UserModel user, String password) {
        if (password == null || BruteForce.isLocked(call.session(), call.realm(), user)) {
            return false;
        }
        boolean valid = user.credentialManager().isValid(UserCredentialModel.password(password));
        if (valid) {
            BruteForce.success(call, user, BruteForce.PASSWORD);
        } else {
            BruteForce.failure(call, user, BruteForce.PASSWORD);
        }
        return valid;
    }

    /**
     * A username/password login: the enabled, unlocked user with this username and password, or empty. Why not is
     * recorded on {@code event} the way Keycloak's own login records it ({@code user_not_found},
     * {@code user_disabled}, {@code user_temporarily_disabled}, {@code invalid_user_credentials}); callers answer
     * all of them alike, as Django's {@code authenticate()} does. An unknown username costs a password hash too.
     */
    public static Optional<UserModel> authenticate(Call call, String username, String password, EventBuilder event) {
        return authenticate(call, call.session().users().getUserByUsername(call.realm(), username), username,
                password, event);
    }

    /**
     * {@link #authenticate(Call, String, String, EventBuilder)} for a user the dialect looked up itself (by email,
     * say); {@code user} is {@code null} when no account matched {@code loginName}.
     */
    public static Optional<UserModel> authenticate(Call call, UserModel user, String loginName, String password,
                                                   EventBuilder event) {
        event.detail(Details.USERNAME, loginName);
        if (user == null) {
            simulateCheck(call);
            event.error(Errors.USER_NOT_FOUND);
            return Optional.empty();
        }
        event.user(user);
        if (!user.isEnabled()) {
            simulateCheck(call);
            event.error(Errors.USER_DISABLED);
            return Optional.empty();
        }
        if (BruteForce.isLocked(call.session(), call.realm(), user)) {
            event.error(Errors.USER_TEMPORARILY_DISABLED);
            return Optional.empty();
        }
        if (!check(call, user, password)) {
            event.error(Errors.INVALID_USER_CREDENTIALS);
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /**
     * Spends the time of one password hash without checking anything, for a login whose username is unknown, so
     * that response times do not tell which usernames exist (Keycloak's own login does the same).
     */
    public static void simulateCheck(Call call) {
        PasswordPolicy policy = call.realm().getPasswordPolicy();
        PasswordHashProvider hash = policy != null && policy.getHashAlgorithm() != null
                ? call.session().getProvider(PasswordHashProvider.class, policy.getHashAlgorithm())
                : call.session().getProvider(PasswordHashProvider.class);
        if (hash != null) {
            hash.encodedCredential("SlightlyLongerDummyPassword", policy != null ? policy.getHashIterations() : -1);
        }
    }

    /** The realm policy's complaints about {@code password} for {@code user} (empty when it complies). */
    public static List<String> violations(Call call, UserModel user, String password) {
        RealmModel realm = call.realm();
        List<String> messages = new ArrayList<>();
        for (String policy : realm.getPasswordPolicy().getPolicies()) {
            PasswordPolicyProvider provider = call.session().getProvider(PasswordPolicyProvider.class, policy);
            PolicyError error = provider == null ? null : provider.validate(realm, user, password);
            if (error != null) {
                messages.add(text(call, error));
            }
        }
        return messages;
    }

    /**
     * Sets {@code password} if the realm policy accepts it.
     *
     * @throws ApiError a validation error on {@code field} listing every violation
     */
    public static void set(Call call, UserModel user, String password, String field) throws ApiError {
        List<String> problems = violations(call, user, password);
        if (!problems.isEmpty()) {
            throw ApiError.fields(Map.of(field, problems));
        }
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
    }

    private static String text(Call call, PolicyError error) {
        String django = DJANGO.get(error.getMessage());
        if (django != null) {
            return MessageFormat.format(django.replace("'", "''"), error.getParameters());
        }
        try {
            Properties messages = call.session().theme().getTheme(Theme.Type.LOGIN)
                    .getEnhancedMessages(call.realm(), Locale.ENGLISH);
            String pattern = messages.getProperty(error.getMessage(), error.getMessage());
            return new MessageFormat(pattern, Locale.ENGLISH).format(error.getParameters());
        } catch (IOException e) {
            return error.getMessage();
        }
    }
}
