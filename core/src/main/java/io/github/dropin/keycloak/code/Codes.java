package io.github.dropin.keycloak.code;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pure code arithmetic, free of Keycloak so it is unit-tested on its own: generation, normalisation of what
 * clients submit, keyed hashing and constant-time comparison.
 */
public final class Codes {

    private static final String HMAC = "HmacSHA256";

    private Codes() {
    }

    /** A uniformly random code of exactly {@code length} digits (leading zeros kept). */
    public static String generate(RandomGenerator random, int length) {
        int bound = (int) Math.pow(10, length);
        return String.format("%0" + length + "d", random.nextInt(bound));
    }

    /**
     * What a client submitted, as the {@code length}-digit string it stands for, or {@code null} if it cannot be a
     * code. Accepts strings ({@code "012345"}, {@code " 12345 "}) and integral numbers ({@code 12345}); shorter
     * values are left-padded with zeros, because apps that send codes as JSON numbers lose leading zeros.
     */
    public static String normalise(Object submitted, int length) {
        String digits;
        if (submitted instanceof CharSequence text) {
            digits = text.toString().strip();
        } else if (submitted instanceof Integer || submitted instanceof Long || submitted instanceof Short
                || submitted instanceof BigInteger) {
            digits = submitted.toString();
        } else if (submitted instanceof BigDecimal decimal) {
            try {
                digits = decimal.toBigIntegerExact().toString();
            } catch (ArithmeticException notIntegral) {
                return null;
            }
        } else {
            return null;
        }
        if (digits.isEmpty() || digits.length() > length) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return "0".repeat(length - digits.length()) + digits;
    }

    /** HMAC-SHA256 over the parts, separated by NUL so that no two part lists collide. */
    public static byte[] hmac(SecretKey key, String... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.getEncoded(), HMAC));
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    mac.update((byte) 0);
                }
                mac.update(parts[i].getBytes(StandardCharsets.UTF_8));
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String hmacBase64(SecretKey key, String... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, parts));
    }

    /** Constant-time equality of two base64url strings (by their bytes). */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A short, non-reversible stand-in for a subject in store keys, so that keys hold no phone numbers or emails. */
    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 18));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
