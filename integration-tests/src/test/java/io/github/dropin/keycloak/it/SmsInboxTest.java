package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing of the development senders' log lines and the mark semantics of {@link ServerLog}, without a server. */
class SmsInboxTest {

    private static final String PREFIX = "2026-01-01 12:00:00,000 INFO  [io.github.dropin.keycloak.sms.LogSmsSender] (executor-thread-1) ";
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;
    private Path file;
    private ServerLog log;
    private SmsInbox inbox;

    @BeforeEach
    void setUp() {
        file = dir.resolve("server.log");
        log = ServerLog.createFresh(file);
        inbox = new SmsInbox(log);
    }

    @Test
    void findsTheFirstSmsToTheNumberInTheRealmAfterTheMark() throws IOException {
        write(PREFIX + "DROPIN-SMS realm=r1 to=+4915111111111 purpose=login text=old 111111");
        inbox.mark();
        write(PREFIX + "DROPIN-SMS realm=r2 to=+4915111111111 purpose=login text=other realm 222222");
        write(PREFIX + "DROPIN-SMS realm=r1 to=+4915122222222 purpose=login text=other number 333333");
        write(PREFIX + "DROPIN-SMS realm=r1 to=+4915111111111 purpose=registration text=Your code: 444444\\nDo not share it.");

        SmsInbox.Sms sms = inbox.awaitSms("r1", "+4915111111111", SHORT);

        assertThat(sms.purpose()).isEqualTo("registration");
        assertThat(sms.text()).isEqualTo("Your code: 444444\nDo not share it.");
        assertThat(sms.code()).isEqualTo("444444");
    }

    @Test
    void waitsForALineWrittenLater() throws Exception {
        inbox.mark();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(200);
                write(PREFIX + "DROPIN-SMS realm=r to=+15550001111 purpose=login text=12345 is your code");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThat(inbox.awaitSms("r", "+15550001111", Duration.ofSeconds(5)).code()).isEqualTo("12345");
        writer.join();
    }

    @Test
    void timesOutWithTheLogTail() throws IOException {
        write(PREFIX + "something else");
        inbox.mark();
        assertThatThrownBy(() -> inbox.awaitSms("r", "+15550001111", SHORT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("something else");
    }

    @Test
    void assertNoSmsFailsOnlyForMatchingMessages() throws IOException {
        inbox.mark();
        write(PREFIX + "DROPIN-SMS realm=r to=+15550002222 purpose=login text=1234");
        inbox.assertNoSms("r", "+15550001111", SHORT);
        assertThatThrownBy(() -> inbox.assertNoSms("r", "+15550002222", SHORT)).isInstanceOf(AssertionError.class);
    }

    @Test
    void ignoresAnIncompleteLastLineAndTheRestOfALineCutByTheMark() throws IOException {
        Files.writeString(file, PREFIX + "DROPIN-SMS realm=r to=+1555 purpose=login ", StandardOpenOption.APPEND);
        inbox.mark();
        Files.writeString(file, "text=1111\n", StandardOpenOption.APPEND);
        assertThat(log.linesFrom(log.lastMark())).isEmpty();
        write(PREFIX + "DROPIN-SMS realm=r to=+1555 purpose=login text=2222");
        write(PREFIX + "DROPIN-SMS realm=r to=+1555 purpose=login text=3333");
        Files.writeString(file, PREFIX + "DROPIN-SMS realm=r to=+1555 purpose=login text=4444", StandardOpenOption.APPEND);
        assertThat(log.linesFrom(log.lastMark())).hasSize(2);
        assertThat(inbox.awaitSms("r", "+1555", SHORT).code()).isEqualTo("2222");
    }

    @Test
    void parsesEmails() throws IOException {
        inbox.mark();
        write(PREFIX + "DROPIN-EMAIL realm=r to=bob@example.org purpose=email_verification subject=Verify your email text=Code 654321\\nThanks");
        SmsInbox.Email email = inbox.awaitEmail("r", "bob@example.org", SHORT);
        assertThat(email.subject()).isEqualTo("Verify your email");
        assertThat(email.text()).isEqualTo("Code 654321\nThanks");
        assertThat(email.code()).isEqualTo("654321");
        inbox.assertNoEmail("r", "eve@example.org", SHORT);
    }

    @Test
    void codeIsTheFirstRunOfFourToEightDigits() {
        assertThat(SmsInbox.codeIn("Code for +4915112345678: 0042 (valid 300 s)")).isEqualTo("0042");
        assertThat(SmsInbox.codeIn("12345678")).isEqualTo("12345678");
        assertThatThrownBy(() -> SmsInbox.codeIn("123 and 123456789")).isInstanceOf(AssertionError.class);
    }

    private void write(String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
