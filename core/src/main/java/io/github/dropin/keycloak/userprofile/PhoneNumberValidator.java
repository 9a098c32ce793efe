package io.github.dropin.keycloak.userprofile;

import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.users.PhoneChanges;
import io.github.dropin.keycloak.users.PhoneUsers;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.validate.AbstractStringValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * User-profile validator {@value #ID} for the {@code phoneNumber} attribute.
 * <ul>
 *     <li>The value must be a phone number the realm accepts (libphonenumber, the realm's default and allowed
 *     regions). Where nothing normalises it afterwards (admin console, admin REST API) it must already be in E.164
 *     (e.g. {@code +4915112345678}); at registration any valid spelling is accepted and the registration form action
 *     stores it in E.164.</li>
 *     <li>No other user of the realm may hold it.</li>
 *     <li>Unless {@value #ALLOW_DIRECT_CHANGE} is on, a user cannot change their own number in the account console or
 *     on the update-profile page: a number must be proven with a texted code, so it changes only through the
 *     "update phone number" required action. Administrators can always change it.</li>
 *     <li>A number that changes here (or is removed) is not verified afterwards, whatever the request said about
 *     {@code phoneNumberVerified} ({@link PhoneChanges}).</li>
 * </ul>
 */
public class PhoneNumberValidator extends AbstractStringValidator implements ConfiguredProvider {

    public static final String ID = "dropin-phone-number";

    /** Config key: let users change their number without confirming it by code (not recommended). */
    public static final String ALLOW_DIRECT_CHANGE = "allowDirectChange";

    public static final String MESSAGE_INVALID = "dropin.phone.invalid";
    public static final String MESSAGE_NOT_E164 = "dropin.phone.notE164";
    public static final String MESSAGE_IN_USE = "dropin.phone.inUse";
    public static final String MESSAGE_CHANGE_WITH_CODE = "dropin.phone.changeWithCode";

    /** Contexts in which a person edits their own profile and nothing verifies a new number. */
    private static final Set<UserProfileContext> SELF_SERVICE = Set.of(UserProfileContext.ACCOUNT, UserProfileContext.UPDATE_PROFILE);

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(ALLOW_DIRECT_CHANGE).label("Allow direct change")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
            .helpText("Let users change their number in the account console without confirming it with a code. "
                    + "Off (recommended): they use the 'Update phone number' action.")
            .add()
            .build();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public ValidationContext validate(Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        // Before the checks of each value, and for empty input too (which the checks skip), since removing a number is
        // a change as well: every user-profile write validates before it writes.
        if (context instanceof UserProfileAttributeValidationContext up && up.getAttributeContext().getUser() != null) {
            KeycloakSession session = context.getSession();
            PhoneChanges.watch(session, session.getContext().getRealm(), up.getAttributeContext().getUser());
        }
        return super.validate(input, inputHint, context, config);
    }

    @Override
    protected void doValidate(String value, String inputHint, ValidationContext context, ValidatorConfig config) {
        if (value.isBlank()) {
            return;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();
        AttributeContext attribute = context instanceof UserProfileAttributeValidationContext up
                ? up.getAttributeContext() : null;
        UserModel user = attribute == null ? null : attribute.getUser();
        UserProfileContext where = attribute == null ? null : attribute.getContext();
        String current = user == null ? null : user.getFirstAttribute(inputHint);
        if (Objects.equals(current, value)) {
            // Unchanged: whatever it is, it was accepted when it was set.
            return;
        }

        String e164;
        try {
            e164 = session.getProvider(PhoneNumberProvider.class).toE164(realm, value);
        } catch (InvalidPhoneNumberException e) {
            context.addError(new ValidationError(ID, inputHint, MESSAGE_INVALID));
            return;
        }
        boolean sameNumber = Objects.equals(current, e164);
        if (!sameNumber && where != null && SELF_SERVICE.contains(where) && user != null
                && !(config != null && config.getBooleanOrDefault(ALLOW_DIRECT_CHANGE, false))) {
            context.addError(new ValidationError(ID, inputHint, MESSAGE_CHANGE_WITH_CODE));
            return;
        }
        if (where != UserProfileContext.REGISTRATION && where != UserProfileContext.IDP_REVIEW && !e164.equals(value)) {
            context.addError(new ValidationError(ID, inputHint, MESSAGE_NOT_E164));
            return;
        }
        boolean takenByOther = !sameNumber && PhoneUsers.findByPhone(session, realm, e164)
                .filter(holder -> user == null || !holder.getId().equals(user.getId()))
                .isPresent();
        if (takenByOther) {
            context.addError(new ValidationError(ID, inputHint, MESSAGE_IN_USE).setStatusCode(Response.Status.CONFLICT));
        }
    }

    @Override
    protected boolean skipValidation(Object value, ValidatorConfig config) {
        // Empty values are the "required" validator's business.
        return value == null || (value instanceof String s && s.isBlank());
    }

    @Override
    public String getHelpText() {
        return "Phone number in E.164, accepted by the realm's phone settings, unique in the realm, changed by users "
                + "only through the 'Update phone number' action.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
