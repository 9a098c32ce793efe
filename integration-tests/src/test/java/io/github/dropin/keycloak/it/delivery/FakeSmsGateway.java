package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An SMS gateway on a loopback port for the {@code http} sender: records every request (method, path, headers, raw
 * JSON body) and answers per recipient as told: a status, or no answer at all ({@link #HANG}) until it closes.
 */
final class FakeSmsGateway implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Status meaning "never answer". */
    static final int HANG = -1;
    static final String PATH = "/sms/send";

    record Request(String method, String path, String authorization, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);

    FakeSmsGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answer requests to {@code to} with {@code status} (default 202), or {@link #HANG}. */
    void on(String to, int status) {
        statuses.put(to, status);
    }

    List<Request> requestsTo(String to) {
        return requests.stream().filter(r -> to.equals(r.json().path("to").asText())).toList();
    }

    boolean isHanging(String to) {
        return hanging.contains(to);
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(request);
            String to = JSON.readTree(body).path("to").asText();
            int status = statuses.getOrDefault(to, 202);
            if (status == HANG) {
                hanging.add(to);
                try {
                    closing.await(60, TimeUnit.SECONDS);
                } finally {
                    hanging.remove(to);
                }
                return;
            }
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
            }
            byte[] answer = ("{\"status\": " + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (IOException | InterruptedException e) {
            // Client gone (timeout) or closing.
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
