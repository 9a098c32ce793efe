package io.github.dropin.keycloak.benchmark;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-time codes the server "sent", read from its console log: the pack's {@code log} SMS sender writes one line
 * per message ({@code DROPIN-SMS realm=... to=... purpose=... text=...}). A daemon thread follows the log file(s) of
 * every node from their current end, so a virtual user waits only for the line of its own request, a few
 * milliseconds after the response.
 *
 * <p>This is how the benchmark reads codes until the {@code http} SMS sender exists; then a small HTTP receiver in
 * this JVM can take its place (see benchmark/README.md).
 */
final class SmsCodes implements AutoCloseable {

    private static final Pattern SMS = Pattern.compile("DROPIN-SMS realm=(\\S+) to=(\\S+) purpose=(\\S+) text=(.*)$");
    private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{4,9}(?!\\d)");

    /** The newest code per recipient, with a sequence number that grows with every message. */
    record Received(long sequence, String code) {
    }

    private final String realm;
    private final Map<String, Received> latest = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread follower;
    private volatile boolean running = true;

    SmsCodes(String realm, List<Path> logs) {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("The phone-otp scenarios read codes from the server's console log: "
                    + "pass -Dbenchmark.smsLog=<file>[,<file of node 2>] (see benchmark/README.md)");
        }
        for (Path log : logs) {
            if (!Files.isRegularFile(log)) {
                throw new IllegalArgumentException("No server log at " + log);
            }
        }
        this.realm = realm;
        this.follower = new Thread(() -> follow(logs), "sms-log-follower");
        follower.setDaemon(true);
        follower.start();
    }

    /** The sequence number the next message will be newer than. */
    long mark() {
        return sequence.get();
    }

    /** The newest code to {@code phone} if it arrived after {@code mark}, else {@code null}. */
    String codeAfter(String phone, long mark) {
        Received received = latest.get(phone);
        return received != null && received.sequence() > mark ? received.code() : null;
    }

    private void follow(List<Path> logs) {
        long[] offsets = new long[logs.size()];
        StringBuilder[] partial = new StringBuilder[logs.size()];
        try {
            for (int i = 0; i < logs.size(); i++) {
                offsets[i] = Files.size(logs.get(i));
                partial[i] = new StringBuilder();
            }
            byte[] buffer = new byte[64 * 1024];
            while (running) {
                boolean read = false;
                for (int i = 0; i < logs.size(); i++) {
                    try (RandomAccessFile file = new RandomAccessFile(logs.get(i).toFile(), "r")) {
                        if (file.length() < offsets[i]) {
                            offsets[i] = 0;
                        }
                        file.seek(offsets[i]);
                        int n;
                        while ((n = file.read(buffer)) > 0) {
                            offsets[i] += n;
                            read = true;
                            partial[i].append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                            int newline;
                            while ((newline = partial[i].indexOf("\n")) >= 0) {
                                line(partial[i].substring(0, newline));
                                partial[i].delete(0, newline + 1);
                            }
                        }
                    }
                }
                if (!read) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot follow " + logs, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void line(String line) {
        Matcher m = SMS.matcher(line);
        if (m.find() && m.group(1).equals(realm)) {
            Matcher code = CODE.matcher(m.group(4));
            if (code.find()) {
                latest.put(m.group(2), new Received(sequence.incrementAndGet(), code.group()));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        follower.interrupt();
    }
}
