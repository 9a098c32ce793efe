package io.github.dropin.keycloak.it.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a walk-through's command into words the way bash does for the few things the pages use: single quotes
 * (literal), double quotes ({@code $VAR} expanded, {@code \"} {@code \\} {@code \$} escaped), backslash escapes,
 * {@code $VAR} and {@code ${VAR}} outside quotes, and a {@code #} comment after a blank. Anything that would make
 * the command more than one program run (pipes, redirections, {@code $(...)}, {@code ;}, {@code &}) is refused, so
 * a page cannot show a command the replay did not run as written.
 */
public final class ShellWords {

    private ShellWords() {
    }

    /**
     * The words of {@code command}, variables replaced from {@code vars}.
     *
     * @throws IllegalArgumentException for unsupported syntax or a variable that has no value yet
     */
    public static List<String> split(String command, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("Unclosed ' in: " + command);
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("Unclosed \" in: " + command);
                    }
                    char d = command.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\".indexOf(command.charAt(i + 1)) >= 0) {
                        word.append(command.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = expand(command, i, vars, word);
                    } else if (d == '`') {
                        throw new IllegalArgumentException("Command substitution is not replayable: " + command);
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < n) {
                    word.append(command.charAt(i + 1));
                }
                inWord = true;
                i += 2;
            } else if (c == '$') {
                i = expand(command, i, vars, word);
                inWord = true;
            } else if ("|;&<>`()".indexOf(c) >= 0) {
                throw new IllegalArgumentException("'" + c + "' outside quotes is not replayable: " + command);
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the value of the variable at {@code command[dollar]} and returns the index after its name. */
    private static int expand(String command, int dollar, Map<String, String> vars, StringBuilder word) {
        int i = dollar + 1;
        String name;
        if (i < command.length() && command.charAt(i) == '{') {
            int end = command.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("Unclosed ${ in: " + command);
            }
            name = command.substring(i + 1, end);
            i = end + 1;
        } else {
            int start = i;
            while (i < command.length()
                    && (Character.isLetterOrDigit(command.charAt(i)) || command.charAt(i) == '_')) {
                i++;
            }
            name = command.substring(start, i);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'$' without a variable name is not replayable: " + command);
        }
        String value = vars.get(name);
        if (value == null) {
            throw new IllegalArgumentException("$" + name + " has no value yet (capture it in an earlier answer): "
                    + command);
        }
        word.append(value);
        return i;
    }
}
