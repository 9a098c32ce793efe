package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;
import org.keycloak.vault.VaultStringSecret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy backend's SimpleJWT refresh tokens (issue 14, not wired into a dialect yet): checks a token exactly as
 * SimpleJWT's {@code RefreshToken(token)} does with the legacy {@code SIGNING_KEY} (by default Django's
 * {@code SECRET_KEY}): HMAC signature ({@code HS256}, {@code HS384} or {@code HS512}, the algorithm the header names
 * must be the configured one, never {@code none}), {@code exp} in the future, {@code token_type} {@code refresh}, a
 * {@code jti}, and the user claim ({@code user_id}: the legacy primary key).
 * <p>
 * Here too: the realm's opt-in end date ({@link #until}), the secret from Keycloak's vault ({@link #secret}) and the
 * one use of each {@code jti} ({@link #firstUse}). Still to build (see docs/migration.md, "Keeping users signed in"):
 * the imported blacklist, and the jwt-auth and email-signup refresh endpoints answering a legacy token with Keycloak
 * tokens for a new user session, with integration tests.
 */
public final class LegacyRefreshTokens {

    /** Why a token was refused, or {@link #VALID}. */
    public enum Verdict { VALID, MALFORMED, WRONG_ALGORITHM, BAD_SIGNATURE, EXPIRED, NOT_A_REFRESH_TOKEN, NO_JTI, NO_USER }

    /**
     * What a token says, once checked.
     *
     * @param userId the user claim as text (SimpleJWT writes the pk as a number, newer settings as a string)
     */
    public record Claims(String jti, long exp, String userId) {
    }

    /** A verdict, with the claims where it is {@link Verdict#VALID}. */
    public record Result(Verdict verdict, Claims claims) {
        public boolean valid() {
            return verdict == Verdict.VALID;
        }

        static Result refused(Verdict verdict) {
            return new Result(verdict, null);
        }
    }

    /** Realm attribute: legacy refresh tokens are accepted until then; absent: never (the default). */
    public static final String UNTIL_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyRefreshTokens.until";
    /** Realm attribute: a vault expression naming the legacy {@code SIGNING_KEY}. */
    public static final String SECRET_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyRefreshTokens.secret";

    private static final Map<String, String> MACS = Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384",
            "HS512", "HmacSHA512");

    private LegacyRefreshTokens() {
    }

    /**
     * @param algorithm    SimpleJWT's {@code ALGORITHM} (default {@code HS256})
     * @param secret       SimpleJWT's {@code SIGNING_KEY} (default Django's {@code SECRET_KEY}), as text
     * @param userIdClaim  SimpleJWT's {@code USER_ID_CLAIM} (default {@code user_id})
     * @param nowSeconds   the current time, epoch seconds
     */
    public static Result verify(String token, String algorithm, String secret, String userIdClaim, long nowSeconds) {
        String mac = MACS.get(algorithm);
        if (mac == null) {
            throw new IllegalArgumentException("unsupported algorithm " + algorithm + "; one of " + MACS.keySet());
        }
        if (token == null || token.length() > 8192) {
            return Result.refused(Verdict.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Result.refused(Verdict.MALFORMED);
        }
        Map<?, ?> header;
        Map<?, ?> payload;
        byte[] signature;
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            header = JsonSerialization.readValue(decoder.decode(parts[0]), Map.class);
            payload = JsonSerialization.readValue(decoder.decode(parts[1]), Map.class);
            signature = decoder.decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            return Result.refused(Verdict.MALFORMED);
        }
        if (header == null || payload == null) {
            return Result.refused(Verdict.MALFORMED);
        }
        if (!algorithm.equals(header.get("alg"))) {
            return Result.refused(Verdict.WRONG_ALGORITHM);
        }
        if (!MessageDigest.isEqual(sign(mac, secret, parts[0] + "." + parts[1]), signature)) {
            return Result.refused(Verdict.BAD_SIGNATURE);
        }
        if (!(payload.get("exp") instanceof Number exp) || exp.longValue() <= nowSeconds) {
            return Result.refused(Verdict.EXPIRED);
        }
        if (!"refresh".equals(payload.get("token_type"))) {
            return Result.refused(Verdict.NOT_A_REFRESH_TOKEN);
        }
        if (!(payload.get("jti") instanceof String jti) || jti.isBlank()) {
            return Result.refused(Verdict.NO_JTI);
        }
        Object user = payload.get(userIdClaim);
        String userId = user instanceof Number n ? Long.toString(n.longValue()) : user instanceof String s ? s : null;
        if (userId == null || userId.isBlank()) {
            return Result.refused(Verdict.NO_USER);
        }
        return new Result(Verdict.VALID, new Claims(jti, exp.longValue(), userId));
    }

    /** The user's legacy id the claims name, if it is one. */
    public static Optional<Long> legacyId(Claims claims) {
        var id = LegacyIds.parse(claims.userId());
        return id.isPresent() ? Optional.of(id.getAsLong()) : Optional.empty();
    }

    /**
     * Takes the token's one use: false when it was used before (a replay), on any node, until its {@code exp}.
     * <p>
     * TODO(issue 14): the single-use store does not outlive a restart of every node (it is not in the database), so
     * a token used before such a restart could be used once more afterwards; record used {@code jti}s durably too.
     */
    public static boolean firstUse(KeycloakSession session, RealmModel realm, Claims claims, long nowSeconds) {
        long lifespan = Math.max(1, claims.exp() - nowSeconds);
        return session.singleUseObjects().putIfAbsent(Dropin.STORE_PREFIX + "legacy-refresh:" + realm.getId() + ":"
                + claims.jti(), lifespan);
    }

    /** Until when the realm accepts legacy refresh tokens ({@value #UNTIL_ATTRIBUTE}, read as the keys' end date). */
    public static Optional<java.time.Instant> until(RealmModel realm) {
        return LegacyTokens.parseUntil(realm.getAttribute(UNTIL_ATTRIBUTE));
    }

    /**
     * The legacy signing key, from Keycloak's vault: realm attribute {@value #SECRET_ATTRIBUTE} holds a vault
     * expression ({@code ${vault.legacy_secret_key}}); a plain value is refused (empty), so the secret is never kept in
     * the realm's attributes, exports or admin events.
     */
    public static Optional<String> secret(KeycloakSession session, RealmModel realm) {
        String reference = realm.getAttribute(SECRET_ATTRIBUTE);
        if (reference == null || !reference.trim().startsWith("${vault.")) {
            return Optional.empty();
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference.trim())) {
            return secret.get().filter(s -> !s.isEmpty());
        }
    }

    private static byte[] sign(String mac, String secret, String signingInput) {
        try {
            Mac hmac = Mac.getInstance(mac);
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
            return hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mac + " unavailable", e);
        }
    }
}
