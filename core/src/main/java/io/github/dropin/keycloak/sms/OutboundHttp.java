package io.github.dropin.keycloak.sms;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK HTTP clients of the network senders ({@code twilio}, {@code http}): one per connect timeout, shared by
 * every realm and request (a client owns a connection pool and a selector thread, so it must not be built per
 * message), closed with the sender's factory.
 * <p>
 * {@link #send} puts a hard bound on a whole exchange. The JDK's request timeout alone stops waiting once the
 * response headers arrived, so a provider that answers headers and then trickles the body could hold a login
 * request (and the database transaction behind it) indefinitely.
 */
final class OutboundHttp implements AutoCloseable {

    private final ConcurrentMap<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** The shared client for {@code connectTimeout}: HTTP/1.1, no redirects, the JVM's proxy settings. */
    HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                // Providers' APIs are plain request/response; HTTP/1.1 avoids h2c upgrade attempts on http://.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would resend credentials somewhere nobody configured.
                .followRedirects(HttpClient.Redirect.NEVER)
                // Honours -Dhttps.proxyHost/-Dhttp.proxyHost for servers that reach the internet through a proxy.
                .proxy(ProxySelector.getDefault())
                .build());
    }

    /**
     * Sends {@code request} and returns the complete response, or fails once {@code deadline} has passed.
     *
     * @throws TimeoutException     when the deadline passed (the exchange is cancelled)
     * @throws IOException          when the connection failed or was refused
     * @throws InterruptedException when the request thread was interrupted (its flag is set again)
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration deadline)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException timeout) {
                TimeoutException converted = new TimeoutException(timeout.getMessage());
                converted.initCause(timeout);
                throw converted;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "request failed" : cause.getClass().getSimpleName(), cause);
        }
    }

    @Override
    public void close() {
        for (HttpClient client : clients.values()) {
            // AutoCloseable from Java 21 on; on 17 the idle client's threads end when it is collected.
            if (client instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // Shutting down anyway.
                }
            }
        }
        clients.clear();
    }
}
