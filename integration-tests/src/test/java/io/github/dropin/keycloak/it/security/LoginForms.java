package io.github.dropin.keycloak.it.security;

import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keycloak's login pages over plain HTTP, as a browser without JavaScript uses them: GET a page, POST its form to the
 * form's {@code action}, follow redirects, keep the cookies. For tests that need the server's answer to one form
 * post and nothing of a real browser (no Chromium): the HTTP answer comes back or it does not.
 * <p>
 * Cookies are kept by hand because Keycloak marks them {@code Secure} on loopback (a secure context to browsers),
 * which an HTTP client's cookie store would then not send back over plain HTTP.
 */
final class LoginForms {

    private static final Pattern SET_COOKIE = Pattern.compile("^([^=;\\s]+)=([^;]*)");

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final TestRealm realm;

    LoginForms(TestRealm realm) {
        this.realm = realm;
    }

    /** The authorization endpoint for {@code clientId} (redirect URI on loopback, PKCE), answered page. */
    Response startLogin(String clientId) {
        String verifier = "v".repeat(43);
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return get(realm.realmUrl() + "/protocol/openid-connect/auth?client_id=" + clientId
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid&state=s1"
                + "&code_challenge=" + challenge + "&code_challenge_method=S256");
    }

    /** Keycloak's "forgot password" entry, which starts the realm's reset credentials flow for {@code clientId}. */
    Response startReset(String clientId) {
        return get(realm.realmUrl() + "/login-actions/reset-credentials?client_id=" + clientId);
    }

    Response get(String url) {
        Response response = request().get(URI.create(url));
        keepCookies(response);
        return follow(response);
    }

    /** Posts {@code fields} to the action of the form {@code formId} of {@code page}. */
    Response submit(Response page, String formId, Map<String, String> fields) {
        String action = formAction(page.asString(), formId);
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        Response response = request().contentType("application/x-www-form-urlencoded").body(body.toString())
                .post(URI.create(action));
        keepCookies(response);
        return follow(response);
    }

    private Response follow(Response response) {
        Response current = response;
        for (int i = 0; i < 10 && current.statusCode() / 100 == 3; i++) {
            String location = current.header("Location");
            if (location == null || location.startsWith("http://127.0.0.1:9/")) {
                return current;
            }
            current = request().get(URI.create(location));
            keepCookies(current);
        }
        return current;
    }

    private RequestSpecification request() {
        // URLs are used as the server wrote them (already encoded), never encoded a second time.
        RequestSpecification spec = RestAssured.given().urlEncodingEnabled(false)
                .config(RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
            spec.header("Cookie", header.toString());
        }
        return spec;
    }

    private void keepCookies(Response response) {
        for (Header header : response.headers().getList("Set-Cookie")) {
            Matcher m = SET_COOKIE.matcher(header.getValue());
            if (m.find()) {
                if (m.group(2).isEmpty() || header.getValue().toLowerCase().contains("max-age=0")) {
                    cookies.remove(m.group(1));
                } else {
                    cookies.put(m.group(1), m.group(2));
                }
            }
        }
    }

    /** Whether {@code html} has the form {@code formId}. */
    static boolean hasForm(String html, String formId) {
        return html.contains("<form id=\"" + formId + "\"");
    }

    static String formAction(String html, String formId) {
        Matcher m = Pattern.compile("<form id=\"" + Pattern.quote(formId) + "\"[^>]*?action=\"([^\"]+)\"", Pattern.DOTALL)
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("No form " + formId + " in the page:\n" + html);
        }
        return m.group(1).replace("&amp;", "&");
    }

    /** The text of the element with id {@code id} (first occurrence, tags stripped), or null. */
    static String textOf(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").strip() : null;
    }
}
