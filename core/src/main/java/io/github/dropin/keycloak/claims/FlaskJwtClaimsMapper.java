package io.github.dropin.keycloak.claims;

import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import org.keycloak.representations.IDToken;

/**
 * Protocol mapper {@value #PROVIDER_ID}: flask-jwt-extended's claims, for the {@code phone-otp} client. {@code type}
 * is {@code access} (in refresh tokens: {@code refresh}), {@code fresh} is {@code false} (as the legacy login issued
 * its tokens), and {@code sub} is the {@code user_id} the dialect's login answer gave: the legacy public id when its
 * {@code legacyIds} setting is on (Keycloak's id for users without one), else Keycloak's id, which is Keycloak's
 * {@code sub} anyway; {@code nbf} is the time of issue, as flask-jwt-extended writes it. Keycloak's token, userinfo and introspection endpoints find the user through the session, not the
 * subject (as for pairwise subjects), so a different {@code sub} does not disturb them.
 */
public class FlaskJwtClaimsMapper extends LegacyClaimsMapper {

    public static final String PROVIDER_ID = "dropin-flask-jwt-claims";

    public FlaskJwtClaimsMapper() {
        super(PROVIDER_ID, "flask-jwt-extended claims (drop-in)",
                "Adds flask-jwt-extended's type and fresh claims, and makes sub the legacy public id where the "
                        + "dialect's legacyIds setting is on, as Flask apps decoding their tokens expect.", "type");
    }

    @Override
    protected void addClaims(IDToken token, KeycloakSession session, RealmModel realm, UserModel user, String dialect) {
        token.getOtherClaims().put("fresh", false);
        if (token.getNbf() == null) {
            // flask-jwt-extended writes nbf (= iat); Keycloak's tokens have none.
            token.nbf(token.getIat());
        }
        if (LegacyIds.enabled(realm, dialect)) {
            token.subject(LegacyIds.publicId(user));
        }
    }
}
