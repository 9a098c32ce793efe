package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.authentication.BruteForceGuard;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.authentication.browser.PhoneNumberForm;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import io.github.dropin.keycloak.code.Verification;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * Direct grant with a phone number and a texted code: the standard token endpoint with {@code grant_type=password},
 * {@code phone_number} and {@code code} (the code requested before from {@code /realms/{realm}/sms-code/request}).
 * <p>
 * Errors are OAuth2 JSON ({@code invalid_request}, {@code invalid_grant}). A number that may not sign in gets the
 * answers of a known number with a wrong code: the request endpoint gave it a silent code under the same limits.
 */
public class DirectGrantPhoneCode implements Authenticator {

    public static final String PARAM_PHONE = "phone_number";
    public static final String PARAM_CODE = "code";

    static final String INVALID_CODE = "Invalid code";
    static final String EXPIRED_CODE = "Code expired, already used or not requested";
    static final String EXHAUSTED_CODE = "Too many wrong codes: request a new code";

    private final DirectGrantPhoneCodeFactory factory;

    DirectGrantPhoneCode(DirectGrantPhoneCodeFactory factory) {
        this.factory = factory;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> params = context.getHttpRequest().getDecodedFormParameters();
        EventBuilder event = context.getEvent();
        String input = params.getFirst(PARAM_PHONE);
        if (input == null || input.isBlank()) {
            event.error(Errors.INVALID_REQUEST);
            context.failure(AuthenticationFlowError.INVALID_USER,
                    error(OAuthErrorException.INVALID_REQUEST, "Missing parameter: " + PARAM_PHONE));
            return;
        }
        String phone;
        try {
            phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
        } catch (InvalidPhoneNumberException e) {
            event.detail(Details.REASON, e.reason().name()).error(PhoneNumberForm.INVALID_PHONE_NUMBER);
            context.failure(AuthenticationFlowError.INVALID_USER,
                    error(OAuthErrorException.INVALID_REQUEST, "Invalid parameter: " + PARAM_PHONE));
            return;
        }
        event.detail(Details.USERNAME, phone);
        String code = params.getFirst(PARAM_CODE);
        if (code == null || code.isBlank()) {
            event.error(Errors.INVALID_REQUEST);
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS,
                    error(OAuthErrorException.INVALID_REQUEST, "Missing parameter: " + PARAM_CODE));
            return;
        }

        UserModel user = PhoneInput.signInUser(context.getSession(), context.getRealm(), phone).orElse(null);
        if (user != null) {
            event.user(user).detail(Details.USERNAME, user.getUsername());
        }
        String lockError = BruteForceGuard.lockError(context.getSession(), context.getRealm(), user);
        Verification result = context.getSession().getProvider(OneTimeCodeProvider.class).verify(context.getRealm(),
                CodePurpose.LOGIN, CodeSubject.phone(phone), code.strip(), policy(context));
        if (result.isValid() && user != null && lockError == null) {
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, user.getUsername());
            context.setUser(user);
            context.success(OTPCredentialModel.TYPE);
            return;
        }

        String description;
        if (lockError != null) {
            // A locked user gets the answer the code itself deserves, so a lock is not told apart from a bad code.
            event.error(lockError);
            description = switch (result.outcome()) {
                case NOT_FOUND -> EXPIRED_CODE;
                case INVALID -> INVALID_CODE;
                default -> EXHAUSTED_CODE;
            };
        } else if (result.outcome() == Verification.Outcome.NOT_FOUND) {
            event.error(Errors.EXPIRED_CODE);
            description = EXPIRED_CODE;
        } else {
            event.error(user == null ? Errors.USER_NOT_FOUND : Errors.INVALID_USER_CREDENTIALS);
            if (result.guessed()) {
                BruteForceGuard.wrongCode(context.getSession(), context.getRealm(), user);
            }
            description = result.outcome() == Verification.Outcome.INVALID ? INVALID_CODE : EXHAUSTED_CODE;
        }
        context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, error(OAuthErrorException.INVALID_GRANT, description));
    }

    private CodePolicy policy(AuthenticationFlowContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        return factory.policy(context.getRealm(), config == null ? null : config.getConfig());
    }

    static Response error(String error, String description) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(error, description)).build();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
