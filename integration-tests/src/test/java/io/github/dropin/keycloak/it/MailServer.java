package io.github.dropin.keycloak.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server on loopback (GreenMail), one per test JVM, that realms send to when their fixture's
 * {@code smtpServer} says {@code "port": "${smtpPort}"}. Messages are read back with {@link #awaitEmail}.
 * Each realm has its own recipients, so tests never see each other's mail.
 */
public final class MailServer implements AutoCloseable {

    /** Placeholder in realm fixtures, replaced by the SMTP port. */
    public static final String PORT_PLACEHOLDER = "${smtpPort}";
    private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{4,8}(?!\\d)");

    private final GreenMail greenMail;
    private final int port;

    private MailServer(int port) {
        this.port = port;
        this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    static MailServer start() {
        return new MailServer(freePort());
    }

    public int port() {
        return port;
    }

    /** One received email, decoded. */
    public record Email(List<String> to, String from, String subject, String text, String html) {
        /** The first one-time code in the plain-text part. */
        public String code() {
            Matcher m = CODE.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in email text: " + text);
            }
            return m.group();
        }
    }

    /** The first email to {@code to} received from now back to the server start, waiting up to {@code timeout}. */
    public Email awaitEmail(String to, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (MimeMessage message : greenMail.getReceivedMessagesForDomain(to)) {
                Email email = decode(message);
                if (email.to().contains(to)) {
                    return email;
                }
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no email to " + to + " within " + timeout);
    }

    public Email awaitEmail(String to) {
        return awaitEmail(to, Duration.ofSeconds(15));
    }

    /** All emails received so far for {@code to}. */
    public List<Email> emailsTo(String to) {
        return Arrays.stream(greenMail.getReceivedMessagesForDomain(to)).map(MailServer::decode)
                .filter(e -> e.to().contains(to)).toList();
    }

    private static Email decode(MimeMessage message) {
        try {
            List<String> recipients = Arrays.stream(message.getAllRecipients()).map(Address::toString).toList();
            String text = null;
            String html = null;
            Object content = message.getContent();
            if (content instanceof jakarta.mail.Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    var part = multipart.getBodyPart(i);
                    if (part.isMimeType("text/plain")) {
                        text = part.getContent().toString();
                    } else if (part.isMimeType("text/html")) {
                        html = part.getContent().toString();
                    } else if (part.getContent() instanceof jakarta.mail.Multipart nested) {
                        for (int j = 0; j < nested.getCount(); j++) {
                            var inner = nested.getBodyPart(j);
                            if (inner.isMimeType("text/plain")) {
                                text = inner.getContent().toString();
                            } else if (inner.isMimeType("text/html")) {
                                html = inner.getContent().toString();
                            }
                        }
                    }
                }
            } else {
                text = content.toString();
            }
            return new Email(recipients, message.getFrom()[0].toString(), message.getSubject(), text, html);
        } catch (MessagingException | IOException e) {
            throw new AssertionError("cannot decode email", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
