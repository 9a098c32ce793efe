package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.rest.http.Call;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * django-rest-passwordreset's reset tokens on Keycloak's single-use store.
 * <p>
 * A token is 40 random letters and digits (about 238 bits, the alphabet of the original's token generator). Only its
 * SHA-256 is kept (as the store key; a token this long needs no key stretching), with the user id, the address it
 * was mailed to and a stamp of the user's password credential: a password change or an email change by any means,
 * or a newer token, invalidates it, and confirming
 * consumes it with the store's atomic {@code remove}, so it works once. Tokens live in memory, replicated across the
 * cluster; a restart of every node forgets them (users then ask again).
 */
final class ResetTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final int LENGTH = 40;

    private ResetTokens() {
    }

    /** A fresh token; nothing stored yet. */
    static String generate() {
        StringBuilder token = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }

    /** Stores {@code token} for {@code user} (applied when the request commits), replacing the user's previous one. */
    static void store(Call call, UserModel user, String token, int lifetimeSeconds) {
        SingleUseObjectProvider store = call.session().singleUseObjects();
        String index = indexKey(call, user.getId());
        Map<String, String> previous = store.get(index);
        if (previous != null && previous.get("k") != null) {
            store.remove(previous.get("k"));
        }
        String key = tokenKey(call, token);
        store.put(key, lifetimeSeconds, Map.of("user", user.getId(), "pwd", passwordStamp(user), "email", emailOf(user)));
        store.put(index, lifetimeSeconds, Map.of("k", key));
    }

    /** The enabled user a live token belongs to, or {@code null}. Does not consume the token. */
    static UserModel find(Call call, String token) {
        if (token == null || token.length() != LENGTH) {
            return null;
        }
        Map<String, String> notes = call.session().singleUseObjects().get(tokenKey(call, token));
        if (notes == null || notes.get("user") == null) {
            return null;
        }
        UserModel user = call.session().users().getUserById(call.realm(), notes.get("user"));
        if (user == null || !user.isEnabled() || !passwordStamp(user).equals(notes.get("pwd"))
                || !emailOf(user).equals(notes.get("email"))) {
            return null;
        }
        return user;
    }

    /** Consumes the token; only one of several concurrent callers gets {@code true}. */
    static boolean consume(Call call, String token, UserModel user) {
        Map<String, String> removed = call.session().singleUseObjects().remove(tokenKey(call, token));
        call.session().singleUseObjects().remove(indexKey(call, user.getId()));
        return removed != null && user.getId().equals(removed.get("user"));
    }

    /** The address the token was mailed to must still be the account's: an email change ends the token. */
    private static String emailOf(UserModel user) {
        return user.getEmail() == null ? "" : user.getEmail().toLowerCase(Locale.ROOT);
    }

    /** Changes whenever the user's password does (Keycloak keeps the credential id and renews its creation date). */
    private static String passwordStamp(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE).findFirst()
                .map(c -> c.getId() + "@" + c.getCreatedDate())
                .orElse("none");
    }

    private static String tokenKey(Call call, String token) {
        return Dropin.STORE_PREFIX + "ua-reset:" + call.realm().getId() + ":" + sha256(token);
    }

    private static String indexKey(Call call, String userId) {
        return Dropin.STORE_PREFIX + "ua-reset-user:" + call.realm().getId() + ":" + userId;
    }

    private static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
