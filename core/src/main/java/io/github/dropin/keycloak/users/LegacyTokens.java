package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The legacy backend's DRF {@code authtoken} keys, carried over so that apps signed in before the move stay signed in
 * (issue 14): imported from {@code authtoken.token} and kept only as SHA-256 of the key, as user attribute
 * {@value #ATTR_HASH} (Keycloak's exact-value attribute search finds the user by it through the database's index on
 * attribute name and value, on every node). DRF keeps one key per user, and so does the realm.
 * <p>
 * A key is accepted only while the realm's opt-in is open: realm attribute {@value #UNTIL_ATTRIBUTE}, an ISO date
 * (accepted to the end of that day, UTC), an ISO instant or epoch seconds; absent, empty or unreadable: never. At its
 * first use a key is bound to a new Keycloak user session (the session's id in {@value #ATTR_SESSION}, the key's hash in
 * the session's note {@value #SESSION_NOTE}), and from then on lives and dies with that session, like the dialects' own
 * keys; a key whose session has ended is dead for good.
 * <p>
 * The keys are random (DRF: 160 bits from {@code os.urandom}), so an unsalted hash is as good as a password hash here
 * and is what makes the lookup by value possible.
 */
public final class LegacyTokens {

    /** User attribute: SHA-256 (hex) of the user's legacy key. */
    public static final String ATTR_HASH = "legacyTokenHash";
    /** User attribute: the user session the legacy key was bound to at its first use. */
    public static final String ATTR_SESSION = "legacyTokenSession";
    /** User-session note: the hash of the legacy key the session stands for. */
    public static final String SESSION_NOTE = "dropin.legacyToken";
    /** Realm attribute: legacy keys are accepted until then; absent: never (the default). */
    public static final String UNTIL_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyTokens.until";
    /** {@link UniqueGuard} kind (value: the user's id): storing a user's key, or binding it to a session. */
    public static final String LOCK_KIND = "legacyToken";
    /** Longer values are not DRF keys (40 hex characters); refused before any lookup. */
    public static final int MAX_KEY_LENGTH = 128;

    private LegacyTokens() {
    }

    /** SHA-256 of the key, as stored. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Until when the realm accepts legacy keys, or empty when it does not. */
    public static Optional<Instant> until(RealmModel realm) {
        return parseUntil(realm.getAttribute(UNTIL_ATTRIBUTE));
    }

    /** Whether the realm accepts legacy keys at {@code now}. */
    public static boolean accepting(RealmModel realm, Instant now) {
        return until(realm).map(now::isBefore).orElse(false);
    }

    /**
     * The end of the opt-in: {@code 2027-03-31} (to the end of that day, UTC), {@code 2027-03-31T12:00:00Z}, or epoch
     * seconds; empty for anything else (the setting is then off, as when it is absent).
     */
    public static Optional<Instant> parseUntil(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        try {
            if (text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
            }
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The user whose legacy key this is (enabled or not), or empty. */
    public static Optional<UserModel> findByKey(KeycloakSession session, RealmModel realm, String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        String hash = hash(key);
        return UsersByAttribute.find(session, realm, ATTR_HASH, hash);
    }

    /**
     * Stores {@code key} (as its hash) as the user's legacy key. A different key than the one stored replaces it and
     * its binding, so the old key is dead (DRF's key was regenerated before the move); the same key keeps its session.
     *
     * @return whether anything changed
     */
    public static boolean store(UserModel user, String key) {
        String hash = hash(key);
        if (hash.equals(user.getFirstAttribute(ATTR_HASH))) {
            return false;
        }
        user.setSingleAttribute(ATTR_HASH, hash);
        user.removeAttribute(ATTR_SESSION);
        return true;
    }
}
