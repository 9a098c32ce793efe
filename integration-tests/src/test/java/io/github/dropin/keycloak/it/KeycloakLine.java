package io.github.dropin.keycloak.it;

/**
 * Which Keycloak line the tests run against (README "Compatibility"): {@code -Dkeycloak.line=26.4} builds and tests the
 * pack against Keycloak 26.4, where a few things the pack does on 26.7 are not possible. Tests ask here rather than
 * parse versions themselves.
 */
public final class KeycloakLine {

    private KeycloakLine() {
    }

    /** The Keycloak version under test, e.g. {@code 26.7.3}. */
    public static String version() {
        return System.getProperty("dropin.it.keycloakVersion", "");
    }

    /** The Keycloak line under test, e.g. {@code 26.7}: the version's first two numbers. */
    public static String line() {
        String[] parts = version().split("\\.");
        return parts.length < 2 ? "" : parts[0] + "." + parts[1];
    }

    /**
     * Whether Keycloak has the refresh-token provider SPI (not in 26.4), through which the legacy claims reach refresh
     * tokens from Keycloak's own token endpoint too; on 26.4 only the dialects' refresh tokens carry them.
     */
    public static boolean refreshTokenProviders() {
        return !version().startsWith("26.4.");
    }

    /** Whether Keycloak hides internal components from the admin API (not in 26.4, where the pack's code secret is listed). */
    public static boolean internalComponents() {
        return !version().startsWith("26.4.");
    }

    /**
     * Whether Keycloak's own endpoints ignore a path parameter such as {@code ;jsessionid=x} (26.7) rather than
     * answering 400/405 for it (26.4).
     */
    public static boolean matrixParametersIgnored() {
        return !version().startsWith("26.4.");
    }

    /**
     * The status of Keycloak's own token endpoint for a wrong password on the password grant ({@code invalid_grant},
     * "Invalid user credentials"): 400 as RFC 6749 says from 26.7 on, 401 on 26.4.
     */
    public static int invalidCredentialsStatus() {
        return version().startsWith("26.4.") ? 401 : 400;
    }
}
