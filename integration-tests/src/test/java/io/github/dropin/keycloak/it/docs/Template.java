package io.github.dropin.keycloak.it.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text from a walk-through with placeholders: {@code $NAME} (capitals, digits, underscores) for a value that
 * differs per run, and {@code ...} for anything. A name that already has a value must appear with that value;
 * a new one captures what stands in its place (at least one character).
 */
public final class Template {

    /** {@code $NAME} or {@code ...}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Z][A-Z0-9_]*)|\\.\\.\\.");

    private final String text;

    public Template(String text) {
        this.text = text;
    }

    /** Whether {@code text} has any placeholder. */
    public static boolean hasPlaceholder(String text) {
        return PLACEHOLDER.matcher(text).find();
    }

    /** The regular expression for the whole text, given the values known so far; new names become groups. */
    Compiled compile(Map<String, String> vars) {
        StringBuilder regex = new StringBuilder();
        List<String> groups = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(text.substring(last, m.start())));
            String name = m.group(1);
            if (name == null) {
                regex.append(".*?");
            } else if (vars.containsKey(name)) {
                regex.append(Pattern.quote(vars.get(name)));
            } else if (groups.contains(name)) {
                regex.append("\\").append(groups.indexOf(name) + 1);
            } else {
                groups.add(name);
                regex.append("(.+?)");
            }
            last = m.end();
        }
        regex.append(Pattern.quote(text.substring(last)));
        return new Compiled(Pattern.compile(regex.toString(), Pattern.DOTALL), groups);
    }

    /**
     * Matches all of {@code actual}; on success returns the newly captured values (not yet put into
     * {@code vars}), otherwise {@code null}.
     */
    public Map<String, String> match(String actual, Map<String, String> vars) {
        Compiled compiled = compile(vars);
        Matcher m = compiled.pattern().matcher(actual);
        return m.matches() ? compiled.captured(m) : null;
    }

    /** A compiled template: the pattern, and the names its groups capture, in order. */
    record Compiled(Pattern pattern, List<String> groups) {
        Map<String, String> captured(Matcher m) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                values.put(groups.get(g), m.group(g + 1));
            }
            return values;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
