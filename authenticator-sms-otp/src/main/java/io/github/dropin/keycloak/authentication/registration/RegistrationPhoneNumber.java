package io.github.dropin.keycloak.authentication.registration;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.authentication.AbstractPhoneStep;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.Pages;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.requiredactions.VerifyPhoneNumberFactory;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormContext;
import org.keycloak.authentication.ValidationContext;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import java.util.List;

/**
 * Registration form action for the user-profile attribute {@code phoneNumber}: checks that the number is valid and
 * nobody's (under a cluster-wide lock until the new account is committed), stores it in E.164 as unverified, and
 * gives the new account the "verify phone number" required action, so that the account cannot be used before the
 * number is confirmed with a texted code.
 * <p>
 * Place it after "Registration User Profile Creation" in the registration form. The realm's user profile must
 * declare {@code phoneNumber} with edit permission for users, or the registration page shows no phone field.
 */
public class RegistrationPhoneNumber extends AbstractPhoneStep implements FormAction {

    /** Config key: whether a number must be given. */
    public static final String PHONE_REQUIRED = "phoneRequired";

    static final RegistrationPhoneNumber SINGLETON = new RegistrationPhoneNumber();

    @Override
    public void validate(ValidationContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String input = form.getFirst(Pages.FIELD_PHONE);
        String phone = null;
        if (input == null || input.isBlank()) {
            if (phoneRequired(context)) {
                context.error(EventErrors.INVALID_PHONE_NUMBER);
                context.validationError(form, List.of(new FormMessage(Pages.FIELD_PHONE, MessageKeys.PHONE_REQUIRED)));
                return;
            }
        } else {
            try {
                phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
            } catch (InvalidPhoneNumberException e) {
                context.getEvent().detail(Details.REASON, e.reason().name());
                context.error(EventErrors.INVALID_PHONE_NUMBER);
                context.validationError(form, List.of(new FormMessage(Pages.FIELD_PHONE, PhoneInput.messageFor(e))));
                return;
            }
        }
        // A username that is a phone number is the username of that number's account only; anyone else's account
        // with that name would squat the number (phone-otp names its accounts after their numbers).
        String username = form.getFirst(UserModel.USERNAME);
        if (!context.getRealm().isRegistrationEmailAsUsername()
                && !PhoneUsers.mayUseUsername(context.getSession(), context.getRealm(), username, phone)) {
            context.error(Errors.INVALID_REGISTRATION);
            context.validationError(form, List.of(new FormMessage(UserModel.USERNAME, MessageKeys.USERNAME_IS_PHONE)));
            return;
        }
        if (phone == null) {
            context.success();
            return;
        }
        // Held until this request's transaction ends, so two registrations of one number cannot both pass. Tried once:
        // a number another registration holds right now is as good as taken.
        if (!UniqueGuard.lock(context.getSession(), context.getRealm(), Dropin.ATTR_PHONE_NUMBER, phone)
                || PhoneUsers.findByPhone(context.getSession(), context.getRealm(), phone).isPresent()) {
            context.error(EventErrors.PHONE_NUMBER_IN_USE);
            context.validationError(form, List.of(new FormMessage(Pages.FIELD_PHONE, MessageKeys.PHONE_IN_USE)));
            return;
        }
        context.success();
    }

    @Override
    public void success(FormContext context) {
        UserModel user = context.getUser();
        String input = context.getHttpRequest().getDecodedFormParameters().getFirst(Pages.FIELD_PHONE);
        if (user == null || input == null || input.isBlank()) {
            return;
        }
        try {
            PhoneUsers.setPhone(user, PhoneInput.toE164(context.getSession(), context.getRealm(), input), false);
        } catch (InvalidPhoneNumberException e) {
            // validate() accepted it a moment ago in this very request; nothing to store if settings changed.
            user.removeAttribute(Dropin.ATTR_PHONE_NUMBER);
            return;
        }
        user.addRequiredAction(VerifyPhoneNumberFactory.PROVIDER_ID);
    }

    private static boolean phoneRequired(FormContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        return CodeConfig.of(context.getRealm(), config == null ? null : config.getConfig(), "form-action",
                RegistrationPhoneNumberFactory.PROVIDER_ID).flag(PHONE_REQUIRED, true);
    }

    @Override
    public void buildPage(FormContext context, LoginFormsProvider form) {
    }
}
