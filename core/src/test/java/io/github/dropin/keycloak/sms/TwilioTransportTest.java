package io.github.dropin.keycloak.sms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real Twilio SDK (Message creator, REST client, JSON and error parsing) over {@link TwilioTransport}, against
 * a loopback HTTP server: base URL, credentials, form fields, error bodies, one attempt, and the deadline.
 * The same behaviour inside Keycloak, with the shaded SDK, is covered by the integration tests.
 */
class TwilioTransportTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok-" + "5f4dcc3b5aa765d61d8327deb882cf99";

    record Recorded(String method, String path, String authorization, String contentType, Map<String, String> form) {
    }

    interface Behaviour {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    HttpServer server;
    OutboundHttp http;
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    volatile Behaviour behaviour;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), form(body)));
            try {
                behaviour.answer(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        http = new OutboundHttp();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    TwilioRestClient client(Duration deadline) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fake");
        return new TwilioRestClient.Builder(ACCOUNT, TOKEN)
                .httpClient(new TwilioTransport(http.client(Duration.ofSeconds(2)), base, deadline))
                .build();
    }

    static Message send(TwilioRestClient client) {
        return Message.creator(new PhoneNumber("+4915112345678"), new PhoneNumber("+15005550006"),
                "Acme: your code is 123456").create(client);
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String created(Map<String, String> form) {
        return "{\"account_sid\": \"" + ACCOUNT + "\", \"api_version\": \"2010-04-01\", \"body\": \"" + form.get("Body")
                + "\", \"date_created\": \"Thu, 24 Aug 2023 05:01:45 +0000\", \"date_sent\": null, "
                + "\"date_updated\": \"Thu, 24 Aug 2023 05:01:45 +0000\", \"direction\": \"outbound-api\", "
                + "\"error_code\": null, \"error_message\": null, \"from\": \"" + form.get("From") + "\", "
                + "\"messaging_service_sid\": null, \"num_media\": \"0\", \"num_segments\": \"1\", \"price\": null, "
                + "\"price_unit\": null, \"sid\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"queued\", "
                + "\"subresource_uris\": {}, \"to\": \"" + form.get("To") + "\", \"uri\": \"/2010-04-01/Accounts/"
                + ACCOUNT + "/Messages/SM0123456789abcdef0123456789abcdef.json\"}";
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Test
    void theSdksRequestGoesToTheBaseUrlWithBasicAuthAndFormFields() {
        behaviour = exchange -> json(exchange, 201, created(requests.get(requests.size() - 1).form()));

        Message message = send(client(Duration.ofSeconds(5)));

        assertThat(message.getSid()).isEqualTo("SM0123456789abcdef0123456789abcdef");
        assertThat(message.getStatus()).isEqualTo(Message.Status.QUEUED);
        assertThat(requests).hasSize(1);
        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/fake/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json");
        assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.US_ASCII)));
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(request.form()).containsOnly(Map.entry("To", "+4915112345678"), Map.entry("From", "+15005550006"),
                Map.entry("Body", "Acme: your code is 123456"));
    }

    @Test
    void twilioErrorBodiesBecomeTheSdksApiException() {
        behaviour = exchange -> json(exchange, 400, "{\"code\": 21211, \"message\": \"Invalid 'To' Phone Number: "
                + "+4915112345678\", \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");

        assertThatThrownBy(() -> send(client(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(21211);
                    assertThat(e.getStatusCode()).isEqualTo(400);
                });
    }

    @Test
    void aServerErrorIsNotRepeated() {
        behaviour = exchange -> json(exchange, 503, "{\"code\": 20503, \"message\": \"Service unavailable\", "
                + "\"more_info\": \"https://www.twilio.com/docs/errors/20503\", \"status\": 503}");

        assertThatThrownBy(() -> send(client(Duration.ofSeconds(5)))).isInstanceOf(ApiException.class);
        assertThat(requests).as("the SDK alone would try three times").hasSize(1);
    }

    @Test
    void aHangingServerIsCutOffAtTheDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        behaviour = exchange -> {
            if (!release.await(30, TimeUnit.SECONDS)) {
                return;
            }
            json(exchange, 201, created(requests.get(0).form()));
        };
        try {
            assertThatThrownBy(() -> send(client(Duration.ofMillis(500))))
                    .isInstanceOf(ApiConnectionException.class)
                    .hasMessageContaining("no answer from the Twilio API within 500 ms")
                    .hasCauseInstanceOf(TimeoutException.class);
            // The server was still holding the request: the caller gave up, not the server.
            assertThat(release.getCount()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSlowAnswerWithinTheDeadlineIsFine() {
        behaviour = exchange -> {
            Thread.sleep(300);
            json(exchange, 201, created(requests.get(0).form()));
        };
        assertThat(send(client(Duration.ofSeconds(5))).getSid()).startsWith("SM");
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TwilioRestClient client = new TwilioRestClient.Builder(ACCOUNT, TOKEN)
                .httpClient(new TwilioTransport(http.client(Duration.ofSeconds(2)),
                        URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(3)))
                .build();
        assertThatThrownBy(() -> send(client)).isInstanceOf(ApiConnectionException.class)
                .hasMessageStartingWith("cannot reach the Twilio API");
    }

    @Test
    void targetKeepsPathAndQueryUnderTheBaseUrl() {
        URI original = URI.create("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=1");
        assertThat(TwilioTransport.target(URI.create("https://api.twilio.com"), original)).isEqualTo(original);
        assertThat(TwilioTransport.target(URI.create("http://127.0.0.1:8099/twilio"), original))
                .isEqualTo(URI.create("http://127.0.0.1:8099/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=1"));
    }

    @Test
    void formEncodesUtf8() {
        assertThat(TwilioTransport.form(Map.of("Body", List.of("Ä & ü = 1+1 ✓"))))
                .isEqualTo("Body=%C3%84+%26+%C3%BC+%3D+1%2B1+%E2%9C%93");
    }
}
