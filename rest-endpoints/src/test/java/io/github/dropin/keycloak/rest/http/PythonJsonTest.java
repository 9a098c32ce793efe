package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class PythonJsonTest {

    /**
     * Every case of {@code python-json-cases.jsonl}: what Python 3.11's json module (with Django REST framework's
     * strict constants) said about each document, written by {@code src/test/legacy/tools/python_json_cases.py}.
     */
    @Test
    void reportsWhatPythonReportsForEveryRecordedCase() throws IOException {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/python-json-cases.jsonl")), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode recorded = Json.MAPPER.readTree(line);
                String input = recorded.get("input").textValue();
                String expected = recorded.get("error").isNull() ? null : recorded.get("error").textValue();
                String actual = PythonJson.error(input);
                cases++;
                if (!Objects.equals(expected, actual)) {
                    wrong.add(Json.MAPPER.writeValueAsString(input) + "\n   python: " + expected + "\n   ours:   " + actual);
                }
            }
        }
        assertThat(cases).isGreaterThan(1000);
        assertThat(wrong).as("cases where the message differs from Python's").isEmpty();
    }

    @Test
    void theCorpusMessagesWordForWord() {
        assertThat(PythonJson.error("{")).isEqualTo("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
        assertThat(PythonJson.error("{\"a\": }")).isEqualTo("Expecting value: line 1 column 7 (char 6)");
        assertThat(PythonJson.error("{'a': 'b'}")).isEqualTo("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
        assertThat(PythonJson.error("{\"a\": \"b\",}")).isEqualTo("Expecting property name enclosed in double quotes: line 1 column 11 (char 10)");
        assertThat(PythonJson.error("{\"a\": 1} {}")).isEqualTo("Extra data: line 1 column 10 (char 9)");
        assertThat(PythonJson.error("")).isEqualTo("Expecting value: line 1 column 1 (char 0)");
        assertThat(PythonJson.error("\"abc")).isEqualTo("Unterminated string starting at: line 1 column 1 (char 0)");
        assertThat(PythonJson.error("\"a\u0001\"")).isEqualTo("Invalid control character at: line 1 column 3 (char 2)");
        assertThat(PythonJson.error("[NaN]")).isEqualTo("Out of range float values are not JSON compliant: 'NaN'");
    }

    @Test
    void positionsCountCodePointsAndLinesAsPythonDoes() {
        assertThat(PythonJson.error("{\"\ud83d\ude00\": 1 x")).isEqualTo("Expecting ',' delimiter: line 1 column 9 (char 8)");
        assertThat(PythonJson.error("{\"a\":\n\n  }")).isEqualTo("Expecting value: line 3 column 3 (char 9)");
        assertThat(PythonJson.error("\n")).isEqualTo("Expecting value: line 2 column 1 (char 1)");
    }

    @Test
    void acceptsWhatPythonAccepts() {
        assertThat(PythonJson.error(" {\"a\": [1, -2.5e-3, true, false, null, \"\\ud83d\\ude00\\n\"], \"b\": {}} ")).isNull();
        assertThat(PythonJson.error("\"\\ud800\"")).as("a lone surrogate escape parses; CharField refuses it later").isNull();
        assertThat(PythonJson.error("-0")).isNull();
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        assertThat(PythonJson.error("[".repeat(60_000))).startsWith("maximum recursion depth exceeded");
        assertThat(PythonJson.error("[".repeat(500) + "]".repeat(500))).isNull();
    }
}
