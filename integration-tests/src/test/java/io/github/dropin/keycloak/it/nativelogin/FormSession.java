package io.github.dropin.keycloak.it.nativelogin;

import io.restassured.response.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * One browser's authentication session over plain HTTP, for tests that need what a browser cannot do (the same form
 * posted 50 times at once): keeps the cookies Keycloak sets and the action URL of the last page's form.
 */
final class FormSession {

    private static final Pattern ACTION = Pattern.compile("<form[^>]*\\saction=\"([^\"]+)\"");

    private final Map<String, String> cookies = new HashMap<>();
    private String action;

    /** GETs {@code url} (already encoded, as Keycloak's pages give it; without following redirects). */
    Response get(String url) {
        return remember(given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies).get(url));
    }

    /** Posts {@code fields} to the current page's form (without following redirects) and reads the next page. */
    Response submit(Map<String, String> fields) {
        return remember(post(fields));
    }

    /** Posts {@code fields} to the current page's form without taking anything from the answer: for parallel posts. */
    Response post(Map<String, String> fields) {
        if (action == null) {
            throw new AssertionError("no form on the last page");
        }
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(name)).append('=')
                .append(encode(value)));
        // The action URL is Keycloak's, already encoded: sent as it is, with the form encoded here.
        return given().urlEncodingEnabled(false).redirects().follow(false).cookies(Map.copyOf(cookies))
                .contentType("application/x-www-form-urlencoded").body(body.toString()).post(action);
    }

    /** Follows a redirect answer (303/302) with a GET, as a browser would. */
    Response follow(Response redirect) {
        String location = redirect.header("Location");
        if (location == null) {
            throw new AssertionError("not a redirect: " + redirect.statusCode() + " " + redirect.asString());
        }
        return get(location);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Response remember(Response response) {
        cookies.putAll(response.getCookies());
        Matcher form = ACTION.matcher(response.asString());
        if (form.find()) {
            action = form.group(1).replace("&amp;", "&");
        }
        return response;
    }
}
