package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.rest.auth.SimpleJwtErrors;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Json;
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

import java.util.Locale;
import java.util.Optional;

/**
 * SimpleJWT's views of seed 002 over the realm's own tokens: {@code token/obtain/} (email and password),
 * {@code token/verify/} and {@code token/refresh/}, with SimpleJWT's answers ({@link SimpleJwtErrors}).
 */
final class TokenEndpoints {

    static final String NO_ACTIVE_ACCOUNT = SimpleJwtErrors.NO_ACTIVE_ACCOUNT;

    /** {@code POST token/obtain/}: a Keycloak session and its access and refresh token. */
    Response obtain(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, EmailSignupDialect.ID);
        ClientModel client = call.client();
        String email = call.input().str("email").toLowerCase(Locale.ROOT);
        // An unknown address costs a password hash too: the answer and its timing do not tell which have accounts.
        UserModel user = Passwords.authenticate(call, Accounts.userByEmail(call, email), email,
                call.input().str("password"), event).orElseThrow(SimpleJwtErrors::noActiveAccount);
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, user, event);
        AccessTokenResponse tokens = SessionIssuer.tokens(call.session(), call.realm(), client, context, event);
        event.success();
        return Json.ok(Json.object("refresh", tokens.getRefreshToken(), "access", tokens.getToken()));
    }

    /** {@code POST token/verify/}: 200 {@code {}} for a live access or refresh token of the dialect's client(s). */
    Response verify(Call call) throws ApiError {
        EventBuilder event = call.event(EventType.INTROSPECT_TOKEN);
        String token = call.input().str("token");
        Optional<AccessToken> verified = JwtTokens.verify(call.session(), call.realm(), token);
        if (verified.isEmpty() || !call.acceptsTokensOf(verified.get().getIssuedFor())) {
            event.error(Errors.INVALID_TOKEN);
            // A token of another client is one this API's key never signed, for SimpleJWT: invalid.
            throw SimpleJwtErrors.verifyRefused(verified.isEmpty()
                    ? JwtTokens.refusal(call.session(), call.realm(), token, null, null) : JwtTokens.Refusal.INVALID);
        }
        event.success();
        return Json.ok(Json.object());
    }

    /** {@code POST token/refresh/}: rotated tokens through Keycloak's refresh grant; each refresh token works once. */
    Response refresh(Call call) throws ApiError {
        AccessTokenResponse tokens = SimpleJwtErrors.refresh(call);
        return Json.ok(Json.object("access", tokens.getToken(), "refresh", tokens.getRefreshToken()));
    }
}
