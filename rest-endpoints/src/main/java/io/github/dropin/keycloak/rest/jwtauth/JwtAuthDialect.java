package io.github.dropin.keycloak.rest.jwtauth;

import io.github.dropin.keycloak.rest.auth.SimpleJwtAuthentication;
import io.github.dropin.keycloak.rest.auth.SimpleJwtErrors;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.BodyReader;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.http.OpenApi;
import io.github.dropin.keycloak.rest.http.Route;
import io.github.dropin.keycloak.rest.support.Accounts;
import io.github.dropin.keycloak.rest.support.Passwords;
import io.github.dropin.keycloak.rest.tokens.JwtTokens;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dialect {@code jwt-auth}: seed 004, djangorestframework-simplejwt over username/password accounts (SPEC §4.5).
 * <p>
 * The tokens are Keycloak's own: {@code token} and {@code register} start a Keycloak user session for the
 * dialect's OIDC client and return the realm-signed access and refresh tokens; {@code token/refresh} runs
 * Keycloak's refresh grant and rotates (each refresh token works once); {@code token/verify} and {@code getuser}
 * accept a token only while its session lives, so an administrator's sign-out ends them all. Bodies are
 * SimpleJWT's and DRF's, JSON or form-encoded.
 */
public final class JwtAuthDialect extends Dialect {

    public static final String ID = "jwt-auth";

    static final String USER_EXISTS = "User already exists";

    public JwtAuthDialect() {
        super(ID, Conventions.DRF.authenticator(SimpleJwtAuthentication.authenticator())
                        // Seed 004 writes its paths without a final "/".
                        .trailingSlash(false),
                List.of(Call.ACCEPTED_CLIENTS_SETTING));
        serve(List.of(
                // SimpleJWT's PasswordField is a CharField: it trims.
                Route.at("auth/token").post(this::obtain,
                        Field.string("username").max(Accounts.USERNAME_MAX_LENGTH), Field.password("password").trimmed())
                        .summary("Signs in with username and password; answers the realm's refresh and access tokens")
                        .responds(200, Json.object("refresh", OpenApi.EXAMPLE_JWT, "access", OpenApi.EXAMPLE_JWT))
                        .responds(401, Json.object("detail", SimpleJwtErrors.NO_ACTIVE_ACCOUNT)).build(),
                Route.at("auth/token/refresh").post(this::refresh, Field.string("refresh").max(BodyReader.MAX_BYTES))
                        .summary("Rotates a refresh token: new tokens, the old refresh token no longer works")
                        .responds(200, Json.object("refresh", OpenApi.EXAMPLE_JWT, "access", OpenApi.EXAMPLE_JWT))
                        .responds(401, Json.object("detail", SimpleJwtErrors.INVALID_OR_EXPIRED, "code", "token_not_valid")).build(),
                Route.at("auth/token/verify").post(this::verify, Field.string("token").max(BodyReader.MAX_BYTES))
                        .summary("Checks that an access or refresh token is valid and its session alive")
                        .responds(200, Json.object())
                        .responds(401, Json.object("detail", SimpleJwtErrors.INVALID_OR_EXPIRED, "code", "token_not_valid")).build(),
                Route.at("auth/register").post(this::register,
                        Field.string("username").max(Accounts.USERNAME_MAX_LENGTH), Field.password("password"))
                        .reportsEveryFieldError()
                        .summary("Creates an account and signs it in")
                        .responds(201, Json.object("refresh", OpenApi.EXAMPLE_JWT, "access", OpenApi.EXAMPLE_JWT))
                        .responds(409, Json.object("detail", USER_EXISTS)).build(),
                Route.at("auth/getuser").authenticated().get(this::getUser)
                        .summary("The caller's username")
                        .responds(200, Json.object("username", "alice")).build()));
    }

    /** SimpleJWT's {@code TokenObtainPairView}. */
    private Response obtain(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, ID);
        ClientModel client = call.client();
        UserModel user = Passwords.authenticate(call, call.input().str("username"), call.input().str("password"), event)
                .orElseThrow(SimpleJwtErrors::noActiveAccount);
        return Json.ok(tokenPair(call, client, user, event));
    }

    /** SimpleJWT's {@code TokenRefreshView} with {@code ROTATE_REFRESH_TOKENS} and blacklisting. */
    private Response refresh(Call call) throws ApiError {
        AccessTokenResponse tokens = SimpleJwtErrors.refresh(call);
        return Json.ok(Json.object("refresh", tokens.getRefreshToken(), "access", tokens.getToken()));
    }

    /**
     * SimpleJWT's {@code TokenVerifyView}: a live access or refresh token of the dialect's client (or of a client the
     * realm adds), as the original verified only tokens its own key had signed.
     */
    private Response verify(Call call) throws ApiError {
        String token = call.input().str("token");
        Optional<AccessToken> verified = JwtTokens.verify(call.session(), call.realm(), token);
        if (verified.isEmpty() || !call.acceptsTokensOf(verified.get().getIssuedFor())) {
            // A token of another client is one this API's key never signed, for SimpleJWT: invalid.
            throw SimpleJwtErrors.verifyRefused(verified.isEmpty()
                    ? JwtTokens.refusal(call.session(), call.realm(), token, null, null) : JwtTokens.Refusal.INVALID);
        }
        return Json.ok(Map.of());
    }

    /**
     * The seed's registration view: its serializer (username, and the password under the realm's policy, every
     * field's failures at once, with Django's username rule on top), then 409 for a taken username, then the account,
     * signed in.
     */
    private Response register(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.REGISTER);
        String username = call.input().str("username");
        event.detail(Details.USERNAME, username).detail(Details.REGISTER_METHOD, ID);
        Map<String, List<String>> errors = call.input().errors();
        if (call.input().valid("username") && !Accounts.isValidUsername(username)) {
            errors.put("username", List.of(Accounts.INVALID_USERNAME));
        }
        if (call.input().valid("password")) {
            List<String> weak = Passwords.violations(call, Passwords.candidate(call,
                    errors.containsKey("username") ? null : username, null), call.input().str("password"));
            if (!weak.isEmpty()) {
                errors.put("password", weak);
            }
        }
        if (!errors.isEmpty()) {
            event.error(errors.containsKey("password") ? Errors.PASSWORD_REJECTED : Errors.INVALID_REGISTRATION);
            throw ApiError.fields(errors);
        }
        if (!Accounts.mayUseUsername(call, username, null)) {
            event.error(Errors.INVALID_REGISTRATION);
            throw ApiError.field("username", Accounts.USERNAME_IS_PHONE);
        }
        ClientModel client = call.client();
        // A username another registration is creating right now is as good as taken.
        if (!Accounts.claim(call, Accounts.USERNAME, username) || Accounts.usernameTaken(call, username)) {
            event.error(Errors.USERNAME_IN_USE);
            throw ApiError.body(409, Json.object("detail", USER_EXISTS));
        }
        UserModel user = call.session().users().addUser(call.realm(), username);
        user.setEnabled(true);
        event.user(user);
        try {
            Passwords.set(call, user, call.input().str("password"), "password");
        } catch (ApiError policy) {
            event.error(Errors.PASSWORD_REJECTED);
            throw policy;
        }
        EventBuilder login = call.event(EventType.LOGIN).detail(Details.USERNAME, user.getUsername())
                .detail(Details.AUTH_METHOD, ID);
        Map<String, Object> tokens = tokenPair(call, client, user, login);
        event.success();
        return Json.response(201, tokens);
    }

    private Response getUser(Call call) {
        return Json.ok(Json.object("username", call.principal().user().getUsername()));
    }

    /** A new Keycloak session and its tokens, in SimpleJWT's key order. */
    private static Map<String, Object> tokenPair(Call call, ClientModel client, UserModel user, EventBuilder event) {
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, user, event);
        AccessTokenResponse tokens = SessionIssuer.tokens(call.session(), call.realm(), client, context, event);
        event.success();
        return Json.object("refresh", tokens.getRefreshToken(), "access", tokens.getToken());
    }
}
