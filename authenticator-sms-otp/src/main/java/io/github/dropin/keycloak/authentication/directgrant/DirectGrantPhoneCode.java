package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.authentication.AbstractPhoneStep;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.CodeCheck;
import io.github.dropin.keycloak.service.CodeService;
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
public class DirectGrantPhoneCode extends AbstractPhoneStep implements Authenticator {

    public static final String PARAM_PHONE = "phone_number";
    public static final String PARAM_CODE = "code";

    /**
     * The audience of direct-grant codes: they verify only here, and browser codes never here, so that neither flow's
     * attempt cap applies to the other's codes.
     */
    public static final String AUDIENCE = "direct-grant";

    static final String INVALID_CODE = "Invalid code";
    static final String EXPIRED_CODE = "Code expired, already used or not requested";
    static final String EXHAUSTED_CODE = "Too many wrong codes: request a new code";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> params = context.getHttpRequest().getDecodedFormParameters();
        EventBuilder event = context.getEvent();
        String input = required(context, params, PARAM_PHONE, AuthenticationFlowError.INVALID_USER);
        if (input == null) {
            return;
        }
        String phone;
        try {
            phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
        } catch (InvalidPhoneNumberException e) {
            event.detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            context.failure(AuthenticationFlowError.INVALID_USER,
                    error(OAuthErrorException.INVALID_REQUEST, "Invalid parameter: " + PARAM_PHONE));
            return;
        }
        event.detail(Details.USERNAME, phone);
        String code = required(context, params, PARAM_CODE, AuthenticationFlowError.INVALID_CREDENTIALS);
        if (code == null) {
            return;
        }

        UserModel user = PhoneInput.signInUser(context.getSession(), context.getRealm(), phone).orElse(null);
        if (user != null) {
            event.user(user).detail(Details.USERNAME, user.getUsername());
        }
        CodeCheck check = CodeCheck.of(context.getRealm(), CodePurpose.LOGIN, CodeSubject.phone(phone), code.strip(),
                CodeConfig.of(context).policy().withAudience(AUDIENCE), user, event);
        CheckResult result = CodeService.of(context.getSession()).verifyAndAccount(user != null ? check : check.unusable());
        if (result.isValid()) {
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, user.getUsername());
            context.setUser(user);
            context.success(OTPCredentialModel.TYPE);
            return;
        }
        // A locked user gets the answer the code itself deserves, so a lock is not told apart from a bad code.
        String description = switch (result.outcome()) {
            case EXPIRED -> EXPIRED_CODE;
            case INVALID -> INVALID_CODE;
            default -> EXHAUSTED_CODE;
        };
        context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, error(OAuthErrorException.INVALID_GRANT, description));
    }

    /**
     * The parameter's value, or {@code null} once the request is answered {@code invalid_request} for lacking it;
     * {@code failure} is what the flow engine records (an unknown user without a number, a bad credential without a
     * code).
     */
    private static String required(AuthenticationFlowContext context, MultivaluedMap<String, String> params,
                                   String name, AuthenticationFlowError failure) {
        String value = params.getFirst(name);
        if (value == null || value.isBlank()) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.failure(failure, error(OAuthErrorException.INVALID_REQUEST, "Missing parameter: " + name));
            return null;
        }
        return value;
    }

    static Response error(String error, String description) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(error, description)).build();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }
}
