package io.github.dropin.keycloak.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages the pack's development senders "sent", read back from the {@link ServerLog}.
 *
 * <p>The {@code log} SMS sender prints one INFO line per message, text last, newlines in the text escaped
 * as {@code \n}:
 * <pre>DROPIN-SMS realm=&lt;realm&gt; to=&lt;E.164&gt; purpose=&lt;purpose&gt; text=&lt;text&gt;</pre>
 * and the email counterpart
 * <pre>DROPIN-EMAIL realm=&lt;realm&gt; to=&lt;address&gt; purpose=&lt;purpose&gt; subject=&lt;subject&gt; text=&lt;text&gt;</pre>
 * Keycloak's log format puts a timestamp, level and category in front, so the marker is searched anywhere
 * in the line. Realm and recipient must match exactly. Only lines after the log's last mark count; the
 * extension marks before every test, call {@link #mark()} before a second send to the same recipient.
 */
public final class SmsInbox {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** The first run of 4 to 8 digits that is not part of a longer run (so phone numbers do not count). */
    private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{4,8}(?!\\d)");

    private final ServerLog log;

    SmsInbox(ServerLog log) {
        this.log = log;
    }

    /** An SMS as the log sender printed it; {@code text} has its {@code \n} escapes undone. */
    public record Sms(String realm, String to, String purpose, String text) {
        /** The one-time code in the text (the realm name, which texts start with, may hold digits too). */
        public String code() {
            return codeIn(text.replace(realm, ""));
        }
    }

    /** An email as the development email sender printed it. */
    public record Email(String realm, String to, String purpose, String subject, String text) {
        /** The one-time code in the text (ignoring the realm name, which may hold digits too). */
        public String code() {
            return codeIn(text.replace(realm, "").replace(capitalize(realm), ""));
        }
    }

    private static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Marks the server log: later awaits only see messages sent from now on. */
    public void mark() {
        log.mark();
    }

    /** The first SMS to {@code to} in {@code realm} after the last mark, waiting up to 15 s. */
    public Sms awaitSms(String realm, String to) {
        return awaitSms(realm, to, DEFAULT_TIMEOUT);
    }

    public Sms awaitSms(String realm, String to, Duration timeout) {
        Pattern pattern = smsPattern(realm, to);
        Matcher m = matched(pattern, log.awaitLine(pattern, timeout));
        return new Sms(realm, to, m.group(1), unescape(m.group(2)));
    }

    /** Fails if an SMS to {@code to} in {@code realm} shows up after the last mark within {@code during}. */
    public void assertNoSms(String realm, String to, Duration during) {
        log.assertNoLine(smsPattern(realm, to), during);
    }

    /**
     * How many SMS to {@code to} in {@code realm} the log shows after the last mark, counted once nothing new has
     * shown up for {@code quiet} (the log is written a moment after the request that caused it).
     */
    public long countSms(String realm, String to, Duration quiet) {
        return log.countSettled(smsPattern(realm, to), quiet);
    }

    /** How many emails to {@code to} in {@code realm} after the last mark, as {@link #countSms}. */
    public long countEmails(String realm, String to, Duration quiet) {
        return log.countSettled(emailPattern(realm, to), quiet);
    }

    /** The first email to {@code to} in {@code realm} after the last mark, waiting up to 15 s. */
    public Email awaitEmail(String realm, String to) {
        return awaitEmail(realm, to, DEFAULT_TIMEOUT);
    }

    public Email awaitEmail(String realm, String to, Duration timeout) {
        Pattern pattern = emailPattern(realm, to);
        Matcher m = matched(pattern, log.awaitLine(pattern, timeout));
        return new Email(realm, to, m.group(1), m.group(2), unescape(m.group(3)));
    }

    /** Fails if an email to {@code to} in {@code realm} shows up after the last mark within {@code during}. */
    public void assertNoEmail(String realm, String to, Duration during) {
        log.assertNoLine(emailPattern(realm, to), during);
    }

    /**
     * The first run of 4 to 8 digits in {@code text}.
     *
     * @throws AssertionError when there is none
     */
    public static String codeIn(String text) {
        Matcher m = CODE.matcher(text);
        if (!m.find()) {
            throw new AssertionError("No 4-8 digit code in: " + text);
        }
        return m.group();
    }

    static Pattern smsPattern(String realm, String to) {
        return Pattern.compile("DROPIN-SMS realm=" + Pattern.quote(realm) + " to=" + Pattern.quote(to)
                + " purpose=(\\S+) text=(.*)$");
    }

    static Pattern emailPattern(String realm, String to) {
        // A subject containing " text=" would be cut there; our subjects do not.
        return Pattern.compile("DROPIN-EMAIL realm=" + Pattern.quote(realm) + " to=" + Pattern.quote(to)
                + " purpose=(\\S+) subject=(.*?) text=(.*)$");
    }

    private static Matcher matched(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("Line no longer matches /" + pattern + "/: " + line);
        }
        return m;
    }

    private static String unescape(String text) {
        return text.replace("\\n", "\n");
    }
}
