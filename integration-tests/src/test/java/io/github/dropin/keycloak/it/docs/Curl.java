package io.github.dropin.keycloak.it.docs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A curl command of a walk-through, sent the way curl sends it. Only the options the pages use are known, and
 * any other fails the test, so a page cannot show an option whose effect the replay would ignore:
 * {@code -s}, {@code -i}, {@code -X}, {@code -H}, {@code -d}/{@code --data}, {@code --data-urlencode},
 * {@code -o /dev/null} and {@code -w "%{http_code}\n"} (together: print the status only).
 *
 * <p>As curl does: {@code -d} makes a POST, several data parts are joined with {@code &}, and a body without a
 * {@code Content-Type} header is sent as {@code application/x-www-form-urlencoded}; {@code --data-urlencode
 * name=value} percent-encodes the value. HTTP/1.1, no redirects followed.
 */
public record Curl(String method, String url, Map<String, String> headers, String body, boolean include,
                   boolean statusOnly) {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** What the server answered. */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        /** The first value of a header, by case-insensitive name, or {@code null}. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** Reads {@code words} (the first is {@code curl}). */
    public static Curl parse(List<String> words) {
        if (words.isEmpty() || !words.get(0).equals("curl")) {
            throw new IllegalArgumentException("Not a curl command: " + words);
        }
        String method = null;
        String url = null;
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> data = new ArrayList<>();
        boolean include = false;
        String output = null;
        String writeOut = null;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "-X", "--request" -> method = argument(words, ++i, w);
                case "-H", "--header" -> {
                    String header = argument(words, ++i, w);
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("Header without a name: " + header);
                    }
                    headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
                case "-d", "--data", "--data-raw" -> {
                    String part = argument(words, ++i, w);
                    if (part.startsWith("@") && !w.equals("--data-raw")) {
                        throw new IllegalArgumentException("-d @file is not replayable: " + part);
                    }
                    data.add(part);
                }
                case "--data-urlencode" -> data.add(urlEncoded(argument(words, ++i, w)));
                case "-o", "--output" -> output = argument(words, ++i, w);
                case "-w", "--write-out" -> writeOut = argument(words, ++i, w);
                case "--include" -> include = true;
                case "--silent" -> {
                }
                default -> {
                    if (w.matches("-[si]+")) {
                        include |= w.contains("i");
                    } else if (w.startsWith("-")) {
                        throw new IllegalArgumentException("curl option " + w + " is not replayable");
                    } else if (url != null) {
                        throw new IllegalArgumentException("Two URLs: " + url + " and " + w);
                    } else {
                        url = w;
                    }
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("curl without a URL: " + words);
        }
        boolean statusOnly = false;
        if (output != null || writeOut != null) {
            if (!"/dev/null".equals(output) || !"%{http_code}\\n".equals(writeOut)) {
                throw new IllegalArgumentException("Only -o /dev/null -w \"%{http_code}\\n\" together are replayable");
            }
            statusOnly = true;
        }
        String body = data.isEmpty() ? null : String.join("&", data);
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        if (method == null) {
            method = body == null ? "GET" : "POST";
        }
        return new Curl(method, url, headers, body, include, statusOnly);
    }

    /** Sends the request. */
    public Response send() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        // curl's default; Java's client sends none.
        request.header("Accept", "*/*");
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Accept")) {
                request.setHeader(name, value);
            } else {
                request.header(name, value);
            }
        });
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = CLIENT.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    private static String argument(List<String> words, int i, String option) {
        if (i >= words.size()) {
            throw new IllegalArgumentException(option + " without its argument");
        }
        return words.get(i);
    }

    /** curl's {@code --data-urlencode name=value}: the value percent-encoded, spaces as {@code %20}. */
    static String urlEncoded(String part) {
        int eq = part.indexOf('=');
        String name = eq < 0 ? "" : part.substring(0, eq);
        String value = eq < 0 ? part : part.substring(eq + 1);
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return name.isEmpty() ? encoded : name + "=" + encoded;
    }

    @Override
    public String toString() {
        return method.toUpperCase(Locale.ROOT) + " " + url + (body == null ? "" : " " + body);
    }
}
