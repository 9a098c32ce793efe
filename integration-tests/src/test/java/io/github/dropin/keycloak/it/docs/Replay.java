package io.github.dropin.keycloak.it.docs;

import io.github.dropin.keycloak.it.ServerLog;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays the walk-throughs of one page against a real server, step by step: each command as written (the demo's
 * {@code http://localhost:8080} and realm {@code demo} replaced by the test server's and realm's), its answer
 * checked against the page ({@link Answer}), and each console line the page shows awaited in the server log.
 * Values captured by one step ({@code $NAME}) are used by the later steps of the page.
 */
public final class Replay {

    public static final String DEMO_URL = "http://localhost:8080";
    public static final String DEMO_REALM = "demo";
    private static final Pattern REALM_IN_URL = Pattern.compile("/realms/" + DEMO_REALM + "(?=[/?\"'\\s]|$)");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", Pattern.DOTALL);
    private static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(15);

    private final String serverUrl;
    private final String realm;
    private final ServerLog log;
    private final Map<String, String> vars = new LinkedHashMap<>();

    public Replay(String serverUrl, String realm, ServerLog log) {
        this.serverUrl = serverUrl;
        this.realm = realm;
        this.log = log;
    }

    /** Runs every step of {@code walkthrough}; fails with the page and line of the first step that differs. */
    public void run(Walkthrough walkthrough) {
        if (walkthrough.steps().isEmpty()) {
            throw new AssertionError(DocPages.relative(walkthrough.page()) + ":" + walkthrough.line()
                    + ": a console block without commands");
        }
        for (Walkthrough.Step step : walkthrough.steps()) {
            try {
                run(step);
            } catch (AssertionError | IllegalArgumentException e) {
                AssertionError failure = new AssertionError(step.where() + ": $ " + step.command() + "\n  "
                        + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }
    }

    private void run(Walkthrough.Step step) {
        List<String> words = ShellWords.split(localUrls(step.command()), vars);
        Map<String, String> assignments = assignments(words);
        if (assignments != null) {
            if (!step.output().isEmpty() || !step.console().isEmpty()) {
                throw new IllegalArgumentException("an assignment prints nothing");
            }
            vars.putAll(assignments);
            return;
        }
        Curl curl = Curl.parse(words);
        Answer answer = Answer.of(curl, step.output());
        long offset = log.mark();
        Curl.Response response;
        try {
            response = curl.send();
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        answer.check(response, vars);
        for (String console : step.console()) {
            Template template = new Template(console.replace("realm=" + DEMO_REALM + " ", "realm=" + realm + " "));
            Template.Compiled compiled = template.compile(vars);
            // The template is the end of the log line; Keycloak's log format puts time, level and logger before it.
            Pattern inLog = Pattern.compile("(?:" + compiled.pattern().pattern() + ")$", Pattern.DOTALL);
            String line = log.awaitLine(offset, inLog, CONSOLE_TIMEOUT);
            Matcher m = inLog.matcher(line);
            if (!m.find()) {
                throw new AssertionError("log line changed while read: " + line);
            }
            vars.putAll(compiled.captured(m));
        }
    }

    /** The variables a command of only {@code NAME=value} words sets, or {@code null} for any other command. */
    static Map<String, String> assignments(List<String> words) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String word : words) {
            Matcher m = ASSIGNMENT.matcher(word);
            if (!m.matches()) {
                return null;
            }
            set.put(m.group(1), m.group(2));
        }
        return set.isEmpty() ? null : set;
    }

    private String localUrls(String command) {
        String local = command.replace(DEMO_URL, serverUrl);
        return REALM_IN_URL.matcher(local).replaceAll(Matcher.quoteReplacement("/realms/" + realm));
    }

    /** The values captured so far, for failure messages and tests. */
    public Map<String, String> vars() {
        return vars;
    }
}
