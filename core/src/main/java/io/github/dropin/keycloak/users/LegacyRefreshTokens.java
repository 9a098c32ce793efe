package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.compat.KeycloakCompat;
import io.github.dropin.keycloak.store.Compensations;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
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
 * The legacy backend's SimpleJWT refresh tokens (issue 14), accepted once each by the jwt-auth and email-signup refresh
 * endpoints while the realm's opt-in {@value #UNTIL_ATTRIBUTE} is open, and answered with Keycloak tokens for a new
 * user session. A token is checked exactly as SimpleJWT's {@code RefreshToken(token)} does with the legacy
 * {@code SIGNING_KEY} (by default Django's {@code SECRET_KEY}), in its order: HMAC signature ({@code HS256},
 * {@code HS384} or {@code HS512}; the algorithm the header names must be the configured one, never {@code none}) and
 * {@code exp} in the future ("invalid or expired"), {@code token_type} {@code refresh} ("wrong type"), then the
 * blacklist ("blacklisted"); then the user claim ({@code user_id}: the legacy primary key of an imported, enabled
 * user).
 * <p>
 * The signing key comes only from Keycloak's vault ({@link #secret}). Each {@code jti} works once
 * ({@link #firstUse}): the claim is decided by the single-use store's cluster-atomic {@code putIfAbsent} (two nodes
 * seeing the same token at once: one wins), and the used {@code jti} is also written, in the same transaction, into
 * Keycloak's revoked-token store, which is the database (table {@code REVOKED_TOKEN}, read by every node, pruned by
 * Keycloak itself when the entry's lifespan, the token's own {@code exp}, has passed). That is where the dialects'
 * own used refresh tokens go too ({@code JwtTokens}), so a legacy token used before a restart of every node stays
 * used afterwards, without a table or a user attribute of our own to prune. SimpleJWT's imported blacklist
 * ({@link #blacklist}) is written there in the same way: a blacklisted and a used legacy token are the same thing.
 * The entries are named {@value #REVOKED_PREFIX}{@code <realm id>:<jti>}, apart from Keycloak's token ids, and per
 * realm (a realm's users are its own).
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
    /** Realm attribute: SimpleJWT's {@code ALGORITHM}; absent: {@value #DEFAULT_ALGORITHM}. */
    public static final String ALGORITHM_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyRefreshTokens.algorithm";
    /** Realm attribute: SimpleJWT's {@code USER_ID_CLAIM}; absent: {@value #DEFAULT_USER_ID_CLAIM}. */
    public static final String USER_ID_CLAIM_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyRefreshTokens.userIdClaim";
    public static final String DEFAULT_ALGORITHM = "HS256";
    public static final String DEFAULT_USER_ID_CLAIM = "user_id";
    /** Prefix of the revoked-token store's entries for used or blacklisted legacy {@code jti}s. */
    public static final String REVOKED_PREFIX = "dropin-legacy-rt:";

    /** What a refresh endpoint does with a presented token. */
    public enum Outcome {
        /** Not a legacy token (or the realm does not accept them): the dialect's own answer for a token it refuses. */
        NOT_LEGACY,
        /** A legacy token's one use: Keycloak tokens for {@link Redemption#user()}. */
        ACCEPTED,
        /** Intact, but expired, without id or user claim, or of a user the realm does not have (enabled). */
        INVALID,
        /** Intact, but an access token. */
        WRONG_TYPE,
        /** Intact, and used already (here or elsewhere) or on the imported blacklist. */
        BLACKLISTED
    }

    /** What became of a presented token; {@code user} only where {@link Outcome#ACCEPTED}. */
    public record Redemption(Outcome outcome, UserModel user, Claims claims) {
        static Redemption of(Outcome outcome) {
            return new Redemption(outcome, null, null);
        }
    }

    private static final Logger LOG = Logger.getLogger(LegacyRefreshTokens.class);

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
     * The refresh endpoints' rule for a token that is not one of the realm's own: whether it is a legacy refresh token
     * the realm accepts now, and if so takes its one use. The caller, on {@link Outcome#ACCEPTED}, starts the user
     * session in the same transaction (a rolled-back request gives the use back).
     */
    public static Redemption redeem(KeycloakSession session, RealmModel realm, String token) {
        long now = Time.currentTime();
        if (!accepting(realm, java.time.Instant.ofEpochSecond(now))) {
            return Redemption.of(Outcome.NOT_LEGACY);
        }
        String algorithm = setting(realm, ALGORITHM_ATTRIBUTE, DEFAULT_ALGORITHM);
        Optional<String> secret = secret(session, realm);
        if (secret.isEmpty() || !MACS.containsKey(algorithm)) {
            LOG.warnf("Realm %s accepts legacy refresh tokens (%s) but %s", realm.getName(), UNTIL_ATTRIBUTE,
                    secret.isEmpty() ? SECRET_ATTRIBUTE + " names no secret in the vault" : ALGORITHM_ATTRIBUTE
                            + " is not one of " + MACS.keySet());
            return Redemption.of(Outcome.NOT_LEGACY);
        }
        Result result = verify(token, algorithm, secret.get(), setting(realm, USER_ID_CLAIM_ATTRIBUTE,
                DEFAULT_USER_ID_CLAIM), now);
        switch (result.verdict()) {
            case MALFORMED, WRONG_ALGORITHM, BAD_SIGNATURE:
                // Not signed with the legacy key: perhaps one of the realm's own tokens, which the dialect judges.
                return Redemption.of(Outcome.NOT_LEGACY);
            case NOT_A_REFRESH_TOKEN:
                return Redemption.of(Outcome.WRONG_TYPE);
            case VALID:
                break;
            default:
                return Redemption.of(Outcome.INVALID);
        }
        Claims claims = result.claims();
        if (used(session, realm, claims.jti())) {
            return new Redemption(Outcome.BLACKLISTED, null, claims);
        }
        UserModel user = legacyId(claims).flatMap(id -> LegacyIds.findByLegacyId(session, realm, id)).orElse(null);
        if (user == null || !user.isEnabled()) {
            return new Redemption(Outcome.INVALID, null, claims);
        }
        if (!firstUse(session, realm, claims, now)) {
            return new Redemption(Outcome.BLACKLISTED, null, claims);
        }
        return new Redemption(Outcome.ACCEPTED, user, claims);
    }

    /** Whether the realm accepts legacy refresh tokens at {@code now}. */
    public static boolean accepting(RealmModel realm, java.time.Instant now) {
        return until(realm).map(now::isBefore).orElse(false);
    }

    /** Whether {@code jti} was used, or blacklisted by an import, in {@code realm} (on any node, before any restart). */
    public static boolean used(KeycloakSession session, RealmModel realm, String jti) {
        return session.singleUseObjects().contains(claimKey(realm, jti))
                || KeycloakCompat.isRevoked(session, revokedId(realm, jti));
    }

    /**
     * Takes the token's one use: false when it was used before (a replay), on any node, until its {@code exp}. The
     * claim in the single-use store decides between concurrent uses; the revoked-token entry, written in the caller's
     * transaction, keeps the token used after a restart of every node. A transaction that rolls back gives the claim
     * back (and writes no entry).
     */
    public static boolean firstUse(KeycloakSession session, RealmModel realm, Claims claims, long nowSeconds) {
        long lifespan = Math.max(1, claims.exp() - nowSeconds);
        String claim = claimKey(realm, claims.jti());
        if (!session.singleUseObjects().putIfAbsent(claim, lifespan)) {
            return false;
        }
        Compensations.of(session).onRollback(() -> session.singleUseObjects().remove(claim));
        KeycloakCompat.revokeToken(session, revokedId(realm, claims.jti()), lifespan);
        return true;
    }

    /**
     * Puts {@code jti} on the realm's blacklist until {@code expSeconds} (the token's own {@code exp}; a token past it
     * is refused anyway, so nothing is written then).
     *
     * @return whether anything was written
     */
    public static boolean blacklist(KeycloakSession session, RealmModel realm, String jti, long expSeconds) {
        long lifespan = expSeconds - Time.currentTime();
        if (jti == null || jti.isBlank() || lifespan <= 0) {
            return false;
        }
        KeycloakCompat.revokeToken(session, revokedId(realm, jti), lifespan);
        return true;
    }

    private static String claimKey(RealmModel realm, String jti) {
        return Dropin.STORE_PREFIX + "legacy-refresh:" + realm.getId() + ":" + jti;
    }

    /**
     * The revoked-token store's id for a legacy {@code jti}: its column holds 255 characters; SimpleJWT's jti is 32 hex
     * characters, a longer one (another generator) goes in as its SHA-256.
     */
    static String revokedId(RealmModel realm, String jti) {
        return REVOKED_PREFIX + realm.getId() + ":" + (jti.length() <= 64 ? jti : LegacyTokens.hash(jti));
    }

    private static String setting(RealmModel realm, String attribute, String defaultValue) {
        String value = realm.getAttribute(attribute);
        return value == null || value.isBlank() ? defaultValue : value.trim();
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
