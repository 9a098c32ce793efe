package io.github.dropin.keycloak.it.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the documentation leads somewhere: the file exists in the repository, and a
 * {@code #anchor} names a heading (GitHub's slugs) or an {@code id} of the target page. The README stays the
 * short front door it is meant to be.
 */
class DocsLinksTest {

    /** The README's size budget in lines: what it is, two commands, install, the dialect table, links. */
    static final int README_MAX_LINES = 150;

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s*\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\".*\")?\\s*$");
    private static final Pattern HTML_LINK = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ID = Pattern.compile("(?:id|name)=\"([^\"]+)\"");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");

    private final Map<Path, Set<String>> anchorsByPage = new HashMap<>();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocPages.all()) {
            List<String> lines = Files.readAllLines(page);
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (FENCE.matcher(line).matches()) {
                    inFence = !inFence;
                    continue;
                }
                if (inFence) {
                    continue;
                }
                for (String target : targets(line)) {
                    checked++;
                    String problem = problem(page, target);
                    if (problem != null) {
                        broken.add(DocPages.relative(page) + ":" + (i + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("links checked").isGreaterThan(20);
    }

    @Test
    void theReadmeStaysShort() throws IOException {
        assertThat(Files.readAllLines(DocPages.ROOT.resolve("README.md"))).hasSizeLessThan(README_MAX_LINES);
    }

    @Test
    void slugsAreGitHubs() {
        assertThat(slug("Phone sign-in in Keycloak's login pages")).isEqualTo("phone-sign-in-in-keycloaks-login-pages");
        assertThat(slug("Dialect `token-auth` (seed 000)")).isEqualTo("dialect-token-auth-seed-000");
        assertThat(slug("Delivery: SMS and email")).isEqualTo("delivery-sms-and-email");
        assertThat(slug("[Twilio](https://twilio.com) — *the* sender")).isEqualTo("twilio--the-sender");
        assertThat(slug("dropin_pin and `codeLength`")).isEqualTo("dropin_pin-and-codelength");
    }

    /** The link targets of one line of Markdown, inline code left out. */
    static List<String> targets(String line) {
        String text = line.replaceAll("`[^`]*`", "``");
        List<String> targets = new ArrayList<>();
        for (Pattern p : List.of(LINK, REFERENCE, HTML_LINK)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    private String problem(Path page, String target) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: are not checked here
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(DocPages.ROOT)) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        return anchors(resolved).contains(anchor) ? null : "no heading or id \"" + anchor + "\" in "
                + DocPages.relative(resolved);
    }

    private Set<String> anchors(Path page) throws IOException {
        Set<String> known = anchorsByPage.get(page);
        if (known != null) {
            return known;
        }
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(page)) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                anchors.add(id.group(1));
            }
        }
        anchorsByPage.put(page, anchors);
        return anchors;
    }

    /** GitHub's heading anchor: the rendered text in lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        String text = heading
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replaceAll("<[^>]+>", "")
                .replace("`", "")
                .replaceAll("(\\*\\*|__|\\*|(?<!\\w)_|_(?!\\w))", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
