package io.github.dropin.keycloak.theme;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.Bidi;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.PropertyResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pack's one-time-code texts ({@code dropin.sms.*}, {@code dropin.email.*}) and its password-policy message in
 * every bundle of {@code theme-resources/messages}: complete, valid {@link MessageFormat} patterns that render the
 * code, the realm name and the lifetime, and SMS texts that fit one segment.
 * <p>
 * Other keys in the same files (login pages) belong to other features and are not checked here.
 */
class MessageBundlesTest {

    private static final String DIR = "/theme-resources/messages/";
    private static final String REALM = "Acme Cloud";
    private static final String CODE = "123456";
    private static final long MINUTES = 10;
    /** GSM 03.38 basic character set: a text made of these costs 7 bits a character, 160 to a segment. */
    private static final String GSM7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: each costs two septets (an escape plus the character). */
    private static final String GSM7_EXTENDED = "^{}\\[~]|€";
    private static final Pattern LONE_QUOTE = Pattern.compile("(?<!')'(?!')");

    static List<String> locales() {
        try {
            Path dir = Paths.get(MessageBundlesTest.class.getResource(DIR).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("messages_") && n.endsWith(".properties"))
                        .map(n -> n.substring("messages_".length(), n.length() - ".properties".length()))
                        .sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Properties bundle(String locale) {
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream(DIR + "messages_" + locale + ".properties")) {
            // Keycloak reads bundles the same way (PropertiesUtil.readCharsetAware): UTF-8, ISO-8859-1 as fallback.
            PropertyResourceBundle bundle = new PropertyResourceBundle(in);
            Properties properties = new Properties();
            bundle.keySet().forEach(k -> properties.setProperty(k, bundle.getString(k)));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> ourKeys(Properties bundle) {
        return bundle.stringPropertyNames().stream()
                .filter(k -> k.startsWith("dropin.sms.") || k.startsWith("dropin.email.")
                        || k.equals("invalidPasswordEntirelyNumericMessage"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Locale locale(String bundleSuffix) {
        return Locale.forLanguageTag(bundleSuffix.replace('_', '-'));
    }

    @Test
    void englishAndAtLeastSixOtherLanguagesOneOfThemRightToLeft() {
        assertThat(locales()).contains("en").hasSizeGreaterThanOrEqualTo(7);
        assertThat(locales()).anySatisfy(l -> assertThat(new Bidi(bundle(l).getProperty("dropin.sms.login"),
                Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT).baseIsLeftToRight()).as(l).isFalse());
    }

    @ParameterizedTest
    @MethodSource("locales")
    void everyLanguageHasEveryKeyOfEnglish(String locale) {
        assertThat(ourKeys(bundle(locale))).isEqualTo(ourKeys(bundle("en")));
    }

    @ParameterizedTest
    @MethodSource("locales")
    void smsTextsRenderCodeRealmAndLifetimeInOneSegment(String locale) {
        Properties bundle = bundle(locale);
        Locale l = locale(locale);
        String minutes = new MessageFormat("{0}", l).format(new Object[]{MINUTES});
        SoftAssertions softly = new SoftAssertions();
        for (String key : ourKeys(bundle)) {
            if (!key.startsWith("dropin.sms.")) {
                continue;
            }
            String pattern = bundle.getProperty(key);
            softly.assertThat(LONE_QUOTE.matcher(pattern).find()).as("%s %s: write ' as ''", locale, key).isFalse();
            String text = new MessageFormat(pattern, l).format(new Object[]{CODE, REALM, MINUTES});
            softly.assertThat(text).as("%s %s", locale, key).contains(CODE).contains(REALM).contains(minutes)
                    .doesNotContain("{").doesNotContain("}");
            softly.assertThat(segmentLength(text)).as("%s %s is longer than one SMS: %s", locale, key, text)
                    .isLessThanOrEqualTo(isGsm7(text) ? 160 : 70);
        }
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("locales")
    void singularLifetimeReadsRight(String locale) {
        // "1 minutes" would be wrong; languages with plural forms use a choice format.
        String text = new MessageFormat(bundle(locale).getProperty("dropin.sms.login"), locale(locale))
                .format(new Object[]{CODE, REALM, 1L});
        assertThat(text).doesNotContain("1 minutes").doesNotContain("1 Minuten").doesNotContain("1 minuti")
                .doesNotContain("1 minutos");
    }

    @ParameterizedTest
    @MethodSource("locales")
    void emailTextsAreValidPatternsWithRealmAndLifetime(String locale) {
        Properties bundle = bundle(locale);
        Locale l = locale(locale);
        for (String key : ourKeys(bundle)) {
            if (key.startsWith("dropin.sms.")) {
                continue;
            }
            String pattern = bundle.getProperty(key);
            assertThat(LONE_QUOTE.matcher(pattern).find()).as("%s %s: write ' as ''", locale, key).isFalse();
            boolean lifetime = key.endsWith("expiry") || key.contains(".expiry.");
            String text = new MessageFormat(pattern, l).format(new Object[]{lifetime ? (Object) MINUTES : REALM});
            assertThat(text).as("%s %s", locale, key).doesNotContain("{").doesNotContain("}");
            if (key.startsWith("dropin.email.subject.") || key.startsWith("dropin.email.body.intro.")) {
                assertThat(text).as("%s %s", locale, key).contains(REALM);
            }
            if (lifetime) {
                assertThat(text).as("%s %s", locale, key).contains(new MessageFormat("{0}", l).format(new Object[]{MINUTES}));
            }
        }
    }

    static boolean isGsm7(String text) {
        return text.chars().allMatch(c -> GSM7.indexOf(c) >= 0 || GSM7_EXTENDED.indexOf(c) >= 0);
    }

    /** Septets for GSM-7 texts, UTF-16 units for the rest. */
    static int segmentLength(String text) {
        if (!isGsm7(text)) {
            return text.length();
        }
        return text.chars().map(c -> GSM7_EXTENDED.indexOf(c) >= 0 ? 2 : 1).sum();
    }
}
