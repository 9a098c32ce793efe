package io.github.dropin.keycloak.claims;

import io.github.dropin.keycloak.SessionProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.refresh.DefaultRefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.InitialRefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProviderFactory;
import org.keycloak.representations.RefreshToken;

/**
 * The legacy frameworks' claims in refresh tokens, which Keycloak's protocol mappers do not reach: a refresh-token
 * provider ({@value #PROVIDER_ID}) that makes refresh tokens exactly as Keycloak's default provider does and adds the
 * claims of the client's {@link LegacyClaimsMapper} (SimpleJWT's {@code token_type: refresh} and {@code user_id};
 * flask-jwt-extended's {@code type: refresh} and {@code fresh}) when the client has one. Refreshing stays Keycloak's
 * default provider's business ({@link #supports(RefreshTokenContext)} is false), and it issues the rotated refresh
 * token through this provider again.
 * <p>
 * Keycloak 26.7 only: 26.4 has no refresh-token provider SPI, so this folder (src/main/java-26.7) is built for the 26.7
 * line alone; on 26.4 the dialects add the claims to the refresh tokens they issue ({@link LegacyClaimsMapper}).
 */
public class LegacyClaims extends DefaultRefreshTokenProvider {

    public static final String PROVIDER_ID = "dropin-legacy-claims";

    /** The factory; ordered before Keycloak's default (0) and after its OID4VCI provider (10). */
    public static class Factory extends SessionProviderFactory<RefreshTokenProvider>
            implements RefreshTokenProviderFactory {

        public Factory() {
            super(PROVIDER_ID, LegacyClaims::new);
        }

        @Override
        public int order() {
            return 5;
        }
    }

    public LegacyClaims(KeycloakSession session) {
        super(session);
    }

    @Override
    public boolean supports(InitialRefreshTokenContext context) {
        return LegacyClaimsMapper.mapper(context.clientSessionCtx()).isPresent();
    }

    @Override
    public RefreshToken generateRefreshToken(InitialRefreshTokenContext context) {
        RefreshToken token = super.generateRefreshToken(context);
        LegacyClaimsMapper.addToRefreshToken(session, context.clientSessionCtx(), token);
        return token;
    }

    @Override
    public boolean supports(RefreshTokenContext context) {
        return false;
    }
}
