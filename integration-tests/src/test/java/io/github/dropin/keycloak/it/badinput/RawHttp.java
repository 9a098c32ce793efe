package io.github.dropin.keycloak.it.badinput;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately minimal HTTP/1.1 client on a plain socket, one keep-alive connection per instance (not thread
 * safe: one per worker thread). It sends exactly the bytes it is given (method, raw request target, header values,
 * body), which Java's and Apache's clients refuse to do for malformed percent-encodings, odd methods or header
 * values, and that is what the bad-input and conformance tests need.
 */
public final class RawHttp implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    /** What the server answered. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Sends one request and reads the answer. {@code target} is the request target as written on the request
     * line (path and query, not encoded further). A {@code Content-Length} header is added for a non-null body.
     */
    public Answer send(String method, String target, List<String[]> headers, byte[] body) throws IOException {
        try {
            return exchange(method, target, headers, body);
        } catch (IOException staleConnection) {
            // The server may have closed the kept-alive connection after the previous answer: one retry on a new one.
            close();
            return exchange(method, target, headers, body);
        }
    }

    private Answer exchange(String method, String target, List<String[]> headers, byte[] body) throws IOException {
        connect();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        head.write(("Host: " + host + ":" + port + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String[] header : headers) {
            head.write((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (body != null) {
            head.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(head.toByteArray());
        if (body != null) {
            out.write(body);
        }
        out.flush();
        Answer answer = read(method.equals("HEAD"));
        while (answer.status() / 100 == 1) {
            // An interim answer (100 Continue to "Expect: 100-continue"); the final one follows.
            answer = read(method.equals("HEAD"));
        }
        if ("close".equalsIgnoreCase(answer.header("connection"))) {
            close();
        }
        return answer;
    }

    private void connect() throws IOException {
        if (socket != null && !socket.isClosed()) {
            return;
        }
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private Answer read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("Not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (length > MAX_BODY) {
                throw new IOException("Answer too large: " + length);
            }
            body = in.readNBytes(length);
        } else {
            body = in.readNBytes(MAX_BODY);
            close();
        }
        return new Answer(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new IOException("Answer too large");
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("Connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
