package io.github.dropin.keycloak.authentication.resetcred;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.authentication.AbstractPhoneStep;
import io.github.dropin.keycloak.authentication.CodeChallenge;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeStep;
import io.github.dropin.keycloak.authentication.LoginNotes;
import io.github.dropin.keycloak.authentication.Pages;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.service.BruteForce;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "Forgot password?" by phone, in place of Keycloak's "Choose user" and "Send reset email": asks for the account's
 * phone number, texts a code, and once the code is right makes that account the flow's user, so that Keycloak's own
 * "Reset password" execution that follows has the user set a new password.
 * <p>
 * Every number gets the same pages; only an enabled account holding the number verified gets an SMS (the others a
 * silent code under the same limits), so the pages tell nobody whether a number has an account.
 */
public class ResetCredentialsByPhone extends AbstractPhoneStep implements Authenticator {

    /**
     * The note Keycloak's own "Choose user" sets once the flow's user is chosen, so that a later username form of the
     * flow starts empty again ({@code ResetCredentialChooseUser.RESET_CREDENTIAL_USER_CHOSEN} in Keycloak 26.7;
     * Keycloak 26.4 has neither the constant nor a reader of the note, so setting it there changes nothing).
     */
    static final String RESET_CREDENTIAL_USER_CHOSEN = "RESET_CREDENTIAL_USER_CHOSEN";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        String phone = context.getAuthenticationSession().getAuthNote(LoginNotes.PHONE);
        if (phone == null) {
            context.challenge(Pages.phone(context.form(), Pages.Texts.RESET, null, null));
            return;
        }
        challenge(context).sendOnceAndShow(target(context, phone));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String phone = authSession.getAuthNote(LoginNotes.PHONE);
        if (phone == null) {
            choosePhone(context, form.getFirst(Pages.FIELD_PHONE));
            return;
        }
        CodeChallenge challenge = challenge(context);
        if (form.containsKey(Pages.ACTION_CHANGE_NUMBER)) {
            challenge.forget();
            authSession.removeAuthNote(LoginNotes.PHONE);
            authSession.removeAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
            context.challenge(Pages.phone(context.form(), Pages.Texts.RESET, null, null));
            return;
        }
        CodeChallenge.Target target = target(context, phone);
        if (form.containsKey(Pages.ACTION_RESEND)) {
            challenge.resend(target);
            return;
        }
        String submitted = form.getFirst(Pages.FIELD_CODE);
        if (submitted == null || submitted.isBlank()) {
            challenge.missing(target);
            return;
        }
        if (!challenge.verify(target, submitted, target.user() != null)) {
            return;
        }
        UserModel user = target.user();
        challenge.forget();
        authSession.removeAuthNote(LoginNotes.PHONE);
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, user.getUsername());
        authSession.setAuthNote(RESET_CREDENTIAL_USER_CHOSEN, "true");
        context.setUser(user);
        context.success();
    }

    private void choosePhone(AuthenticationFlowContext context, String input) {
        String phone;
        try {
            phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
        } catch (InvalidPhoneNumberException e) {
            context.getEvent().detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            Response challenge = Pages.phone(context.form().addError(
                    new FormMessage(Pages.FIELD_PHONE, PhoneInput.messageFor(e))), Pages.Texts.RESET, input, null);
            CodeChallenge.refuse(context, challenge);
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(LoginNotes.PHONE, phone);
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, phone);
        context.getEvent().detail(Details.USERNAME, phone);
        challenge(context).sendOnceAndShow(target(context, phone));
    }

    private static CodeChallenge.Target target(AuthenticationFlowContext context, String phone) {
        UserModel user = PhoneInput.signInUser(context.getSession(), context.getRealm(), phone).orElse(null);
        boolean deliver = user != null && !BruteForce.isLocked(context.getSession(), context.getRealm(), user);
        return new CodeChallenge.Target(phone, user, deliver);
    }

    private CodeChallenge challenge(AuthenticationFlowContext context) {
        // Sent after the response, so that the provider's delay does not tell a real code from a silent one.
        CodeStep step = new CodeStep(context.getSession(), context.getAuthenticationSession(), CodePurpose.PASSWORD_RESET,
                CodeConfig.of(context).policy(), true);
        return new CodeChallenge(context, step, Pages.Texts.RESET_CODE, true);
    }
}
