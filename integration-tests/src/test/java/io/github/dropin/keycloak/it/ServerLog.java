package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Keycloak server's console output ({@code target/keycloak-server.log}), readable by tests.
 *
 * <p>Tests see what Keycloak and the pack log (the development SMS sender's lines, warnings, events) by
 * marking the current end of the log and then waiting for a line that appears after the mark. The
 * extension marks the log before every test, so a test only sees its own lines unless it marks again
 * (do that before triggering a second message to the same recipient).
 *
 * <p>Offsets are byte positions in the file. Only complete lines count, and only lines that start after
 * the offset, so a half-written line is never matched twice or in pieces. One server runs per JVM and test
 * classes run one after another; a mark is shared by everyone reading this log.
 */
public final class ServerLog {

    /** How often a waiting test looks at the file again; the file is local, so this is cheap. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final Path file;
    private volatile long lastMark;

    ServerLog(Path file) {
        this.file = file;
    }

    /** Starts an empty log file (one per test JVM). */
    static ServerLog createFresh(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file, e);
        }
        return new ServerLog(file);
    }

    public Path file() {
        return file;
    }

    /** Remembers the current end of the log as the point later {@code await...} calls search from. */
    public long mark() {
        lastMark = size();
        return lastMark;
    }

    /** The offset of the last {@link #mark()}. */
    public long lastMark() {
        return lastMark;
    }

    /**
     * Waits for the first line after the last mark in which {@code regex} is found.
     *
     * @throws AssertionError with the log's tail when no such line appears within {@code timeout}
     */
    public String awaitLine(Pattern regex, Duration timeout) {
        return awaitLine(lastMark, regex, timeout);
    }

    /** Like {@link #awaitLine(Pattern, Duration)}, searching from {@code offset} instead of the last mark. */
    public String awaitLine(long offset, Pattern regex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = firstLine(offset, regex);
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("No line matching /" + regex + "/ in " + file + " within " + timeout
                        + ". Last lines:\n" + String.join("\n", tail(40)));
            }
            pause();
        }
    }

    /**
     * Watches the log for {@code during} and fails as soon as a line after the last mark matches.
     * For asserting that something did not happen (no SMS was sent), which can only be done by waiting.
     */
    public void assertNoLine(Pattern regex, Duration during) {
        long from = lastMark;
        long deadline = System.nanoTime() + during.toNanos();
        do {
            Optional<String> line = firstLine(from, regex);
            if (line.isPresent()) {
                throw new AssertionError("Unexpected line matching /" + regex + "/: " + line.get());
            }
            pause();
        } while (System.nanoTime() - deadline < 0);
        firstLine(from, regex).ifPresent(line -> {
            throw new AssertionError("Unexpected line matching /" + regex + "/: " + line);
        });
    }

    /** The first complete line starting at or after {@code offset} in which {@code regex} is found. */
    public Optional<String> firstLine(long offset, Pattern regex) {
        return linesFrom(offset).stream().filter(regex.asPredicate()).findFirst();
    }

    /**
     * How many lines after the last mark match, once the count has not changed for {@code quiet}: for "how many
     * messages went out" after requests whose messages the server logs a moment later.
     */
    public long countSettled(Pattern regex, Duration quiet) {
        long from = lastMark();
        Predicate<String> matches = regex.asPredicate();
        long count = linesFrom(from).stream().filter(matches).count();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < quiet.toNanos()) {
            pause();
            long now = linesFrom(from).stream().filter(matches).count();
            if (now != count) {
                count = now;
                stableSince = System.nanoTime();
            }
        }
        return count;
    }

    /** How many lines of the whole log match; e.g. to check that the server started once. */
    public long count(Pattern regex) {
        Predicate<String> matches = regex.asPredicate();
        return linesFrom(0).stream().filter(matches).count();
    }

    /** The complete lines that start at or after {@code offset}. */
    public List<String> linesFrom(long offset) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.min(offset, in.length());
            if (start > 0) {
                // Skip the rest of a line that began before the offset.
                in.seek(start - 1);
                if (in.read() != '\n') {
                    start = nextLineStart(in, start);
                }
            }
            in.seek(start);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\r?\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The last {@code n} lines, for failure messages. */
    public List<String> tail(int n) {
        List<String> lines = linesFrom(Math.max(0, size() - 256L * 1024));
        return new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Appends output that does not come straight from a child process (the container's log stream). */
    synchronized void append(String line) {
        try {
            Files.writeString(file, line.endsWith("\n") ? line : line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static long nextLineStart(RandomAccessFile in, long from) throws IOException {
        in.seek(from);
        int b;
        long position = from;
        while ((b = in.read()) != -1) {
            position++;
            if (b == '\n') {
                return position;
            }
        }
        return position;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while reading the server log", e);
        }
    }
}
