package io.github.dropin.keycloak.rest.http;

import java.util.Locale;

/**
 * One way a caller presents credentials in the {@code Authorization} header ({@code <keyword> <credential>}), as a
 * dialect's OpenAPI description states it ({@link OpenApi}). Authenticators say which they accept
 * ({@link CallerAuthenticator#schemes()}).
 *
 * @param keyword      the header's first word: {@code Token} (Django REST framework), {@code Bearer}
 * @param bearerFormat what follows {@code Bearer}, e.g. {@code JWT}; {@code null} when it is an opaque key
 * @param description  what the credential is and where a client gets it
 */
public record AuthScheme(String keyword, String bearerFormat, String description) {

    /** {@code Authorization: Bearer <credential>}. */
    public static AuthScheme bearer(String bearerFormat, String description) {
        return new AuthScheme("Bearer", bearerFormat, description);
    }

    /** {@code Authorization: <keyword> <key>}, Django REST framework's {@code TokenAuthentication}. */
    public static AuthScheme keyword(String keyword, String description) {
        return new AuthScheme(keyword, null, description);
    }

    /** Its key under {@code components.securitySchemes}: {@code tokenAuth}, {@code bearerAuth}. */
    public String name() {
        return keyword.toLowerCase(Locale.ROOT) + "Auth";
    }

    public boolean isBearer() {
        return keyword.equalsIgnoreCase("Bearer");
    }
}
