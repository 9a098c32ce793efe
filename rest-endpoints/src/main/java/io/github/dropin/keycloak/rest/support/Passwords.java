package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.service.PasswordCheck;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.storage.adapter.AbstractInMemoryUserAdapter;
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
 * Passwords for the dialects: checking them (through the core's {@link PasswordCheck}, throttled answers becoming the
 * dialect's 429) and setting them under the
 * realm's password policy, whose violations are reported all at once with Django's wording where Django has a
 * validator for the same rule, and Keycloak's own English text otherwise.
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
     * Whether {@code password} is the user's password ({@link PasswordCheck#check}: lock check, brute-force
     * accounting, the pack's throttle).
     *
     * @throws ApiError the dialect's throttle answer (429) when the account's or the network's budget is spent
     */
    public static boolean check(Call call, UserModel user, String password) throws ApiError {
        PasswordCheck.Result result = PasswordCheck.check(call.session(), call.realm(), user, password);
        if (result.isThrottled()) {
            throw ApiError.throttled(result.retryAfterSeconds());
        }
        return result.isValid();
    }

    /**
     * A username/password login ({@link PasswordCheck#authenticate}); every failure is recorded on {@code event}.
     *
     * @throws ApiError the dialect's throttle answer (429) when the account's or the network's budget is spent
     */
    public static Optional<UserModel> authenticate(Call call, String username, String password, EventBuilder event)
            throws ApiError {
        return authenticate(call, call.session().users().getUserByUsername(call.realm(), username), username, password,
                event);
    }

    /** A login of {@code user}, looked up by the caller ({@code null}: nobody has {@code loginName}). */
    public static Optional<UserModel> authenticate(Call call, UserModel user, String loginName, String password,
                                                   EventBuilder event) throws ApiError {
        PasswordCheck.Result result = PasswordCheck.authenticate(call.session(), call.realm(), user, loginName, password,
                event);
        if (result.isThrottled()) {
            throw ApiError.throttled(result.retryAfterSeconds());
        }
        return Optional.ofNullable(result.user());
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
     * The account-to-be, for the password policy (which compares the password with username and email) before any
     * account exists; never stored.
     *
     * @param username {@code null} when it is not known yet (the policy then has nothing to compare with)
     */
    public static UserModel candidate(Call call, String username, String email) {
        Candidate candidate = new Candidate(call);
        if (username != null) {
            candidate.setUsername(username);
        }
        candidate.setEmail(email);
        return candidate;
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

    /**
     * The end of a password change whose fields are judged into {@code errors}: every failure at once, the event error
     * telling a wrong current password ({@code currentField}) from a refused new one; without failures, the field
     * {@code new_password} becomes the password.
     */
    public static void change(Call call, UserModel user, Map<String, List<String>> errors, String currentField,
                              EventBuilder event) throws ApiError {
        if (!errors.isEmpty()) {
            event.error(errors.containsKey(currentField) ? Errors.INVALID_USER_CREDENTIALS : Errors.PASSWORD_REJECTED);
            throw ApiError.fields(errors);
        }
        set(call, user, call.input().str("new_password"), "new_password");
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

    /** An in-memory user the policy providers can read, as Keycloak's own registration form builds one. */
    private static final class Candidate extends AbstractInMemoryUserAdapter {
        Candidate(Call call) {
            super(call.session(), call.realm(), "candidate");
        }

        @Override
        public SubjectCredentialManager credentialManager() {
            return KeycloakCompat.credentialManager(session, realm, this);
        }
    }
}
