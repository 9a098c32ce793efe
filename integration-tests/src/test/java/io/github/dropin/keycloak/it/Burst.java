package io.github.dropin.keycloak.it;

import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Concurrent requests for the tests of SPEC §2.1/§2.2 under concurrency ("50 parallel registrations make one user",
 * "50 parallel verifications of one code succeed once"): {@code count} threads, each sending one request, released
 * together by a start gate so that they really overlap. With a {@link Cluster}, build request {@code i} against
 * {@code cluster.next(i)} to split the burst across the nodes.
 */
public final class Burst {

    /** Requests of one burst; the default number the issue asks for. */
    public static final int SIZE = 50;

    private Burst() {
    }

    /** Fires {@code count} requests at once, request {@code i} built by {@code request}; responses in request order. */
    public static List<Response> responses(int count, IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    gate.await();
                    Response response = request.apply(n);
                    // Read the body inside the thread: a response read later may find its connection reused.
                    response.asString();
                    return response;
                }));
            }
            gate.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> result : results) {
                responses.add(result.get(3, TimeUnit.MINUTES));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * What a burst got, for a test's report: each distinct status and body with its count. Tokens, keys and other long
     * runs of token characters show as {@code …}, so that 50 successes with 50 different tokens count as one line.
     */
    /**
     * Each answer is {@code status} with exactly {@code body} (the dialect's refusal), or the DRF throttle's 429 once
     * the pack's credential throttle refuses; never anything else.
     */
    public static void assertRefusedOrThrottled(List<Response> responses, int status, String body) {
        org.assertj.core.api.Assertions.assertThat(responses).allSatisfy(r -> {
            if (r.statusCode() == 429) {
                org.assertj.core.api.Assertions.assertThat(r.asString())
                        .startsWith("{\"detail\":\"Request was throttled. Expected available in ");
            } else {
                org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(status);
                org.assertj.core.api.Assertions.assertThat(r.asString()).isEqualTo(body);
            }
        });
    }

    public static String tally(List<Response> responses) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Response response : responses) {
            String body = response.asString().replaceAll("[A-Za-z0-9_.-]{20,}", "…");
            String key = response.statusCode() + " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
            counts.merge(key, 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((key, count) -> out.append(out.isEmpty() ? "" : "; ").append(count).append(" x ").append(key));
        return out.toString();
    }

    /** As {@link #responses}, only the status codes. */
    public static List<Integer> statuses(int count, IntFunction<Response> request) throws Exception {
        return responses(count, request).stream().map(Response::statusCode).toList();
    }
}
