package io.github.dropin.keycloak.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Twilio's Messages API (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource),
 * on a loopback port, for tests that send through the real Twilio SDK inside Keycloak.
 *
 * <p>It checks each request the way Twilio does, in Twilio's order, and answers with Twilio's JSON:
 * <ol>
 *     <li>{@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, anything else 404 (code 20404);</li>
 *     <li>HTTP Basic auth with the account SID and its auth token, or one of its API keys and the key's secret,
 *         else (and for an unknown account) 401 (code 20003, "Authenticate");</li>
 *     <li>form fields: {@code To} (21604 if missing, 21211 if not E.164), {@code From} or
 *         {@code MessagingServiceSid} (21603 if neither; 21606 for a number the account does not own; 21701 for an
 *         unknown service), {@code Body} (21602 if missing, 21617 above 1600 characters);</li>
 *     <li>then whatever the test told it to do for that recipient ({@link #on}): accept (201 with a message
 *         resource, status {@code queued}, or {@code accepted} for a Messaging Service), fail with a given status
 *         and code, answer slowly, or hang (until {@link #close()} or 60 s) to trip the sender's timeout.</li>
 * </ol>
 * Every request is recorded with what it was answered ({@link #requestsTo}). Accounts are made per test class
 * ({@link #newAccount()}) so classes never see each other's traffic.
 */
public final class FakeTwilio implements AutoCloseable {

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the fake does with an otherwise valid request to one recipient. */
    public sealed interface Behaviour {
        record Accept() implements Behaviour {
        }

        /** Answer {@code status} with Twilio's error body for {@code code}. */
        record Fail(int status, int code, String message) implements Behaviour {
        }

        /** Accept, after {@code delay}. */
        record Slow(Duration delay) implements Behaviour {
        }

        /** Never answer (until the fake closes, or 60 s). */
        record Hang() implements Behaviour {
        }

        /** Hold the request until the test releases {@code hold} (or the fake closes, or 60 s), then accept. */
        record Held(Hold hold) implements Behaviour {
        }

        static Behaviour accept() {
            return new Accept();
        }

        static Behaviour fail(int status, int code, String message) {
            return new Fail(status, code, message);
        }

        static Behaviour slow(Duration delay) {
            return new Slow(delay);
        }

        static Behaviour hang() {
            return new Hang();
        }
    }

    /**
     * A request held by the fake until the test lets it go: for "the answer does not wait for the SMS" without timing.
     * A test sees the request arrive ({@link #awaitArrival}), checks whatever must hold while the SMS is still on
     * its way ({@link #isHolding}), then {@link #release()}s it, and the fake accepts the message.
     */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean holding;

        /** Waits until a request to the held number has arrived; false if none came within {@code timeout}. */
        public boolean awaitArrival(Duration timeout) {
            try {
                return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** True while a request is held: it arrived and has not been answered yet. */
        public boolean isHolding() {
            return holding;
        }

        /** Lets the held request (and any later one) go on to be accepted. */
        public void release() {
            released.countDown();
        }

        private void hold(CountDownLatch closing) {
            holding = true;
            arrived.countDown();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!released.await(50, TimeUnit.MILLISECONDS) && closing.getCount() > 0
                        && System.nanoTime() - deadline < 0) {
                    // waiting for the test
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding = false;
            }
        }
    }

    /** An account of the fake: its SID and token, the numbers it owns, its Messaging Services and API keys. */
    public final class Account {
        private final String sid = "AC" + hex(16);
        private final String authToken = hex(16);
        private final Set<String> numbers = ConcurrentHashMap.newKeySet();
        private final Set<String> services = ConcurrentHashMap.newKeySet();
        private final Map<String, String> apiKeys = new ConcurrentHashMap<>();

        public String sid() {
            return sid;
        }

        public String authToken() {
            return authToken;
        }

        /** A sender number this account owns. */
        public String addNumber(String e164) {
            numbers.add(e164);
            return e164;
        }

        /** A new Messaging Service of this account (MG...). */
        public String addMessagingService() {
            String service = "MG" + hex(16);
            services.add(service);
            return service;
        }

        /** A new API key of this account: {@code [SK..., secret]}. */
        public List<String> addApiKey() {
            String key = "SK" + hex(16);
            String secret = hex(16);
            apiKeys.put(key, secret);
            return List.of(key, secret);
        }
    }

    /** One request as received, and the status it got (0 while still unanswered). */
    public record Request(String method, String path, String authorization, String contentType,
                          Map<String, String> form, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);

    private FakeTwilio() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the fake Twilio", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeTwilio start() {
        return new FakeTwilio();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The API base URL to configure in Keycloak (as Keycloak reaches this machine). */
    public String baseUrl(KeycloakServer keycloak) {
        return keycloak.hostUrl(port());
    }

    public Account newAccount() {
        Account account = new Account();
        accounts.put(account.sid(), account);
        return account;
    }

    /** From now on, valid requests to {@code to} get {@code behaviour} (default: accept). */
    public void on(String to, Behaviour behaviour) {
        behaviours.put(to, behaviour);
    }

    /** From now on, valid requests to {@code to} are held until the returned {@link Hold} is released. */
    public Hold hold(String to) {
        Hold hold = new Hold();
        behaviours.put(to, new Behaviour.Held(hold));
        return hold;
    }

    /** Requests whose {@code To} was {@code to}, oldest first. */
    public List<Request> requestsTo(String to) {
        return requests.stream().filter(r -> to.equals(r.form().get("To"))).toList();
    }

    /** The single request to {@code to}; fails unless there was exactly one. */
    public Request onlyRequestTo(String to) {
        List<Request> matching = requestsTo(to);
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one request to " + to + " but got " + matching);
        }
        return matching.get(0);
    }

    /** True while a request to {@code to} is being held by {@link Behaviour.Hang}. */
    public boolean isHanging(String to) {
        return hanging.contains(to);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = form(body);
            int index = requests.size();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), form, 0));
            Answer answer = answer(exchange, form);
            requests.set(index, new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), form, answer.status()));
            byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Twilio-Request-Id", "RQ" + hex(16));
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            // The sender gave up (timeout) before the answer: what the hang behaviour is for.
        }
    }

    private record Answer(int status, String json) {
    }

    private Answer answer(HttpExchange exchange, Map<String, String> form) {
        String path = exchange.getRequestURI().getRawPath();
        Matcher matcher = MESSAGES.matcher(path);
        if (!exchange.getRequestMethod().equals("POST") || !matcher.matches()) {
            return error(404, 20404, "The requested resource " + path + " was not found");
        }
        Account account = authenticate(exchange.getRequestHeaders().getFirst("Authorization"), matcher.group(1));
        if (account == null) {
            return error(401, 20003, "Authenticate");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return error(400, 21604, "A 'To' phone number is required.");
        }
        String to = form.get("To");
        if (to == null || to.isBlank()) {
            return error(400, 21604, "A 'To' phone number is required.");
        }
        if (!E164.matcher(to).matches()) {
            return error(400, 21211, "Invalid 'To' Phone Number: " + to);
        }
        String from = form.get("From");
        String service = form.get("MessagingServiceSid");
        if (service != null && !account.services.contains(service)) {
            return error(400, 21701, "The Messaging Service Sid " + service + " is invalid.");
        }
        if (service == null && (from == null || from.isBlank())) {
            return error(400, 21603, "A 'From' phone number is required.");
        }
        if (service == null && !account.numbers.contains(from)) {
            return error(400, 21606, "The From phone number " + from
                    + " is not a valid, SMS-capable inbound phone number or short code for your account.");
        }
        String text = form.get("Body");
        if (text == null || text.isEmpty()) {
            return error(400, 21602, "Message body is required.");
        }
        if (text.length() > 1600) {
            return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }

        Behaviour behaviour = behaviours.getOrDefault(to, Behaviour.accept());
        if (behaviour instanceof Behaviour.Fail fail) {
            return error(fail.status(), fail.code(), fail.message());
        }
        if (behaviour instanceof Behaviour.Slow slow) {
            pause(slow.delay());
        }
        if (behaviour instanceof Behaviour.Held held) {
            held.hold().hold(closing);
        }
        if (behaviour instanceof Behaviour.Hang) {
            hanging.add(to);
            try {
                closing.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hanging.remove(to);
            }
        }
        return new Answer(201, created(account, to, from, service, text));
    }

    private Account authenticate(String header, String pathAccount) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Account account = accounts.get(pathAccount);
        if (account == null) {
            return null;
        }
        boolean accountAuth = user.equals(account.sid()) && password.equals(account.authToken());
        boolean keyAuth = password.equals(account.apiKeys.get(user));
        return accountAuth || keyAuth ? account : null;
    }

    private static Answer error(int status, int code, String message) {
        return new Answer(status, "{\"code\": " + code + ", \"message\": " + quote(message)
                + ", \"more_info\": \"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}");
    }

    /** A message resource as Twilio returns it on creation. */
    private static String created(Account account, String to, String from, String service, String body) {
        String sid = "SM" + hex(16);
        String now = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
        return "{\"account_sid\": " + quote(account.sid()) + ", \"api_version\": \"2010-04-01\", \"body\": " + quote(body)
                + ", \"date_created\": " + quote(now) + ", \"date_sent\": null, \"date_updated\": " + quote(now)
                + ", \"direction\": \"outbound-api\", \"error_code\": null, \"error_message\": null, \"from\": "
                + (from == null ? "null" : quote(from)) + ", \"messaging_service_sid\": "
                + (service == null ? "null" : quote(service)) + ", \"num_media\": \"0\", \"num_segments\": \"1\", "
                + "\"price\": null, \"price_unit\": \"USD\", \"sid\": " + quote(sid) + ", \"status\": "
                + (service == null ? "\"queued\"" : "\"accepted\"") + ", \"subresource_uris\": {\"media\": "
                + quote("/2010-04-01/Accounts/" + account.sid() + "/Messages/" + sid + "/Media.json") + "}, \"to\": "
                + quote(to) + ", \"uri\": " + quote("/2010-04-01/Accounts/" + account.sid() + "/Messages/" + sid + ".json")
                + "}";
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
