package io.github.dropin.keycloak.hash;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.credential.PasswordCredentialModel;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Legacy hashes made by the frameworks themselves (Django 3.2's hashers, Werkzeug's {@code generate_password_hash},
 * Werkzeug 3's scrypt format through {@code hashlib.scrypt}; Debian's packages under {@code /usr/bin/python3}, skipped
 * where they are missing), converted by {@link LegacyHashes} and checked the way Keycloak checks them: Keycloak's
 * pbkdf2 and argon2 providers' computation with the converted credential's parameters, the pack's providers as they
 * are. Short, long (over bcrypt's 72 bytes) and non-ASCII passwords. The end-to-end proof against a real Keycloak is
 * {@code LegacyImportIT}.
 */
class LegacyHashesTest {

    static final List<String> PASSWORDS = List.of("Pw1!",
            "correct horse battery staple correct horse battery staple correct horse battery staple and more words",
            "Pässwörd-ünïcødé-密码-🔑");

    record Made(String hasher, String password, String hash) {
    }

    static List<Made> made;

    @BeforeAll
    static void makeHashes() throws IOException, InterruptedException {
        String python = System.getProperty("dropin.it.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "no " + python);
        String script = String.join("\n",
                "import hashlib, json, secrets, sys",
                "from django.conf import settings",
                "settings.configure()",
                "from django.contrib.auth import hashers",
                "from werkzeug.security import generate_password_hash",
                "out = []",
                "for pw in json.loads(sys.argv[1]):",
                "    for name, cls in [('pbkdf2_sha256', hashers.PBKDF2PasswordHasher), ('pbkdf2_sha1', hashers.PBKDF2SHA1PasswordHasher),",
                "                      ('argon2', hashers.Argon2PasswordHasher), ('bcrypt_sha256', hashers.BCryptSHA256PasswordHasher),",
                "                      ('bcrypt', hashers.BCryptPasswordHasher)]:",
                "        h = cls()",
                // Cheap costs (the formats are what matters): 1000 iterations, bcrypt cost 4, argon2 m=1024,t=1,p=2.
                "        h.iterations, h.rounds, h.memory_cost, h.time_cost, h.parallelism = 1000, 4, 1024, 1, 2",
                "        out.append([name, pw, h.encode(pw, h.salt())])",
                "    for m in ['pbkdf2:sha256:1000', 'pbkdf2:sha1:1000', 'pbkdf2:sha512:1000']:",
                "        out.append([m, pw, generate_password_hash(pw, method=m)])",
                "    salt = ''.join(secrets.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(16))",
                "    n, r, p = 2 ** 14, 8, 1",
                "    out.append(['scrypt', pw, 'scrypt:%d:%d:%d$%s$%s' % (n, r, p, salt, hashlib.scrypt(pw.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex())])",
                "print(json.dumps(out))");
        String passwords = "[" + String.join(",", PASSWORDS.stream().map(LegacyHashesTest::json).toList()) + "]";
        Process p = new ProcessBuilder(python, "-c", script, passwords).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
                "Django and Werkzeug not importable by " + python + ": " + out);
        made = parse(out);
        assertThat(made).hasSize(PASSWORDS.size() * 9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "pbkdf2:sha256:1000",
            "pbkdf2:sha1:1000", "pbkdf2:sha512:1000", "scrypt"})
    void everyHashVerifiesItsPasswordAndNoOther(String hasher) {
        List<Made> hashes = made.stream().filter(m -> m.hasher().equals(hasher)).toList();
        assertThat(hashes).hasSize(PASSWORDS.size());
        for (Made m : hashes) {
            LegacyHashes.Conversion conversion = LegacyHashes.convert(m.hash());
            assertThat(conversion.refusal()).as(m.hash()).isNull();
            PasswordCredentialModel credential = conversion.credential();
            assertThat(verify(credential, m.password())).as("%s with %s", hasher, m.password()).isTrue();
            assertThat(verify(credential, "x" + m.password())).isFalse();
            String shorter = m.password().substring(0, m.password().offsetByCodePoints(m.password().length(), -1));
            // Django's plain bcrypt reads 72 bytes of the password and no more; its bcrypt_sha256 exists for that.
            boolean truncated = hasher.equals("bcrypt") && m.password().getBytes(StandardCharsets.UTF_8).length > 72;
            assertThat(verify(credential, shorter)).isEqualTo(truncated);
            assertThat(credential.getPasswordCredentialData().getAdditionalParameters().getFirst(LegacyHashes.FINGERPRINT))
                    .isEqualTo(LegacyHashes.fingerprint(m.hash()));
        }
    }

    @Test
    void djangoFormatsBecomeKeycloaksOwnAlgorithms() {
        PasswordCredentialModel pbkdf2 = first("pbkdf2_sha256").credential();
        assertThat(pbkdf2.getPasswordCredentialData().getAlgorithm()).isEqualTo("pbkdf2-sha256");
        assertThat(pbkdf2.getPasswordCredentialData().getHashIterations()).isEqualTo(1000);
        // The salt is Django's salt text; Keycloak keeps its bytes (and writes them as base64).
        String djangoSalt = made.stream().filter(m -> m.hasher().equals("pbkdf2_sha256")).findFirst().orElseThrow()
                .hash().split("\\$")[2];
        assertThat(new String(pbkdf2.getPasswordSecretData().getSalt(), StandardCharsets.US_ASCII)).isEqualTo(djangoSalt);
        assertThat(first("pbkdf2_sha1").credential().getPasswordCredentialData().getAlgorithm()).isEqualTo("pbkdf2");

        PasswordCredentialModel argon2 = first("argon2").credential();
        MultivaluedHashMap<String, String> parameters = argon2.getPasswordCredentialData().getAdditionalParameters();
        assertThat(argon2.getPasswordCredentialData().getAlgorithm()).isEqualTo("argon2");
        assertThat(parameters.getFirst("type")).isEqualTo("id");
        assertThat(parameters.getFirst("version")).isEqualTo("1.3");
        assertThat(parameters.getFirst("hashLength")).isEqualTo(Integer.toString(
                Base64.getDecoder().decode(argon2.getPasswordSecretData().getValue()).length));
        // Keycloak compares padded base64.
        assertThat(argon2.getPasswordSecretData().getValue()).endsWith("=");

        assertThat(first("bcrypt").credential().getPasswordCredentialData().getAlgorithm()).isEqualTo(BcryptHashProvider.ID);
        assertThat(first("bcrypt_sha256").credential().getPasswordCredentialData().getAlgorithm())
                .isEqualTo(BcryptSha256HashProvider.ID);
        assertThat(first("scrypt").credential().getPasswordSecretData().getValue()).startsWith("scrypt:16384:8:1$");
    }

    @Test
    void refusesWhatCannotBeCarriedOverWithAReason() {
        assertThat(LegacyHashes.convert("!Xn3kT0CpgsC9r9Ea8ayIxYmiGSpjyWRTUnIL7Xzv").refusal())
                .startsWith("unusable password");
        assertThat(LegacyHashes.convert("").refusal()).isEqualTo("no password hash");
        assertThat(LegacyHashes.convert(null).refusal()).isEqualTo("no password hash");
        assertThat(LegacyHashes.convert("md5$salt$0123").refusal()).isEqualTo("unsupported password hasher 'md5'");
        assertThat(LegacyHashes.convert("sha256$salt$0123").refusal()).isEqualTo("unsupported password hasher 'sha256'");
        assertThat(LegacyHashes.convert("5f4dcc3b5aa765d61d8327deb882cf99").refusal())
                .isEqualTo("unsupported password hasher 'unknown (no algorithm prefix)'");
        assertThat(LegacyHashes.convert("pbkdf2_sha256$abc$salt$AAAA").refusal()).startsWith("malformed pbkdf2_sha256 hash");
        assertThat(LegacyHashes.convert("bcrypt$$2b$12$short").refusal()).startsWith("malformed bcrypt hash");
        assertThat(LegacyHashes.convert("pbkdf2:md5:1000$salt$00").refusal()).startsWith("malformed pbkdf2 hash");
        assertThat(LegacyHashes.convert("scrypt:1048576:8:1$salt$00").refusal())
                .contains("more than 128 MiB");
    }

    private static LegacyHashes.Conversion first(String hasher) {
        return LegacyHashes.convert(made.stream().filter(m -> m.hasher().equals(hasher)).findFirst().orElseThrow().hash());
    }

    /** As Keycloak verifies: its own providers' computation for its algorithms, the pack's providers for theirs. */
    static boolean verify(PasswordCredentialModel credential, String password) {
        String algorithm = credential.getPasswordCredentialData().getAlgorithm();
        PasswordHashProvider pack = switch (algorithm) {
            case BcryptHashProvider.ID -> new BcryptHashProvider();
            case BcryptSha256HashProvider.ID -> new BcryptSha256HashProvider();
            case WerkzeugPbkdf2HashProvider.ID -> new WerkzeugPbkdf2HashProvider();
            case WerkzeugScryptHashProvider.ID -> new WerkzeugScryptHashProvider();
            default -> null;
        };
        if (pack != null) {
            return pack.verify(password, credential);
        }
        try {
            return switch (algorithm) {
                case "pbkdf2-sha256", "pbkdf2" -> keycloakPbkdf2(credential, password,
                        algorithm.equals("pbkdf2") ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256");
                case "argon2" -> keycloakArgon2(credential, password);
                default -> throw new AssertionError(algorithm);
            };
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Pbkdf2PasswordHashProvider.verify: key size from the stored value, base64 of the derived key compared. */
    private static boolean keycloakPbkdf2(PasswordCredentialModel c, String password, String jca) throws Exception {
        int keySize = Base64.getMimeDecoder().decode(c.getPasswordSecretData().getValue()).length * 8;
        byte[] key = SecretKeyFactory.getInstance(jca).generateSecret(new PBEKeySpec(password.toCharArray(),
                c.getPasswordSecretData().getSalt(), c.getPasswordCredentialData().getHashIterations(), keySize)).getEncoded();
        return Base64.getEncoder().encodeToString(key).equals(c.getPasswordSecretData().getValue());
    }

    /** Argon2PasswordHashProvider.verify (keycloak-crypto-default): its parameters, BouncyCastle's generator. */
    private static boolean keycloakArgon2(PasswordCredentialModel c, String password) {
        MultivaluedHashMap<String, String> p = c.getPasswordCredentialData().getAdditionalParameters();
        Map<String, Integer> types = Map.of("id", Argon2Parameters.ARGON2_id, "i", Argon2Parameters.ARGON2_i,
                "d", Argon2Parameters.ARGON2_d);
        Map<String, Integer> versions = Map.of("1.3", Argon2Parameters.ARGON2_VERSION_13,
                "1.0", Argon2Parameters.ARGON2_VERSION_10);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(types.get(p.getFirst("type")))
                .withVersion(versions.get(p.getFirst("version")))
                .withSalt(c.getPasswordSecretData().getSalt())
                .withParallelism(Integer.parseInt(p.getFirst("parallelism")))
                .withMemoryAsKB(Integer.parseInt(p.getFirst("memory")))
                .withIterations(c.getPasswordCredentialData().getHashIterations()).build());
        byte[] result = new byte[Integer.parseInt(p.getFirst("hashLength"))];
        generator.generateBytes(password.toCharArray(), result);
        return Base64.getEncoder().encodeToString(result).equals(c.getPasswordSecretData().getValue());
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20 || ch > 0x7e) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    /** The script's output: a JSON array of [hasher, password, hash] arrays (core has no JSON library of its own). */
    private static List<Made> parse(String json) {
        List<Made> result = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        StringBuilder current = null;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (current == null) {
                if (ch == '"') {
                    current = new StringBuilder();
                }
            } else if (ch == '\\') {
                char next = json.charAt(++i);
                if (next == 'u') {
                    current.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    current.append(next == 'n' ? '\n' : next);
                }
            } else if (ch == '"') {
                strings.add(current.toString());
                current = null;
                if (strings.size() == 3) {
                    result.add(new Made(strings.get(0), strings.get(1), strings.get(2)));
                    strings.clear();
                }
            } else {
                current.append(ch);
            }
        }
        return result;
    }
}
