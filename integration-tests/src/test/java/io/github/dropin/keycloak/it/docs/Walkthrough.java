package io.github.dropin.keycloak.it.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ```console} block of a documentation page: curl commands against the demo, each followed by the
 * answer it gets and the messages the demo prints for it. {@code DocsWalkthroughIT} replays every such block
 * against a real Keycloak, so the format is small and strict; a block it cannot read fails the test.
 *
 * <pre>
 * $ curl -s -X POST http://localhost:8080/realms/demo/phone-otp/auth/api/login/ \
 *     -H "Content-Type: application/json" -d '{"phone": "+4915112345678"}'
 * {"expire_time":"300","message":"Code Send to user","user_id":"$USER_ID"}
 * # console: DROPIN-SMS realm=demo to=+4915112345678 purpose=login text=... your sign-in code is $CODE. ...
 *
 * $ curl -s ... -d '{"code": "'$CODE'", "user_id": "'$USER_ID'"}'
 * {"error":"Invalid code"}                                   # HTTP 400
 * </pre>
 *
 * <ul>
 *   <li>{@code $ } starts a command; a line ending in {@code \} continues on the next. A command is a {@code curl}
 *       call or shell variable assignments ({@code B=http://...}).</li>
 *   <li>The lines right after it, up to a blank line or a {@code #} line, are what curl prints (see
 *       {@link Answer}).</li>
 *   <li>{@code # console: <line>} (or {@code # console (note): <line>}) is a line the demo prints because of
 *       the command (the {@code log} senders' {@code DROPIN-SMS} / {@code DROPIN-EMAIL}). Other {@code #} lines are
 *       prose.</li>
 *   <li>{@code $NAME} (capitals) in an answer or a console line stands for a value that differs per run: its first
 *       appearance captures it, later ones must equal it, and later commands use it as a shell variable.
 *       {@code ...} stands for anything (in a JSON object: more fields).</li>
 * </ul>
 */
public record Walkthrough(Path page, int line, List<Step> steps) {

    /** One command with what it prints and what the server logs. {@code line} is 1-based, in the page. */
    public record Step(Path page, int line, String command, List<String> output, List<String> console) {

        /** {@code docs/dialects/jwt-auth.md:42}, for failure messages. */
        public String where() {
            return DocPages.relative(page) + ":" + line;
        }
    }

    private static final Pattern FENCE_OPEN = Pattern.compile("^```console\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^```\\s*$");
    private static final Pattern CONSOLE = Pattern.compile("^#\\s*console(?:\\s*\\([^)]*\\))?:\\s?(.*)$");

    /** Every {@code ```console} block of {@code page}, in order. */
    public static List<Walkthrough> in(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + page, e);
        }
        List<Walkthrough> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (FENCE_OPEN.matcher(lines.get(i)).matches()) {
                int start = i;
                int end = i + 1;
                while (end < lines.size() && !FENCE_CLOSE.matcher(lines.get(end)).matches()) {
                    end++;
                }
                if (end == lines.size()) {
                    throw new IllegalArgumentException(DocPages.relative(page) + ":" + (start + 1)
                            + ": console block without its closing fence");
                }
                blocks.add(new Walkthrough(page, start + 1, parse(page, lines, start + 1, end)));
                i = end;
            }
        }
        return blocks;
    }

    private static List<Step> parse(Path page, List<String> lines, int from, int to) {
        List<Step> steps = new ArrayList<>();
        int stepLine = -1;
        StringBuilder command = null;
        List<String> output = null;
        List<String> console = null;
        boolean outputClosed = false;
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            String where = DocPages.relative(page) + ":" + (i + 1);
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(page, stepLine, command.toString(), output, console));
                }
                stepLine = i + 1;
                command = new StringBuilder();
                String part = line.substring(2);
                // A trailing backslash joins the next line, as in a shell.
                while (part.endsWith("\\")) {
                    command.append(part, 0, part.length() - 1).append(' ');
                    if (++i >= to) {
                        throw new IllegalArgumentException(where + ": continued command at the end of the block");
                    }
                    part = lines.get(i).strip();
                }
                command.append(part);
                output = new ArrayList<>();
                console = new ArrayList<>();
                outputClosed = false;
                continue;
            }
            if (line.isBlank()) {
                outputClosed = true;
                continue;
            }
            Matcher consoleLine = CONSOLE.matcher(line.strip());
            if (consoleLine.matches()) {
                if (command == null) {
                    throw new IllegalArgumentException(where + ": console line before any command");
                }
                console.add(consoleLine.group(1));
                outputClosed = true;
                continue;
            }
            if (line.startsWith("#")) {
                outputClosed = true;
                continue;
            }
            if (command == null || outputClosed) {
                throw new IllegalArgumentException(where + ": output that follows no command (a command starts"
                        + " with \"$ \"; its output comes right after it, before any blank or # line): " + line);
            }
            output.add(line);
        }
        if (command != null) {
            steps.add(new Step(page, stepLine, command.toString(), output, console));
        }
        return steps;
    }
}
