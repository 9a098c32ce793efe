package io.github.dropin.keycloak.code;

/**
 * A freshly issued code. The plain code exists only here, on its way to the sender; the store keeps a keyed hash.
 *
 * @param code            the digits to send
 * @param lifetimeSeconds how long it is valid
 * @param expiresAt       expiry, epoch seconds
 */
public record IssuedCode(String code, int lifetimeSeconds, long expiresAt) {

    @Override
    public String toString() {
        // Never let a code reach a log line through string concatenation.
        return "IssuedCode[code=***, lifetimeSeconds=" + lifetimeSeconds + ", expiresAt=" + expiresAt + "]";
    }
}
