package io.github.dropin.keycloak.rest.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Map;

/**
 * Keeps Keycloak's security headers on dialect answers to requests whose {@code Content-Type} cannot be parsed
 * ({@code foo}, {@code ;;;}, an empty value).
 * <p>
 * Keycloak adds its security headers in a JAX-RS response filter that parses the request's {@code Content-Type}
 * to choose them; for such a header the parse throws, and the dialect's well-formed 4xx turns into a 500 (checked in
 * 26.7.3: {@code DefaultSecurityHeadersProvider.addHeaders}). For those requests only, the filter is told to skip,
 * and the headers it would have added to a JSON answer are added here, with the realm's values and Keycloak's
 * defaults.
 */
final class SecurityHeaders {

    /** What Keycloak adds to JSON ("REST") answers. */
    private static final List<BrowserSecurityHeaders> REST = List.of(
            BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY,
            BrowserSecurityHeaders.X_FRAME_OPTIONS,
            BrowserSecurityHeaders.X_CONTENT_TYPE_OPTIONS,
            BrowserSecurityHeaders.REFERRER_POLICY,
            BrowserSecurityHeaders.X_ROBOTS_TAG);

    private SecurityHeaders() {
    }

    /** The answer to return: unchanged, unless the request's content type would break Keycloak's header filter. */
    static Response guard(KeycloakSession session, Response response) {
        if (parseable(session.getContext().getRequestHeaders())) {
            return response;
        }
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        RealmModel realm = session.getContext().getRealm();
        Map<String, String> configured = realm == null ? Map.of() : realm.getBrowserSecurityHeaders();
        Response.ResponseBuilder builder = Response.fromResponse(response);
        for (BrowserSecurityHeaders header : REST) {
            String value = configured.getOrDefault(header.getKey(), header.getDefaultValue());
            if (value != null && !value.isEmpty()) {
                builder.header(header.getHeaderName(), value);
            }
        }
        return builder.build();
    }

    private static boolean parseable(HttpHeaders headers) {
        try {
            headers.getMediaType();
            return true;
        } catch (IllegalArgumentException unparseable) {
            return false;
        }
    }
}
