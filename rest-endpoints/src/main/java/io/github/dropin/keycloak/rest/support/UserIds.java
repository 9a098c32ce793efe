package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * The ids a dialect shows and accepts for users: Keycloak's, or, where the dialect's {@code legacyIds} setting is on
 * (realm attribute {@code dropin.<dialect>.legacyIds}), the legacy integer ids the apps already store ({@link LegacyIds}:
 * imported {@code legacyId}s, and the next integer for users without one).
 */
public final class UserIds {

    private UserIds() {
    }

    /** Whether the calling dialect shows legacy ids in this realm. */
    public static boolean legacy(Call call) {
        return LegacyIds.enabled(call.realm(), call.dialect().id());
    }

    /** The user's id as the dialect shows it: the legacy integer (a JSON number, as Django wrote it) or Keycloak's id. */
    public static Object of(Call call, UserModel user) {
        return legacy(call) ? (Object) LegacyIds.idOf(call.session(), call.realm(), user) : user.getId();
    }

    /**
     * Whether {@code id} (from a path or body) names {@code user} as the dialect shows it. Never hands out a legacy id:
     * a user without one is not named by any number yet (and a lookup answered 404 would roll the new number back,
     * leaving it claimed and unused).
     */
    public static boolean names(Call call, String id, UserModel user) {
        if (id == null) {
            return false;
        }
        if (!legacy(call)) {
            return id.equals(user.getId());
        }
        java.util.OptionalLong own = LegacyIds.legacyId(user);
        return own.isPresent() && id.equals(Long.toString(own.getAsLong()));
    }

    /** The user {@code id} names as the dialect shows ids. */
    public static Optional<UserModel> find(Call call, String id) {
        return LegacyIds.find(call.session(), call.realm(), id, legacy(call));
    }
}
