package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.authentication.AbstractPhoneStep;
import io.github.dropin.keycloak.authentication.CodeChallenge;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeStep;
import io.github.dropin.keycloak.authentication.LoginNotes;
import io.github.dropin.keycloak.authentication.Pages;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.service.BruteForce;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Texts a one-time code and asks for it.
 * <p>
 * As a first factor it follows the {@link PhoneNumberForm} and texts the number entered there; as a second factor
 * (after a password, typically behind the "user has a verified phone" condition) it texts the user's own verified
 * number. The code goes out once per flow step (reloading the page sends nothing), "send a new code" is a separate
 * button under the resend cooldown, a wrong code shows the attempts left, and every failure is a Keycloak event, a
 * flow error and, for a known user, one {@code otp} failure for the brute-force detector.
 * <p>
 * A number that may not sign in (unknown, unverified, disabled, locked) gets a silent code (issued under the same
 * limits, texted to nobody), so its pages and answers are exactly those of a known number whose owner types wrong
 * codes.
 */
public class SmsCodeForm extends AbstractPhoneStep implements Authenticator {

    private static final Logger LOG = Logger.getLogger(SmsCodeForm.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        CodeChallenge.Target target = target(context);
        if (target != null) {
            challenge(context).sendOnceAndShow(target);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        CodeChallenge.Target target = target(context);
        if (target == null) {
            return;
        }
        CodeChallenge challenge = challenge(context);
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey(Pages.ACTION_RESEND)) {
            challenge.resend(target);
            return;
        }
        if (form.containsKey(Pages.ACTION_CHANGE_NUMBER) && enteredNumber(context)) {
            // Back to the start of the flow (the phone number page); the pending code stays valid meanwhile.
            context.resetFlow();
            return;
        }
        String submitted = form.getFirst(Pages.FIELD_CODE);
        if (submitted == null || submitted.isBlank()) {
            challenge.missing(target);
            return;
        }
        boolean register = registering(context);
        if (!challenge.verify(target, submitted, target.user() != null || register)) {
            return;
        }
        UserModel user = target.user();
        if (user == null) {
            user = register(context, target.phone());
            if (user == null) {
                challenge.failUnusable(target, Errors.USERNAME_IN_USE);
                return;
            }
            context.setUser(user);
        }
        challenge.forget();
        context.getAuthenticationSession().removeAuthNote(LoginNotes.REGISTER_ON_SUCCESS);
        // "otp": Keycloak's brute-force detector clears this user's code failures on the successful login.
        context.success(OTPCredentialModel.TYPE);
    }

    /** Creates the account of a number registering on its first login, or null if the number was taken meanwhile. */
    private static UserModel register(AuthenticationFlowContext context, String phone) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        if (!UniqueGuard.lock(session, realm, Dropin.ATTR_PHONE_NUMBER, phone)
                || !PhoneInput.nobodyHolds(session, realm, phone)) {
            return null;
        }
        UserModel user = session.users().addUser(realm, phone);
        user.setEnabled(true);
        // Receiving the code proved possession of the number.
        PhoneUsers.setPhone(user, phone, true);
        context.newEvent().event(EventType.REGISTER).user(user)
                .detail(Details.USERNAME, phone)
                .detail(Details.REGISTER_METHOD, PhoneNumberFormFactory.PROVIDER_ID)
                .success();
        return user;
    }

    /**
     * Works out whom to text. Returns null when there is nobody, after marking this execution "attempted" (a user
     * without a verified number: an alternative such as the password sub-flow takes over, and a flow that requires
     * this execution cannot complete, so nobody gets past it without a code) or failing the flow (no user and no
     * phone number form before it: a misconfigured flow).
     */
    private static CodeChallenge.Target target(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user != null) {
            String phone = PhoneInput.verifiedPhone(user).orElse(null);
            if (phone == null) {
                LOG.debugf("User %s has no verified phone number: SMS code form attempted", user.getId());
                context.attempted();
                return null;
            }
            boolean locked = BruteForce.isLocked(context.getSession(), context.getRealm(), user);
            return new CodeChallenge.Target(phone, user, user.isEnabled() && !locked);
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String phone = authSession.getAuthNote(LoginNotes.PHONE);
        if (phone == null) {
            LOG.warnf("Realm '%s', flow execution %s: the SMS code form needs the phone number form (or another "
                    + "authenticator that identifies the user) before it", context.getRealm().getName(),
                    context.getExecution().getId());
            context.failure(AuthenticationFlowError.UNKNOWN_USER);
            return null;
        }
        return new CodeChallenge.Target(phone, null, registering(context));
    }

    /** Whether the number came from the phone number form of this flow (then the person may pick another). */
    private static boolean enteredNumber(AuthenticationFlowContext context) {
        return context.getAuthenticationSession().getAuthNote(LoginNotes.PHONE) != null;
    }

    private static boolean registering(AuthenticationFlowContext context) {
        return context.getUser() == null
                && Boolean.parseBoolean(context.getAuthenticationSession().getAuthNote(LoginNotes.REGISTER_ON_SUCCESS));
    }

    private CodeChallenge challenge(AuthenticationFlowContext context) {
        // Sent after the response: a number without an account gets a silent code, and the provider's delay must
        // not tell the two apart.
        CodeStep step = new CodeStep(context.getSession(), context.getAuthenticationSession(), CodePurpose.LOGIN,
                CodeConfig.of(context).policy(), true);
        return new CodeChallenge(context, step, Pages.Texts.LOGIN_CODE, enteredNumber(context));
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return PhoneInput.verifiedPhone(user).isPresent();
    }
}
