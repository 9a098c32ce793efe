package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Principal;
import io.github.dropin.keycloak.rest.tokens.SessionIssuer;
import io.github.dropin.keycloak.users.LegacyTokens;
import io.github.dropin.keycloak.users.UniqueGuard;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * The legacy backend's DRF keys ({@link LegacyTokens}) in {@code Authorization: Token <key>}, while the realm's
 * opt-in {@code dropin.legacyTokens.until} is open: at its first use a key is bound to a new Keycloak user session of
 * the dialect's client (an administrator sees it under the user's sessions and can end it), from then on it stands for
 * that session exactly as the dialect's own keys stand for theirs ({@link SessionKeys}), and once the session has
 * ended the key is refused for good. Outside the opt-in every legacy key is an unknown key.
 * <p>
 * Binding is cluster-safe: it holds the user's {@link UniqueGuard} lock, so two nodes seeing a key's first use at once
 * cannot both bind it; a request that does not get the lock waits (up to 2 s) for the other's session and stands for
 * it. Whether a key is bound is decided by the user's sessions (cluster-wide), not only by the user attribute
 * {@link LegacyTokens#ATTR_SESSION}, which this node's user cache may show stale for a moment after another node bound
 * the key; and before binding, a durable record of the binding (in Keycloak's revoked-token store, the database) is
 * read, so that a key bound elsewhere whose session has ended is not bound again.
 */
final class LegacyKeys {

    /** {@link Details#AUTH_METHOD} of the sign-in a key's first use makes. */
    static final String AUTH_METHOD = "legacy-drf-token";

    /** How often, and how long each time, a first use waits for a binding another request is making (2 s in all). */
    private static final int BIND_WAITS = 40;
    private static final long BIND_PAUSE_MILLIS = 50;

    /** What a presented key turned out to be. */
    enum Outcome { UNKNOWN, INACTIVE, ACCEPTED }

    record Result(Outcome outcome, Principal principal) {
        static final Result UNKNOWN = new Result(Outcome.UNKNOWN, null);
        static final Result INACTIVE = new Result(Outcome.INACTIVE, null);
    }

    private LegacyKeys() {
    }

    /** Whether {@code key} could be a legacy key at all: the dialects' own keys have a dot, DRF's never. */
    static boolean candidate(String key) {
        return key != null && !key.isEmpty() && key.indexOf('.') < 0 && key.length() <= LegacyTokens.MAX_KEY_LENGTH;
    }

    static Result verify(Call call, String key) throws ApiError {
        RealmModel realm = call.realm();
        if (!candidate(key) || !LegacyTokens.accepting(realm, Instant.ofEpochMilli(Time.currentTimeMillis()))) {
            return Result.UNKNOWN;
        }
        UserModel user = LegacyTokens.findByKey(call.session(), realm, key).orElse(null);
        if (user == null) {
            return Result.UNKNOWN;
        }
        if (!user.isEnabled()) {
            return Result.INACTIVE;
        }
        String hash = LegacyTokens.hash(key);
        String bound = user.getFirstAttribute(LegacyTokens.ATTR_SESSION);
        if (bound != null) {
            UserSessionModel userSession = call.session().sessions().getUserSession(realm, bound);
            if (standsFor(call, user, userSession, hash)) {
                return accepted(user, userSession);
            }
        }
        // This node's cached user may not show a binding another node made a moment ago; the sessions do.
        UserSessionModel boundElsewhere = sessionOf(call, user, hash);
        if (boundElsewhere != null) {
            return accepted(user, boundElsewhere);
        }
        if (bound != null) {
            // Bound once, and that session has ended: the key died with it.
            return Result.UNKNOWN;
        }
        // Bound by a request that held the lock before us (its transaction committed before it let go), or being
        // bound right now by another one, whose session we then take.
        for (int wait = 0; !UniqueGuard.lock(call.session(), realm, LegacyTokens.LOCK_KIND, user.getId()); wait++) {
            if (wait >= BIND_WAITS) {
                return Result.UNKNOWN;
            }
            pause();
            boundElsewhere = sessionOf(call, user, hash);
            if (boundElsewhere != null) {
                return accepted(user, boundElsewhere);
            }
        }
        boundElsewhere = sessionOf(call, user, hash);
        if (boundElsewhere != null) {
            return accepted(user, boundElsewhere);
        }
        // No live session stands for the key. Whether it was ever bound is the user attribute, which this node's user
        // cache may show stale (another node bound the key, and that session has ended since); the binding's record in
        // Keycloak's revoked-token store is read from the database, so a dead key does not live again.
        if (KeycloakCompat.isRevoked(call.session(), boundMarker(realm, hash))) {
            return Result.UNKNOWN;
        }
        ClientModel client = call.client();
        EventBuilder event = call.event(EventType.LOGIN).detail(Details.AUTH_METHOD, AUTH_METHOD)
                .detail(Details.USERNAME, user.getUsername());
        ClientSessionContext context = SessionIssuer.login(call.session(), realm, client, user, event);
        UserSessionModel userSession = context.getClientSession().getUserSession();
        userSession.setNote(LegacyTokens.SESSION_NOTE, hash);
        user.setSingleAttribute(LegacyTokens.ATTR_SESSION, userSession.getId());
        KeycloakCompat.revokeToken(call.session(), boundMarker(realm, hash), markerLifespan(realm));
        event.success();
        return new Result(Outcome.ACCEPTED, new Principal(user, userSession, null));
    }

    /**
     * Waits for a binding in progress elsewhere: an app's first requests after an update come in parallel, and a
     * refused one would sign its user out. Only a holder of a right key ever waits here (an unknown key is refused
     * before), and only while that key's first use is in flight, so no one can keep worker threads asleep with it.
     */
    private static void pause() {
        try {
            Thread.sleep(BIND_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The durable record that the key whose hash this is was bound once: an entry of Keycloak's revoked-token store
     * (the database, read by every node; the same store keeps used refresh tokens), kept a year beyond the realm's
     * end date (Keycloak prunes it then; past the end date the key is refused anyway).
     */
    private static String boundMarker(RealmModel realm, String hash) {
        return "dropin-legacy-key:" + realm.getId() + ":" + hash;
    }

    private static long markerLifespan(RealmModel realm) {
        long untilSeconds = LegacyTokens.until(realm).map(Instant::getEpochSecond).orElse(0L);
        return Math.max(0, untilSeconds - Time.currentTime()) + 366L * 24 * 3600;
    }

    /** The user's live session that this key was bound to, if any. */
    private static UserSessionModel sessionOf(Call call, UserModel user, String hash) {
        return call.session().sessions().getUserSessionsStream(call.realm(), user)
                .filter(s -> standsFor(call, user, s, hash)).findFirst().orElse(null);
    }

    /** Whether {@code userSession} is alive, the user's, and bound to the key whose hash this is. */
    private static boolean standsFor(Call call, UserModel user, UserSessionModel userSession, String hash) {
        if (userSession == null || !AuthenticationManager.isSessionValid(call.realm(), userSession)
                || userSession.getUser() == null || !user.getId().equals(userSession.getUser().getId())) {
            return false;
        }
        String expected = userSession.getNote(LegacyTokens.SESSION_NOTE);
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    private static Result accepted(UserModel user, UserSessionModel userSession) {
        SessionKeys.touch(userSession);
        return new Result(Outcome.ACCEPTED, new Principal(user, userSession, null));
    }
}
