package io.github.dropin.keycloak.hash;

import org.keycloak.models.credential.PasswordCredentialModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a password hash as a legacy framework stored it into a Keycloak password credential that accepts the same
 * passwords, or says why it cannot (SPEC §5).
 * <ul>
 *     <li>Django {@code pbkdf2_sha256$<iterations>$<salt>$<base64>} and {@code pbkdf2_sha1$...}: Keycloak's own
 *     {@code pbkdf2-sha256} and {@code pbkdf2} providers. They take the iterations and the raw salt bytes from the
 *     credential and the key length from the stored value; Django's salt is text, hashed as its UTF-8 (ASCII) bytes,
 *     so those bytes are the credential's salt (stored by Keycloak as their base64).</li>
 *     <li>Django {@code argon2$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>}: Keycloak's {@code argon2} provider, with
 *     the variant as {@code type}, {@code v=19} as version {@code 1.3} ({@code 1.0} for {@code v=16} and for the old
 *     format without a version), memory, parallelism and hash length as its parameters, and argon2's unpadded base64
 *     decoded (Keycloak compares padded base64).</li>
 *     <li>Django {@code bcrypt_sha256$...}, {@code bcrypt$...}, Werkzeug {@code pbkdf2:<digest>:<iterations>$...} and
 *     {@code scrypt:<N>:<r>:<p>$...}: the pack's verify-only providers, with the hash unchanged as the value.</li>
 * </ul>
 * Everything else is refused with a reason: Django's unusable passwords ({@code !...}), and the weak or obsolete
 * hashers ({@code md5}, {@code sha1}, {@code unsalted_*}, {@code crypt}, Werkzeug's plain salted digests).
 * <p>
 * Every credential made here carries {@value #FINGERPRINT} in its additional parameters: a digest of the legacy hash
 * it came from, so that a second import can tell a credential it made (and may replace when the legacy password
 * changed) from one Keycloak made since (after a sign-in or a password change), which it never touches.
 */
public final class LegacyHashes {

    /** Additional parameter of an imported credential: the first 16 hex digits of SHA-256 of the legacy hash. */
    public static final String FINGERPRINT = "dropinLegacyHash";

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Pattern ARGON2_PARAMS = Pattern.compile("m=(\\d+),t=(\\d+),p=(\\d+)");

    private LegacyHashes() {
    }

    /** A credential, or the reason there is none. */
    public record Conversion(PasswordCredentialModel credential, String refusal) {

        static Conversion of(PasswordCredentialModel credential) {
            return new Conversion(credential, null);
        }

        static Conversion refused(String reason) {
            return new Conversion(null, reason);
        }

        public boolean isConverted() {
            return credential != null;
        }
    }

    /** The credential for {@code hash}, or why there is none. */
    public static Conversion convert(String hash) {
        if (hash == null || hash.isBlank()) {
            return Conversion.refused("no password hash");
        }
        if (hash.startsWith("!")) {
            return Conversion.refused("unusable password (Django's set_unusable_password: the user has no password)");
        }
        try {
            if (hash.startsWith("pbkdf2_sha256$")) {
                return djangoPbkdf2(hash, "pbkdf2-sha256");
            }
            if (hash.startsWith("pbkdf2_sha1$")) {
                return djangoPbkdf2(hash, "pbkdf2");
            }
            if (hash.startsWith("argon2$")) {
                return argon2(hash);
            }
            if (hash.startsWith("bcrypt_sha256$")) {
                return bcrypt(hash, BcryptSha256HashProvider.ID, "bcrypt_sha256$");
            }
            if (hash.startsWith("bcrypt$")) {
                return bcrypt(hash, BcryptHashProvider.ID, "bcrypt$");
            }
            if (hash.startsWith("pbkdf2:")) {
                WerkzeugPbkdf2HashProvider.Parsed parsed = WerkzeugPbkdf2HashProvider.Parsed.of(hash);
                return verifyOnly(WerkzeugPbkdf2HashProvider.ID, parsed.iterations(), hash);
            }
            if (hash.startsWith("scrypt:")) {
                WerkzeugScryptHashProvider.Parsed parsed = WerkzeugScryptHashProvider.Parsed.of(hash);
                return verifyOnly(WerkzeugScryptHashProvider.ID, parsed.n(), hash);
            }
        } catch (IllegalArgumentException malformed) {
            // NumberFormatException is one too.
            return Conversion.refused("malformed " + scheme(hash) + " hash: " + malformed.getMessage());
        }
        return Conversion.refused("unsupported password hasher '" + scheme(hash) + "'");
    }

    /** The hasher's name as the hash writes it: what precedes the first {@code $} or {@code :}. */
    static String scheme(String hash) {
        int dollar = hash.indexOf('$');
        int colon = hash.indexOf(':');
        int end = dollar < 0 ? colon : colon < 0 ? dollar : Math.min(dollar, colon);
        return end <= 0 ? "unknown (no algorithm prefix)" : hash.substring(0, Math.min(end, 32));
    }

    private static Conversion djangoPbkdf2(String hash, String keycloakAlgorithm) {
        String[] parts = hash.split("\\$", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not <algorithm>$<iterations>$<salt>$<hash>");
        }
        int iterations = Integer.parseInt(parts[1]);
        byte[] key = Base64.getDecoder().decode(parts[3]);
        if (iterations < 1 || parts[2].isEmpty() || key.length == 0) {
            throw new IllegalArgumentException("iterations, salt and hash must not be empty");
        }
        // Keycloak compares its own encoding (padded base64) of the derived key with the stored value.
        return Conversion.of(PasswordCredentialModel.createFromValues(keycloakAlgorithm,
                parts[2].getBytes(StandardCharsets.UTF_8), iterations, marked(new LinkedHashMap<>(), hash),
                Base64.getEncoder().encodeToString(key)));
    }

    private static Conversion argon2(String hash) {
        // argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>; before argon2 1.3 support: no v= part (version 1.0).
        String[] parts = hash.split("\\$", -1);
        boolean versioned = parts.length == 6;
        if (!versioned && parts.length != 5) {
            throw new IllegalArgumentException("not argon2$<variant>$v=<version>$m=..,t=..,p=..$<salt>$<hash>");
        }
        String type = switch (parts[1]) {
            case "argon2id" -> "id";
            case "argon2i" -> "i";
            case "argon2d" -> "d";
            default -> throw new IllegalArgumentException("unknown variant " + parts[1]);
        };
        String version = "1.0";
        if (versioned) {
            version = switch (parts[2]) {
                case "v=19" -> "1.3";
                case "v=16" -> "1.0";
                default -> throw new IllegalArgumentException("unknown version " + parts[2]);
            };
        }
        var params = ARGON2_PARAMS.matcher(parts[versioned ? 3 : 2]);
        if (!params.matches()) {
            throw new IllegalArgumentException("parameters are not m=..,t=..,p=..");
        }
        byte[] salt = unpaddedBase64(parts[versioned ? 4 : 3]);
        byte[] key = unpaddedBase64(parts[versioned ? 5 : 4]);
        int memory = Integer.parseInt(params.group(1));
        if (memory > 1024 * 1024 || key.length == 0 || salt.length == 0) {
            throw new IllegalArgumentException("memory over 1 GiB, or an empty salt or hash");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("type", List.of(type));
        parameters.put("version", List.of(version));
        parameters.put("hashLength", List.of(Integer.toString(key.length)));
        parameters.put("memory", List.of(params.group(1)));
        parameters.put("parallelism", List.of(params.group(3)));
        return Conversion.of(PasswordCredentialModel.createFromValues("argon2", salt, Integer.parseInt(params.group(2)),
                marked(parameters, hash), Base64.getEncoder().encodeToString(key)));
    }

    private static Conversion bcrypt(String hash, String algorithm, String prefix) {
        String bcrypt = hash.substring(prefix.length());
        if (!BCRYPT.matcher(bcrypt).matches()) {
            throw new IllegalArgumentException("not $2b$<cost>$<53 characters>");
        }
        return verifyOnly(algorithm, Integer.parseInt(bcrypt.substring(4, 6)), hash);
    }

    private static Conversion verifyOnly(String algorithm, int strength, String hash) {
        return Conversion.of(PasswordCredentialModel.createFromValues(algorithm, new byte[0], strength,
                marked(new LinkedHashMap<>(), hash), hash));
    }

    private static Map<String, List<String>> marked(Map<String, List<String>> parameters, String hash) {
        parameters.put(FINGERPRINT, List.of(fingerprint(hash)));
        return parameters;
    }

    /** The fingerprint {@link #FINGERPRINT} of a legacy hash. */
    public static String fingerprint(String hash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] unpaddedBase64(String text) {
        // argon2's encoding omits the padding; Java's decoder accepts it without.
        return Base64.getDecoder().decode(text);
    }
}
