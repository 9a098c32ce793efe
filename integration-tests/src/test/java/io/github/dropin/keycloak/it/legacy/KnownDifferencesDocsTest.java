package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.docs.DocPages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each dialect page's {@code ## Known differences} section is what {@code known-differences.json} says of the dialect
 * ({@link KnownDifferences#docsSection}): the allow-list and the docs cannot disagree. After changing the allow-list,
 * {@code -Ddropin.docs.update=true} rewrites the sections (then review the diff).
 */
class KnownDifferencesDocsTest {

    private static final String HEADING = "## Known differences";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "token-auth|Django REST framework's token authentication|TokenAuthConformanceIT",
            "phone-otp|the Flask app of the seed|PhoneOtpConformanceIT",
            "email-signup|Djoser and SimpleJWT|EmailSignupConformanceIT",
            "users-api|Django REST framework and django-rest-passwordreset|UsersApiConformanceIT",
            "jwt-auth|SimpleJWT|JwtAuthConformanceIT",
    })
    void theDialectPageListsTheAllowListsKnownDifferences(String dialect, String framework, String test) throws IOException {
        Path page = DocPages.ROOT.resolve("docs/dialects/" + dialect + ".md");
        String text = Files.readString(page);
        String expected = KnownDifferences.load().docsSection(dialect, framework, test);
        if (Boolean.getBoolean("dropin.docs.update")) {
            text = withSection(text, expected);
            Files.writeString(page, text);
        }
        assertThat(section(text)).as("%s: section '%s' (run with -Ddropin.docs.update=true to rewrite it from %s)",
                page, HEADING, KnownDifferences.file()).isEqualTo(expected);
    }

    /** The section from its heading to the next {@code ## } heading (or the end), or {@code null}. */
    static String section(String page) {
        int start = page.indexOf("\n" + HEADING + "\n");
        if (start < 0) {
            return null;
        }
        int end = page.indexOf("\n## ", start + 1);
        return page.substring(start + 1, end < 0 ? page.length() : end + 1).replaceAll("\n+$", "\n");
    }

    /** The page with its section replaced, or added before "## Security notes" (or at the end). */
    static String withSection(String page, String section) {
        String current = section(page);
        if (current != null) {
            int start = page.indexOf("\n" + HEADING + "\n") + 1;
            int end = page.indexOf("\n## ", start);
            return page.substring(0, start) + section + (end < 0 ? "" : "\n" + page.substring(end + 1));
        }
        int security = page.indexOf("\n## Security notes");
        return security < 0 ? page.stripTrailing() + "\n\n" + section
                : page.substring(0, security + 1) + section + "\n" + page.substring(security + 1);
    }
}
