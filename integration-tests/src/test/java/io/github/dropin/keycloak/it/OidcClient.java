package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application side of an OIDC authorization-code flow with PKCE (S256), for browser tests: builds the
 * authorization URL, receives the redirect on a loopback HTTP server of its own, checks {@code state}, and exchanges
 * the code (with the verifier) at the realm's token endpoint.
 *
 * <pre>
 * try (OidcClient app = OidcClient.start(realm, "native-app")) {
 *     OidcClient.Authorization auth = app.authorization();
 *     browser.open(auth.url());
 *     ... sign in ...
 *     JsonNode tokens = app.exchange(auth, browser.awaitUrlStartingWith(app.redirectUri()));
 * }
 * </pre>
 */
public final class OidcClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestRealm realm;
    private final String clientId;
    private final HttpServer callback;

    private OidcClient(TestRealm realm, String clientId, HttpServer callback) {
        this.realm = realm;
        this.clientId = clientId;
        this.callback = callback;
    }

    /** A public client with PKCE whose redirect URIs allow {@code http://127.0.0.1:*}. */
    public static OidcClient start(TestRealm realm, String clientId) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/callback", exchange -> {
                byte[] body = "<!DOCTYPE html><title>callback</title><p id=\"callback\">Signed in.</p>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new OidcClient(realm, clientId, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String redirectUri() {
        return "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
    }

    /** One authorization request: its URL and the secrets the app keeps. */
    public record Authorization(String url, String state, String verifier) {
    }

    /** An authorization request for {@code scope=openid} plus {@code extra} parameters (e.g. {@code kc_action}). */
    public Authorization authorization(Map<String, String> extra) {
        String state = random(16);
        String verifier = random(48);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        params.put("scope", "openid");
        params.put("redirect_uri", redirectUri());
        params.put("state", state);
        params.put("nonce", random(16));
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        StringBuilder url = new StringBuilder(realm.realmUrl()).append("/protocol/openid-connect/auth?");
        params.forEach((k, v) -> url.append(encode(k)).append('=').append(encode(v)).append('&'));
        return new Authorization(url.substring(0, url.length() - 1), state, verifier);
    }

    public Authorization authorization() {
        return authorization(Map.of());
    }

    /** The query parameters of the URL the browser was redirected to. */
    public static Map<String, String> query(String url) {
        Map<String, String> params = new HashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return params;
    }

    /**
     * Checks the redirect ({@code state}, no {@code error}) and exchanges its code with the verifier. Fails the test
     * unless the token endpoint answers 200; returns its JSON (access, refresh and ID token).
     */
    public JsonNode exchange(Authorization authorization, String redirectedUrl) {
        Map<String, String> params = query(redirectedUrl);
        if (params.containsKey("error")) {
            throw new AssertionError("Authorization failed: " + params);
        }
        if (!authorization.state().equals(params.get("state"))) {
            throw new AssertionError("state mismatch: " + params);
        }
        String body = RestAssured.given()
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code")
                .formParam("client_id", clientId)
                .formParam("code", params.get("code"))
                .formParam("redirect_uri", redirectUri())
                .formParam("code_verifier", authorization.verifier())
                .post(realm.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().asString();
        try {
            return AdminApi.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("token response is not JSON: " + body, e);
        }
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        callback.stop(0);
    }
}
