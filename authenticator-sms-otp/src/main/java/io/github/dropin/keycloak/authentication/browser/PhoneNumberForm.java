package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.authentication.AbstractPhoneStep;
import io.github.dropin.keycloak.authentication.CodeChallenge;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.LoginNotes;
import io.github.dropin.keycloak.authentication.Pages;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;

/**
 * Identify-first by phone number: asks for a number, and the flow goes on to the code page whatever the number.
 * <p>
 * A number that may sign in (an enabled user holding it verified) makes that user the flow's user; any other number
 * (unknown, unverified, disabled) leaves the flow without a user, and the {@link SmsCodeForm} that follows shows the
 * very same page without texting anybody. So the page tells nobody whether a number has an account. With
 * "register on first login" on, a number nobody holds gets a real code, and the account is created when the code
 * is right.
 */
public class PhoneNumberForm extends AbstractPhoneStep implements Authenticator {

    /** Config key: create an account for an unknown number once its code is right. */
    public static final String REGISTER_ON_FIRST_LOGIN = "registerOnFirstLogin";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (context.getUser() != null) {
            // Someone identified earlier in the flow (or re-authenticating): the code page uses their own number.
            context.success();
            return;
        }
        context.challenge(Pages.phone(context.form(), Pages.Texts.LOGIN, loginHint(context), null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String input = context.getHttpRequest().getDecodedFormParameters().getFirst(Pages.FIELD_PHONE);
        String phone;
        try {
            phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
        } catch (InvalidPhoneNumberException e) {
            context.getEvent().detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            Response challenge = Pages.phone(context.form().addError(new FormMessage(Pages.FIELD_PHONE, PhoneInput.messageFor(e))),
                    Pages.Texts.LOGIN, input, null);
            CodeChallenge.refuse(context, challenge);
            return;
        }

        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(LoginNotes.PHONE, phone);
        // The header of the following page shows the number with a "start over" button, for every number alike.
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, phone);
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
        context.getEvent().detail(Details.USERNAME, phone);

        Optional<UserModel> user = PhoneInput.signInUser(context.getSession(), context.getRealm(), phone);
        if (user.isPresent()) {
            context.setUser(user.get());
            authSession.removeAuthNote(LoginNotes.REGISTER_ON_SUCCESS);
        } else {
            context.clearUser();
            if (registerOnFirstLogin(context) && PhoneInput.nobodyHolds(context.getSession(), context.getRealm(), phone)) {
                authSession.setAuthNote(LoginNotes.REGISTER_ON_SUCCESS, "true");
            } else {
                authSession.removeAuthNote(LoginNotes.REGISTER_ON_SUCCESS);
            }
        }
        context.success();
    }

    private static boolean registerOnFirstLogin(AuthenticationFlowContext context) {
        return CodeConfig.of(context).flag(REGISTER_ON_FIRST_LOGIN, false);
    }

    /** An OIDC {@code login_hint} that is a phone number pre-fills the field. */
    private static String loginHint(AuthenticationFlowContext context) {
        String hint = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        if (hint == null || hint.isBlank()) {
            return null;
        }
        try {
            return PhoneInput.toE164(context.getSession(), context.getRealm(), hint);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }
}
