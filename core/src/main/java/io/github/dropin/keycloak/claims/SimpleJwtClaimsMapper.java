package io.github.dropin.keycloak.claims;

import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import org.keycloak.representations.IDToken;

/**
 * Protocol mapper {@value #PROVIDER_ID}: Django REST framework SimpleJWT's claims, for the {@code jwt-auth} and
 * {@code email-signup} clients. {@code token_type} is {@code access} (in refresh tokens: {@code refresh}), and
 * {@code user_id} the user's id as the dialect shows it: the legacy integer (a JSON number, as SimpleJWT wrote the
 * primary key) when its {@code legacyIds} setting is on, else Keycloak's id.
 */
public class SimpleJwtClaimsMapper extends LegacyClaimsMapper {

    public static final String PROVIDER_ID = "dropin-simplejwt-claims";

    public SimpleJwtClaimsMapper() {
        super(PROVIDER_ID, "SimpleJWT claims (drop-in)",
                "Adds SimpleJWT's token_type and user_id claims (legacy integer ids where the dialect's legacyIds "
                        + "setting is on), as Django apps decoding their tokens expect.", "token_type");
    }

    @Override
    protected void addClaims(IDToken token, KeycloakSession session, RealmModel realm, UserModel user, String dialect) {
        token.getOtherClaims().put("user_id", LegacyIds.enabled(realm, dialect)
                ? (Object) LegacyIds.idOf(session, realm, user) : user.getId());
    }
}
