package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.tokens.JwtTokens;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.users.LegacyRefreshTokens;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.representations.AccessTokenResponse;

import java.util.Locale;
import java.util.Optional;

/**
 * The refresh endpoints' side of {@link LegacyRefreshTokens}: a SimpleJWT refresh token of the legacy backend, while
 * the realm accepts them, is answered once with Keycloak tokens for a new user session of the dialect's client (a
 * sign-in: event {@code LOGIN} with {@code auth_method} {@value #AUTH_METHOD}; an administrator sees the session
 * under the user's sessions and can end it), exactly as the dialect answers a refresh of its own tokens. A legacy
 * token refused for a reason SimpleJWT would name gets SimpleJWT's words for it; anything else gets the dialect's own
 * answer for a refresh token it refuses.
 */
final class LegacyRefresh {

    /** {@link Details#AUTH_METHOD} of the sign-in a legacy refresh token's use makes. */
    static final String AUTH_METHOD = "legacy-simplejwt-refresh";

    private LegacyRefresh() {
    }

    /**
     * @param refreshEvent the refresh endpoint's event, which records a refused legacy token
     * @return Keycloak tokens, or empty when {@code token} is no legacy token the realm accepts (the caller answers)
     * @throws ApiError SimpleJWT's 401 for a legacy token it would refuse: used, blacklisted, expired, wrong type
     */
    static Optional<AccessTokenResponse> redeem(Call call, String token, EventBuilder refreshEvent) throws ApiError {
        LegacyRefreshTokens.Redemption redemption = LegacyRefreshTokens.redeem(call.session(), call.realm(), token);
        JwtTokens.Refusal refusal = switch (redemption.outcome()) {
            case NOT_LEGACY -> null;
            case ACCEPTED -> null;
            case WRONG_TYPE -> JwtTokens.Refusal.WRONG_TYPE;
            case BLACKLISTED -> JwtTokens.Refusal.BLACKLISTED;
            case INVALID -> JwtTokens.Refusal.INVALID;
        };
        if (refusal != null) {
            refreshEvent.detail(Details.AUTH_METHOD, AUTH_METHOD)
                    .detail(Details.REASON, redemption.outcome().name().toLowerCase(Locale.ROOT))
                    .error(Errors.INVALID_TOKEN);
            throw SimpleJwtErrors.refreshRefused(refusal);
        }
        if (redemption.outcome() != LegacyRefreshTokens.Outcome.ACCEPTED) {
            return Optional.empty();
        }
        ClientModel client = call.client();
        EventBuilder login = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, AUTH_METHOD)
                .detail(Details.USERNAME, redemption.user().getUsername());
        ClientSessionContext context = SessionIssuer.login(call.session(), call.realm(), client, redemption.user(), login);
        AccessTokenResponse tokens = SessionIssuer.tokens(call.session(), call.realm(), client, context, login);
        login.success();
        return Optional.of(tokens);
    }
}
