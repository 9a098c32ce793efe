package io.github.dropin.keycloak.it.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a walk-through says a curl command prints, and the check of a real response against it.
 *
 * <ul>
 *   <li>With {@code -o /dev/null -w "%{http_code}\n"}: one line, the status.</li>
 *   <li>With {@code -i}: the status line ({@code HTTP/1.1 401 Unauthorized}), the headers that matter, a line
 *       {@code ...} for the others, then the body.</li>
 *   <li>Otherwise the body; its status is 200 unless the body's last line ends in {@code # HTTP <status>}.</li>
 * </ul>
 *
 * A JSON body is compared field by field: the same fields (unless the object ends in {@code ...}), the same types
 * and values; strings and bare {@code $NAME} values may hold placeholders ({@link Template}). Any other body is
 * compared as text.
 */
public record Answer(int status, Map<String, String> headers, String body, boolean statusOnly) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_NOTE = Pattern.compile("\\s+#\\s*HTTP\\s+(\\d{3})\\s*$");
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/[\\d.]+\\s+(\\d{3})(?:\\s.*)?$");
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z0-9-]+):\\s*(.*)$");
    /** Marks in the JSON handed to Jackson: a bare placeholder, and "more fields/elements". */
    private static final String BARE = "\u0001";
    private static final String MORE = "\u0002";

    /** Reads the output lines shown for a command sent as {@code curl}. */
    public static Answer of(Curl curl, List<String> output) {
        if (curl.statusOnly()) {
            if (output.size() != 1 || !output.get(0).strip().matches("\\d{3}")) {
                throw new IllegalArgumentException("With -w \"%{http_code}\\n\" the output is one status line: "
                        + output);
            }
            return new Answer(Integer.parseInt(output.get(0).strip()), Map.of(), "", true);
        }
        if (curl.include()) {
            Matcher status = output.isEmpty() ? null : STATUS_LINE.matcher(output.get(0));
            if (status == null || !status.matches()) {
                throw new IllegalArgumentException("With -i the output starts with the status line: " + output);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int i = 1;
            for (; i < output.size(); i++) {
                String line = output.get(i);
                if (line.strip().equals("...")) {
                    i++;
                    break;
                }
                Matcher header = HEADER.matcher(line);
                if (!header.matches()) {
                    throw new IllegalArgumentException("With -i, the headers shown end with a line \"...\": " + line);
                }
                headers.put(header.group(1), header.group(2).strip());
            }
            return new Answer(Integer.parseInt(status.group(1)), headers,
                    String.join("\n", output.subList(Math.min(i, output.size()), output.size())), false);
        }
        int status = 200;
        String body = String.join("\n", output);
        Matcher note = STATUS_NOTE.matcher(body);
        if (note.find()) {
            status = Integer.parseInt(note.group(1));
            body = body.substring(0, note.start());
        }
        return new Answer(status, Map.of(), body.strip(), false);
    }

    /**
     * Checks {@code response}, adding captured values to {@code vars}.
     *
     * @throws AssertionError naming what differs
     */
    public void check(Curl.Response response, Map<String, String> vars) {
        if (response.status() != status) {
            throw new AssertionError("status " + response.status() + ", the page shows " + status
                    + "; body: " + response.body());
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String actual = response.header(header.getKey());
            if (actual == null) {
                throw new AssertionError("no header " + header.getKey() + "; the page shows " + header.getValue());
            }
            bind(new Template(header.getValue()), actual, vars, "header " + header.getKey());
        }
        if (statusOnly) {
            return;
        }
        String actual = response.body() == null ? "" : response.body().strip();
        if (body.startsWith("{") || body.startsWith("[")) {
            JsonNode expected = parseExpected(body);
            JsonNode got;
            try {
                got = JSON.readTree(actual);
            } catch (JsonProcessingException e) {
                throw new AssertionError("the body is not JSON: " + actual);
            }
            if (got == null) {
                throw new AssertionError("an empty body, the page shows " + body);
            }
            compare(expected, got, "$", vars, actual);
        } else {
            bind(new Template(body), actual, vars, "body");
        }
    }

    private static void bind(Template template, String actual, Map<String, String> vars, String what) {
        Map<String, String> captured = template.match(actual, vars);
        if (captured == null) {
            throw new AssertionError(what + " is " + quoted(actual) + ", the page shows " + quoted(template.toString())
                    + knownValues(template, vars));
        }
        vars.putAll(captured);
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, Map<String, String> vars,
                                String whole) {
        if (expected.isTextual() && expected.asText().startsWith(BARE)) {
            String name = expected.asText().substring(1);
            if (actual.isContainerNode() || actual.isNull()) {
                throw differs(path, "a value for $" + name, actual, whole);
            }
            bind(new Template("$" + name), actual.asText(), vars, path);
            return;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                throw differs(path, expected.toString(), actual, whole);
            }
            boolean more = expected.has(MORE);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals(MORE)) {
                    continue;
                }
                JsonNode value = actual.get(field.getKey());
                if (value == null) {
                    throw new AssertionError(path + ": no field \"" + field.getKey() + "\" in " + whole);
                }
                compare(field.getValue(), value, path + "." + field.getKey(), vars, whole);
            }
            if (!more) {
                for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!expected.has(name)) {
                        throw new AssertionError(path + ": field \"" + name + "\" is not on the page (end the"
                                + " object with ... if it may vary): " + whole);
                    }
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                throw differs(path, expected.toString(), actual, whole);
            }
            int shown = expected.size();
            boolean more = shown > 0 && MORE.equals(expected.get(shown - 1).asText(null));
            if (more) {
                shown--;
            }
            if (more ? actual.size() < shown : actual.size() != shown) {
                throw new AssertionError(path + ": " + actual.size() + " elements, the page shows " + shown
                        + (more ? " or more" : "") + ": " + whole);
            }
            for (int i = 0; i < shown; i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]", vars, whole);
            }
            return;
        }
        if (expected.isTextual()) {
            if (!actual.isTextual()) {
                throw differs(path, quoted(expected.asText()), actual, whole);
            }
            bind(new Template(expected.asText()), actual.asText(), vars, path);
            return;
        }
        boolean same = expected.isNumber() ? actual.isNumber() && expected.decimalValue().compareTo(actual.decimalValue()) == 0
                : expected.equals(actual);
        if (!same) {
            throw differs(path, expected.toString(), actual, whole);
        }
    }

    private static AssertionError differs(String path, String expected, JsonNode actual, String whole) {
        return new AssertionError(path + " is " + actual + ", the page shows " + expected + ": " + whole);
    }

    /** The page's JSON made parseable: bare {@code $NAME} and {@code ...} become marker strings. */
    static JsonNode parseExpected(String text) {
        StringBuilder json = new StringBuilder();
        Deque<Character> open = new ArrayDeque<>();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                json.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    json.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                json.append(c);
            } else if (c == '{' || c == '[') {
                open.push(c);
                json.append(c);
            } else if (c == '}' || c == ']') {
                open.poll();
                json.append(c);
            } else if (c == '$' && i + 1 < text.length() && Character.isUpperCase(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && (Character.isUpperCase(text.charAt(end))
                        || Character.isDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                json.append("\"\\u0001").append(text, i + 1, end).append('"');
                i = end - 1;
            } else if (text.startsWith("...", i)) {
                json.append(Character.valueOf('{').equals(open.peek()) ? "\"\\u0002\":0" : "\"\\u0002\"");
                i += 2;
            } else {
                json.append(c);
            }
        }
        try {
            return JSON.readTree(json.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The page's answer is not JSON (placeholders aside): " + text, e);
        }
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static String knownValues(Template template, Map<String, String> vars) {
        StringBuilder known = new StringBuilder();
        Matcher m = Template.PLACEHOLDER.matcher(template.toString());
        while (m.find()) {
            if (m.group(1) != null && vars.containsKey(m.group(1))) {
                known.append(known.isEmpty() ? " (with " : ", ").append('$').append(m.group(1)).append(" = ")
                        .append(vars.get(m.group(1)));
            }
        }
        return known.isEmpty() ? "" : known.append(')').toString();
    }
}
