package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.UserModel;
import org.keycloak.theme.Theme;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Profile writes of the dialects through Keycloak's user profile ({@link UserProfileProvider}), so that the realm's
 * user-profile rules (validators, who may edit which attribute, read-only attributes) hold for them as for the
 * account console and the admin API, and so that what Keycloak does around a profile write (the email-verified reset
 * of the account context, the pack's own validators) happens too.
 * <p>
 * A write changes the named attributes and keeps every other one as it is. Refusals come back as the dialect's field
 * errors, with Keycloak's English texts and the dialect's field names.
 */
public final class Profiles {

    private Profiles() {
    }

    /**
     * Applies {@code changes} (user-profile attribute name to its new value; {@code null} or empty removes it) to
     * {@code user}.
     *
     * @param context {@link UserProfileContext#ACCOUNT} when users change themselves (the user's permissions apply),
     *                {@link UserProfileContext#USER_API} when an administrator changes someone
     * @param fields  the dialect's field name for each user-profile attribute it writes (errors on other attributes
     *                are reported under {@code non_field_errors})
     * @throws ApiError the realm's user profile refused the change: its errors per field; nothing was written
     */
    public static void update(Call call, UserModel user, UserProfileContext context, Map<String, String> changes,
                              Map<String, String> fields, EventBuilder event) throws ApiError {
        if (changes.isEmpty()) {
            return;
        }
        UserProfileProvider provider = call.session().getProvider(UserProfileProvider.class);
        // Everything as it is, then the changes: a profile write is always of the whole profile.
        Map<String, List<String>> attributes = new HashMap<>(provider.create(context, user).getAttributes().getReadable());
        changes.forEach((name, value) -> attributes.put(name, value == null || value.isEmpty() ? List.of() : List.of(value)));
        UserProfile profile = provider.create(context, attributes, user);
        try {
            profile.update(false);
        } catch (ValidationException refused) {
            event.error(Errors.INVALID_INPUT);
            throw ApiError.fields(errors(call, refused, fields));
        }
    }

    private static Map<String, List<String>> errors(Call call, ValidationException refused, Map<String, String> fields) {
        Properties messages = messages(call);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ValidationException.Error error : refused.getErrors()) {
            String field = fields.getOrDefault(error.getAttribute(), "non_field_errors");
            errors.computeIfAbsent(field, f -> new ArrayList<>()).add(text(messages, error));
        }
        return errors;
    }

    /** Keycloak's English text for a user-profile error, its parameters (attribute display names too) resolved. */
    private static String text(Properties messages, ValidationException.Error error) {
        Object[] parameters = error.getMessageParameters() == null ? new Object[0] : error.getMessageParameters().clone();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof String s && s.startsWith("${") && s.endsWith("}")) {
                String key = s.substring(2, s.length() - 1);
                parameters[i] = messages.getProperty(key, key);
            }
        }
        String pattern = messages.getProperty(error.getMessage(), error.getMessage());
        try {
            return new MessageFormat(pattern, Locale.ENGLISH).format(parameters);
        } catch (IllegalArgumentException malformed) {
            return pattern;
        }
    }

    private static Properties messages(Call call) {
        try {
            return call.session().theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(call.realm(), Locale.ENGLISH);
        } catch (IOException e) {
            return new Properties();
        }
    }

    /** The dialects' names of Keycloak's root attributes. */
    public static final Map<String, String> DJANGO_FIELDS = Map.of(
            UserModel.USERNAME, "username",
            UserModel.EMAIL, "email",
            UserModel.FIRST_NAME, "first_name",
            UserModel.LAST_NAME, "last_name");
}
