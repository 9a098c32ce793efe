package io.github.dropin.keycloak.sms;

import com.twilio.Twilio;
import com.twilio.constant.EnumConstants;
import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeoutException;

/**
 * The Twilio SDK's HTTP layer ({@link HttpClient}, plugged in with {@code TwilioRestClient.Builder.httpClient})
 * on the JDK's HTTP client, for three things the SDK's own {@code NetworkHttpClient} cannot do:
 * <ul>
 *     <li>send to a configurable API base URL: the SDK builds {@code https://api.twilio.com/2010-04-01/...}; this
 *         keeps path and query and replaces scheme, host and port (and prefixes the base URL's path), so tests
 *         and regional or proxied endpoints work with the real SDK;</li>
 *     <li>bound the whole exchange by the configured connect and read timeouts (the SDK fixes a 30.5 s connect
 *         timeout on every request, overriding any client configuration);</li>
 *     <li>send once: the SDK repeats a 5xx up to three times, multiplying the wait of a person looking at a login
 *         page. A failed send is answered at once; the request left nothing behind, so the person may retry.</li>
 * </ul>
 * Everything Twilio-specific (URL, form fields, Basic auth, JSON, error bodies) stays the SDK's.
 */
final class TwilioTransport extends HttpClient {

    private final java.net.http.HttpClient http;
    private final URI baseUrl;
    private final Duration deadline;

    /**
     * @param baseUrl  replaces {@code https://<product>.twilio.com}; {@code https://api.twilio.com} in production
     * @param deadline the longest a request may take, connection included
     */
    TwilioTransport(java.net.http.HttpClient http, URI baseUrl, Duration deadline) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.deadline = deadline;
    }

    @Override
    public Response makeRequest(Request request) {
        URI target = target(baseUrl, URI.create(request.constructURL().toString()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(deadline)
                .header("Accept", "application/json")
                .header("X-Twilio-Client", "java-" + Twilio.VERSION)
                .header("User-Agent", "twilio-java/" + Twilio.VERSION + " keycloak-dropin");
        if (request.requiresAuthentication()) {
            builder.header("Authorization", request.getAuthString());
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        String method = request.getMethod().toString().toUpperCase(java.util.Locale.ROOT);
        if (method.equals("GET") || method.equals("DELETE")) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (request.getContentType() != null
                && EnumConstants.ContentType.JSON.getValue().equals(request.getContentType().getValue())) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(
                            request.getBody() == null ? "" : request.getBody(), StandardCharsets.UTF_8));
        } else {
            builder.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(form(request.getPostParams()), StandardCharsets.UTF_8));
        }

        HttpResponse<byte[]> response;
        try {
            response = OutboundHttp.send(http, builder.build(), deadline);
        } catch (TimeoutException e) {
            throw new ApiConnectionException("no answer from the Twilio API within " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            throw new ApiConnectionException("interrupted while waiting for the Twilio API", e);
        } catch (IOException e) {
            // The exception's message may hold the host and port; that is what an operator needs.
            throw new ApiConnectionException("cannot reach the Twilio API: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), e);
        }
        return new Response(new String(response.body(), StandardCharsets.UTF_8), response.statusCode(), headers(response));
    }

    @Override
    protected boolean shouldRetry(Response response, int[] retryCodes) {
        return false;
    }

    /** {@code original}'s path and query under {@code base}. */
    static URI target(URI base, URI original) {
        String path = (base.getRawPath() == null ? "" : base.getRawPath()) + original.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path
                + (original.getRawQuery() != null ? "?" + original.getRawQuery() : ""));
    }

    static String form(Map<String, List<String>> params) {
        StringJoiner body = new StringJoiner("&");
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            for (String value : param.getValue()) {
                body.add(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return body.toString();
    }

    private static Header[] headers(HttpResponse<?> response) {
        // The SDK walks the headers when its debug log is on, and would fail on null.
        return response.headers().map().entrySet().stream()
                .flatMap(h -> h.getValue().stream().map(v -> new BasicHeader(h.getKey(), v)))
                .toArray(Header[]::new);
    }
}
