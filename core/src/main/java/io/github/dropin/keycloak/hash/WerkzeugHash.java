package io.github.dropin.keycloak.hash;

import java.util.HexFormat;
import java.util.List;

/**
 * Werkzeug's hash text {@code <method>:<param>:...$<salt>$<hex>} split into its fields, as both of its methods
 * ({@code pbkdf2}, {@code scrypt}) write it; what the parameters mean and which values are allowed is the method's
 * provider's.
 *
 * @param params the method's parameters, after its name
 * @param salt   the salt as written (Werkzeug hashes its UTF-8 bytes)
 * @param hex    the derived key in hex
 */
record WerkzeugHash(List<String> params, String salt, String hex) {

    /**
     * @param format the method's format for the message, starting with its name ({@code scrypt:<N>:<r>:<p>$...})
     * @param params how many parameters the method has
     * @throws IllegalArgumentException when {@code stored} is not of that method or has another number of parameters
     */
    static WerkzeugHash split(String stored, String format, int params) {
        String[] parts = stored.split("\\$", -1);
        String[] method = parts[0].split(":", -1);
        String name = format.substring(0, format.indexOf(':'));
        if (parts.length != 3 || method.length != params + 1 || !method[0].equals(name)) {
            throw new IllegalArgumentException("not " + format);
        }
        return new WerkzeugHash(List.of(method).subList(1, method.length), parts[1], parts[2]);
    }

    /** Parameter {@code index} as a whole number. */
    int number(int index) {
        return Integer.parseInt(params.get(index));
    }

    /** The derived key's bytes. */
    byte[] hash() {
        return HexFormat.of().parseHex(hex);
    }
}
