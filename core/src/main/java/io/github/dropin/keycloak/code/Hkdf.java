package io.github.dropin.keycloak.code;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): derives keys for separate uses from one stored secret, so that the secret itself
 * is never used as a key and another use can later get its own key (another {@code info}) without a new secret.
 */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /**
     * @param ikm    the input keying material (the stored secret)
     * @param salt   a non-secret salt; empty means a string of zeros, as the RFC says
     * @param info   what the key is for
     * @param length bytes of output, at most 255 * 32
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length <= 0 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length out of range: " + length);
        }
        try {
            Mac extract = Mac.getInstance(HMAC);
            extract.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, HMAC));
            byte[] prk = extract.doFinal(ikm);

            Mac expand = Mac.getInstance(HMAC);
            expand.init(new SecretKeySpec(prk, HMAC));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int written = 0;
            for (int i = 1; written < length; i++) {
                expand.update(block);
                expand.update(info);
                expand.update((byte) i);
                block = expand.doFinal();
                int n = Math.min(block.length, length - written);
                System.arraycopy(block, 0, out, written, n);
                written += n;
            }
            Arrays.fill(prk, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
