package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeStep;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.service.BruteForce;
import io.github.dropin.keycloak.service.IssueResult;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /realms/{realm}/sms-code/request}: texts a sign-in code for the direct grant, modelled on OAuth 2.0's
 * device authorization endpoint (RFC 8628).
 * <p>
 * Form parameters {@code client_id} (with the client's credentials, exactly as at the token endpoint) and
 * {@code phone_number}. The client must have direct access grants on and a direct grant flow (its own or the
 * realm's) that uses {@value DirectGrantPhoneCodeFactory#PROVIDER_ID}; that execution's configuration sets the code
 * policy. The answer is the same for every valid number, known or not:
 * {@code 200 {"expires_in": 300, "code_length": 6, "resend_interval": 60}}; a second request inside the cooldown
 * gets {@code 429 {"error": "slow_down"}} with {@code Retry-After}, for unknown numbers too (they get a silent code).
 * The SMS leaves after the answer, so that its timing tells nothing either; a send that then fails is an event and a
 * WARN. Then the app calls the token endpoint with {@code grant_type=password}, {@code phone_number} and {@code code};
 * the code verifies only there (its audience), never on a browser's code page, and a browser's code never here.
 */
public class CodeRequestResource {

    private final KeycloakSession session;

    public CodeRequestResource(KeycloakSession session) {
        this.session = session;
    }

    @OPTIONS
    @Path("request{slash: /?}")
    public Response preflight() {
        return Cors.builder().auth().preflight().allowedMethods("POST", "OPTIONS").add(Response.ok());
    }

    @POST
    @Path("request{slash: /?}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response request() {
        RealmModel realm = session.getContext().getRealm();
        Cors cors = Cors.builder().auth().allowedMethods("POST").auth().exposedHeaders(Cors.ACCESS_CONTROL_ALLOW_METHODS);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.LOGIN)
                .detail(Details.AUTH_METHOD, "sms-code-request");
        if (!realm.isEnabled()) {
            throw new CorsErrorResponseException(cors.allowAllOrigins(), Errors.ACCESS_DENIED, "Realm not enabled",
                    Response.Status.FORBIDDEN);
        }
        MediaType type = session.getContext().getHttpRequest().getHttpHeaders().getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            event.error(Errors.INVALID_REQUEST);
            return error(cors.allowAllOrigins(), Response.Status.UNSUPPORTED_MEDIA_TYPE, OAuthErrorException.INVALID_REQUEST,
                    "Content-Type must be " + MediaType.APPLICATION_FORM_URLENCODED);
        }

        // Client authentication exactly as the token endpoint does it: secrets, JWTs, or client_id for public clients.
        ClientModel client = AuthorizeClientUtil.authorizeClient(session, event, cors).getClient();
        event.client(client);
        if (!client.isDirectAccessGrantsEnabled()) {
            event.detail(Details.REASON, "direct access grants off").error(Errors.NOT_ALLOWED);
            return error(cors, Response.Status.BAD_REQUEST, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Client not allowed for direct access grants");
        }
        Optional<AuthenticationExecutionModel> execution = phoneCodeExecution(realm, client);
        if (execution.isEmpty()) {
            event.detail(Details.REASON, "direct grant flow without " + DirectGrantPhoneCodeFactory.PROVIDER_ID)
                    .error(Errors.NOT_ALLOWED);
            return error(cors, Response.Status.BAD_REQUEST, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "The client's direct grant flow does not sign in with SMS codes");
        }

        MultivaluedMap<String, String> params = session.getContext().getHttpRequest().getDecodedFormParameters();
        String input = params.getFirst(DirectGrantPhoneCode.PARAM_PHONE);
        if (input == null || input.isBlank()) {
            event.error(Errors.INVALID_REQUEST);
            return error(cors, Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_REQUEST,
                    "Missing parameter: " + DirectGrantPhoneCode.PARAM_PHONE);
        }
        String phone;
        try {
            phone = PhoneInput.toE164(session, realm, input);
        } catch (InvalidPhoneNumberException e) {
            event.detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            return error(cors, Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_REQUEST,
                    "Invalid parameter: " + DirectGrantPhoneCode.PARAM_PHONE);
        }
        event.detail(Details.USERNAME, phone);

        UserModel user = PhoneInput.signInUser(session, realm, phone).orElse(null);
        boolean deliver = user != null && !BruteForce.isLocked(session, realm, user);
        if (user != null) {
            event.user(user);
        }
        CodePolicy policy = policy(realm, execution.get());
        // Sent after the response: the answer is the same for every number, and so is its timing.
        IssueResult sent = CodeStep.issue(session, realm, CodePurpose.LOGIN, policy, phone, user, deliver,
                session.getContext().getConnection().getRemoteAddr(), event, true);
        switch (sent.status()) {
            case THROTTLED -> {
                session.getTransactionManager().setRollbackOnly();
                cors.add();
                return Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                        .header("Retry-After", Long.toString(sent.retryAfterSeconds()))
                        .entity(new OAuth2ErrorRepresentation(Errors.SLOW_DOWN,
                                "Too many code requests: retry in " + sent.retryAfterSeconds() + " seconds"))
                        .build();
            }
            case UNAVAILABLE -> {
                return error(cors, Response.Status.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                        "The SMS could not be sent; try again later");
            }
            default -> {
                // ISSUED: delivered, or silently issued for a number that may not sign in. UNDELIVERABLE: the
                // provider refused this one number; answered as for any number, or the answer would tell that the
                // number has an account.
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("expires_in", policy.lifetimeSeconds());
        body.put("code_length", policy.length());
        body.put("resend_interval", policy.resendCooldown());
        return cors.add(Response.ok(body, MediaType.APPLICATION_JSON_TYPE));
    }

    private CodePolicy policy(RealmModel realm, AuthenticationExecutionModel execution) {
        AuthenticatorConfigModel config = execution.getAuthenticatorConfig() == null ? null
                : realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig());
        return CodeConfig.of(realm, config == null ? null : config.getConfig(), CodeConfig.AUTHENTICATOR_SPI,
                DirectGrantPhoneCodeFactory.PROVIDER_ID).policy().withAudience(DirectGrantPhoneCode.AUDIENCE);
    }

    /** The enabled {@value DirectGrantPhoneCodeFactory#PROVIDER_ID} execution of the client's direct grant flow. */
    static Optional<AuthenticationExecutionModel> phoneCodeExecution(RealmModel realm, ClientModel client) {
        String flowId = client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING);
        if (flowId == null || flowId.isBlank()) {
            AuthenticationFlowModel flow = realm.getDirectGrantFlow();
            if (flow == null) {
                return Optional.empty();
            }
            flowId = flow.getId();
        }
        return find(realm, flowId, 0);
    }

    private static Optional<AuthenticationExecutionModel> find(RealmModel realm, String flowId, int depth) {
        if (depth > 10) {
            return Optional.empty();
        }
        return realm.getAuthenticationExecutionsStream(flowId)
                .filter(e -> !e.isDisabled())
                .map(e -> e.isAuthenticatorFlow() ? find(realm, e.getFlowId(), depth + 1)
                        : Optional.of(e).filter(x -> DirectGrantPhoneCodeFactory.PROVIDER_ID.equals(x.getAuthenticator())))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** An OAuth2 error answer; the request's transaction is rolled back, so a refused request changes nothing. */
    private Response error(Cors cors, Response.Status status, String error, String description) {
        session.getTransactionManager().setRollbackOnly();
        cors.add();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(error, description)).build();
    }
}
