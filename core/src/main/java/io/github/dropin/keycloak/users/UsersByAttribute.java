package io.github.dropin.keycloak.users;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.CachedUserModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The user an attribute value names (a phone number, a legacy id, a legacy public id, a legacy key's hash): values
 * the pack keeps unique per realm, looked up on every sign-in, lookup and key check.
 * <p>
 * Keycloak caches the users it finds by username or email, and those queries themselves (its user cache keeps
 * username → id and email → id), but not attribute searches: each one is a database query, and a user found that way
 * is handed back from the cache only if it happens to be there already ({@code UserCacheSession
 * .returnFromCacheIfPresent}), never put into it. This class does for the pack's attributes what Keycloak does for
 * usernames:
 * <ul>
 *     <li>a user found by the query is taken again by id, which caches it (before, a user only ever found by attribute
 *     was read from the database, attributes and roles included, on every request);</li>
 *     <li>the value → user id answer is remembered on this node ({@value #CAPACITY} values, least recently used out
 *     first), so the next lookup of the same value costs no query at all (the million-user benchmark found the
 *     attribute query to cost more with three million attribute rows than with three thousand, benchmark/RESULTS.md).
 *     The remembered answer is a hint, never trusted: on every hit the user is taken by id (through Keycloak's cache,
 *     which every node keeps current on updates) and must still hold exactly that value; a user deleted, or whose
 *     number or id changed, fails the check, the hint is dropped and the query runs. So a number that moved to another
 *     account reaches its new owner at once, on any node. Only values that named a user are remembered: an unknown
 *     number costs a query each time, as before, and cannot fill the memory.</li>
 * </ul>
 * Values are compared in constant time (a legacy key's hash is one of them).
 */
public final class UsersByAttribute {

    /** Values remembered per node; a few MiB. */
    static final int CAPACITY = 10_000;

    private static final Map<String, String> IDS = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > CAPACITY;
                }
            });

    private UsersByAttribute() {
    }

    /** The user whose attribute {@code name} is exactly {@code value}, if any. */
    public static Optional<UserModel> find(KeycloakSession session, RealmModel realm, String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String key = realm.getId() + '\n' + name + '\n' + value;
        String id = IDS.get(key);
        if (id != null) {
            UserModel user = session.users().getUserById(realm, id);
            if (user != null && holds(user, name, value)) {
                return Optional.of(user);
            }
            IDS.remove(key, id);
        }
        Optional<UserModel> found = session.users().searchForUserByUserAttributeStream(realm, name, value)
                .filter(user -> holds(user, name, value))
                .findFirst()
                .map(user -> cached(session, realm, user));
        found.ifPresent(user -> IDS.put(key, user.getId()));
        return found;
    }

    private static boolean holds(UserModel user, String name, String value) {
        String stored = user.getFirstAttribute(name);
        return stored != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static UserModel cached(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user instanceof CachedUserModel) {
            return user;
        }
        UserModel byId = session.users().getUserById(realm, user.getId());
        return byId != null ? byId : user;
    }
}
