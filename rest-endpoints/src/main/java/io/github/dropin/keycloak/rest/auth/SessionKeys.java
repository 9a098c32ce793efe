package io.github.dropin.keycloak.rest.auth;

import io.github.dropin.keycloak.rest.http.Principal;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque, session-bound API keys for DRF-style {@code Authorization: Token <key>} dialects (SPEC §2.4).
 * <p>
 * A key is {@code <user session id>.<secret>}, the secret being 192 random bits. Only SHA-256 of the secret is kept,
 * as a note of the Keycloak user session, so the key lives exactly as long as the session (user sessions are
 * persisted in the database, so keys survive restarts of every node) and dies with a logout, an administrator's
 * sign-out or a disabled user. Naming the session in the key means no index of keys is needed on any node.
 */
public final class SessionKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 24;
    /** Refresh the session's idle timer at most this often, to keep database writes off the hot path. */
    private static final int TOUCH_INTERVAL_SECONDS = 60;

    private SessionKeys() {
    }

    /** Creates a key for {@code userSession} under {@code noteName} and returns it; this is the only time it exists in plain text. */
    public static String issue(UserSessionModel userSession, String noteName) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        userSession.setNote(noteName, hash(encoded));
        return userSession.getId() + "." + encoded;
    }

    /** The live session and user a key belongs to, or empty for any key that is malformed, unknown or dead. */
    public static Optional<Principal> verify(KeycloakSession session, RealmModel realm, String key, String noteName) {
        UserSessionModel userSession = liveSession(session, realm, key, noteName);
        UserModel user = userSession == null ? null : userSession.getUser();
        if (user == null || !user.isEnabled()) {
            return Optional.empty();
        }
        touch(userSession);
        return Optional.of(new Principal(user, userSession, null));
    }

    /** Keeps a session whose key is in use from going idle. */
    static void touch(UserSessionModel userSession) {
        int now = Time.currentTime();
        if (now - userSession.getLastSessionRefresh() > TOUCH_INTERVAL_SECONDS) {
            userSession.setLastSessionRefresh(now);
        }
    }

    /**
     * Whether a key that {@link #verify} refused is a right key of a disabled user (DRF's "User inactive or
     * deleted.", as opposed to an unknown key).
     */
    public static boolean isOfDisabledUser(KeycloakSession session, RealmModel realm, String key, String noteName) {
        UserSessionModel userSession = liveSession(session, realm, key, noteName);
        return userSession != null && userSession.getUser() != null && !userSession.getUser().isEnabled();
    }

    /** The live session whose key this is, whoever its user. */
    private static UserSessionModel liveSession(KeycloakSession session, RealmModel realm, String key, String noteName) {
        if (key == null) {
            return null;
        }
        int dot = key.lastIndexOf('.');
        if (dot <= 0 || dot == key.length() - 1 || key.length() > 256) {
            return null;
        }
        String sessionId = key.substring(0, dot);
        String secret = key.substring(dot + 1);
        UserSessionModel userSession = session.sessions().getUserSession(realm, sessionId);
        if (userSession == null || !AuthenticationManager.isSessionValid(realm, userSession)) {
            return null;
        }
        String expected = userSession.getNote(noteName);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash(secret).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        return userSession;
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
