package io.github.dropin.keycloak.users;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.CachedUserModel;

import java.util.stream.Stream;

/**
 * Users found by an attribute value (a phone number, a legacy id, a key's hash), through Keycloak's user cache.
 * <p>
 * Keycloak answers an attribute search from the database and hands back the cached user only if that user happens to
 * be cached already; it never caches a user found this way ({@code UserCacheSession.returnFromCacheIfPresent}). A user
 * that is only ever found by attribute was therefore read from the database, attributes and roles included, on every
 * request. Taking each hit by id puts it into the cache, so the next lookup costs the indexed attribute query alone.
 * Found by the million-user benchmark: users-api lookups by legacy id ran at 0.70 of their speed with a thousand users
 * when the million users were not in the cache (benchmark/RESULTS.md).
 */
public final class UsersByAttribute {

    private UsersByAttribute() {
    }

    /** The users whose attribute {@code name} has {@code value} (callers compare the value themselves). */
    public static Stream<UserModel> find(KeycloakSession session, RealmModel realm, String name, String value) {
        return session.users().searchForUserByUserAttributeStream(realm, name, value).map(user -> cached(session, realm, user));
    }

    private static UserModel cached(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user instanceof CachedUserModel) {
            return user;
        }
        UserModel byId = session.users().getUserById(realm, user.getId());
        return byId != null ? byId : user;
    }
}
