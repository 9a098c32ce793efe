package io.github.dropin.keycloak.it.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The walk-through format without a server: every page's console blocks can be read and replayed (the
 * replay itself is {@code DocsWalkthroughIT}), and the comparison of an answer with the page catches a change.
 */
class WalkthroughTest {

    static final List<String> DIALECTS = List.of("token-auth", "phone-otp", "email-signup", "users-api", "jwt-auth");

    @Test
    void everyDialectPageHasAWalkthrough() {
        for (String dialect : DIALECTS) {
            Path page = DocPages.ROOT.resolve("docs/dialects/" + dialect + ".md");
            assertThat(page).exists();
            assertThat(Walkthrough.in(page)).as(dialect).isNotEmpty();
        }
    }

    @Test
    void everyConsoleBlockOfTheDocsIsReplayable() {
        // Any variable has a value here: only the form is checked.
        Map<String, String> anything = new AbstractMap<>() {
            @Override
            public String get(Object key) {
                return "x";
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of();
            }
        };
        int steps = 0;
        for (Path page : DocPages.all()) {
            for (Walkthrough walkthrough : Walkthrough.in(page)) {
                assertThat(walkthrough.steps()).as(DocPages.relative(page) + ":" + walkthrough.line()).isNotEmpty();
                for (Walkthrough.Step step : walkthrough.steps()) {
                    List<String> words = ShellWords.split(step.command(), anything);
                    if (Replay.assignments(words) != null) {
                        assertThat(step.output()).as(step.where()).isEmpty();
                        continue;
                    }
                    Answer answer = Answer.of(Curl.parse(words), step.output());
                    if (answer.body().startsWith("{") || answer.body().startsWith("[")) {
                        Answer.parseExpected(answer.body());
                    }
                    steps++;
                }
            }
        }
        assertThat(steps).isGreaterThan(50);
    }

    @Test
    void readsCommandsAnswersAndConsoleLines() throws Exception {
        Path page = Files.createTempFile("walkthrough", ".md");
        Files.writeString(page, """
                Text.

                ```console
                $ curl -s -X POST http://localhost:8080/realms/demo/x \\
                    -H "Content-Type: application/json" -d '{"a": "'$A'"}'   # a comment
                {"id":"$ID"}                                             # HTTP 201
                # console: DROPIN-SMS realm=demo to=+1 purpose=login text=code $CODE. ...
                # prose

                $ B=http://localhost:8080/realms/demo
                $ curl -si $B/y
                HTTP/1.1 401 Unauthorized
                WWW-Authenticate: Token
                ...
                {"detail":"Invalid token."}
                ```
                """);
        try {
            List<Walkthrough> blocks = Walkthrough.in(page);
            assertThat(blocks).hasSize(1);
            List<Walkthrough.Step> steps = blocks.get(0).steps();
            assertThat(steps).hasSize(3);
            assertThat(steps.get(0).line()).isEqualTo(4);
            assertThat(steps.get(0).output()).hasSize(1);
            assertThat(steps.get(0).console()).containsExactly(
                    "DROPIN-SMS realm=demo to=+1 purpose=login text=code $CODE. ...");

            List<String> words = ShellWords.split(steps.get(0).command(), Map.of("A", "it's"));
            assertThat(words).containsExactly("curl", "-s", "-X", "POST", "http://localhost:8080/realms/demo/x", "-H",
                    "Content-Type: application/json", "-d", "{\"a\": \"it's\"}");
            Answer created = Answer.of(Curl.parse(words), steps.get(0).output());
            assertThat(created.status()).isEqualTo(201);

            Curl include = Curl.parse(ShellWords.split(steps.get(2).command(), Map.of("B", "http://h/realms/r")));
            assertThat(include.url()).isEqualTo("http://h/realms/r/y");
            Answer unauthorized = Answer.of(include, steps.get(2).output());
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.headers()).containsEntry("WWW-Authenticate", "Token");
            assertThat(unauthorized.body()).isEqualTo("{\"detail\":\"Invalid token.\"}");
        } finally {
            Files.delete(page);
        }
    }

    @Test
    void curlSendsWhatCurlSends() {
        Curl form = Curl.parse(List.of("curl", "-s", "http://h/t", "-d", "grant_type=password",
                "--data-urlencode", "phone_number=+49 151 1", "-d", "code=1"));
        assertThat(form.method()).isEqualTo("POST");
        assertThat(form.body()).isEqualTo("grant_type=password&phone_number=%2B49%20151%201&code=1");
        assertThat(form.headers()).containsEntry("Content-Type", "application/x-www-form-urlencoded");

        Curl status = Curl.parse(ShellWords.split("curl -s -o /dev/null -w \"%{http_code}\\n\" -X DELETE http://h/u",
                Map.of()));
        assertThat(status.statusOnly()).isTrue();
        assertThat(Answer.of(status, List.of("204")).status()).isEqualTo(204);

        assertThatThrownBy(() -> Curl.parse(List.of("curl", "-L", "http://h"))).hasMessageContaining("-L");
        assertThatThrownBy(() -> ShellWords.split("curl http://h | jq .", Map.of())).hasMessageContaining("|");
        assertThatThrownBy(() -> ShellWords.split("X=$(curl http://h)", Map.of())).hasMessageContaining("$");
        assertThatThrownBy(() -> ShellWords.split("curl -H \"Authorization: Token $KEY\" http://h", Map.of()))
                .hasMessageContaining("$KEY has no value yet");
    }

    @Test
    void capturesThenComparesPlaceholders() {
        Map<String, String> vars = new HashMap<>();
        answer("{\"id\":\"$ID\",\"n\":$N,\"more\":\"x ... z\"}")
                .check(response(200, "{\"more\":\"x y z\",\"n\":5,\"id\":\"abc\"}"), vars);
        assertThat(vars).containsEntry("ID", "abc").containsEntry("N", "5");

        answer("{\"id\":\"$ID\"}").check(response(200, "{\"id\":\"abc\"}"), vars);
        assertThatThrownBy(() -> answer("{\"id\":\"$ID\"}").check(response(200, "{\"id\":\"abd\"}"), vars))
                .hasMessageContaining("$.id").hasMessageContaining("$ID = abc");
        answer("{\"a\":1,...}").check(response(200, "{\"a\":1,\"b\":2}"), vars);
        answer("[{\"id\":\"$ID\",...}]").check(response(200, "[{\"id\":\"abc\",\"x\":0}]"), vars);
        answer("{\"error\":\"retry in $WAIT seconds\"}").check(response(200, "{\"error\":\"retry in 59 seconds\"}"), vars);
        assertThat(vars).containsEntry("WAIT", "59");
    }

    @Test
    void aChangedAnswerFails() {
        Map<String, String> vars = new HashMap<>();
        String page = "{\"message\":\"User Created Successfully\",\"expire_time\":\"300\"}";
        List<String> changed = List.of(
                "{\"message\":\"User created successfully\",\"expire_time\":\"300\"}",   // text
                "{\"message\":\"User Created Successfully\",\"expire_time\":300}",       // type
                "{\"message\":\"User Created Successfully\"}",                           // missing field
                "{\"message\":\"User Created Successfully\",\"expire_time\":\"300\",\"x\":1}", // extra field
                "[{\"message\":\"User Created Successfully\",\"expire_time\":\"300\"}]", // shape
                "not json");
        List<String> passed = new ArrayList<>();
        for (String body : changed) {
            try {
                answer(page).check(response(200, body), vars);
                passed.add(body);
            } catch (AssertionError expected) {
                // what should happen
            }
        }
        assertThat(passed).isEmpty();
        assertThatThrownBy(() -> answer(page).check(response(201, page), vars)).hasMessageContaining("status 201");
        assertThatThrownBy(() -> answer("{\"n\":[1,2]}").check(response(200, "{\"n\":[1,2,3]}"), vars))
                .hasMessageContaining("3 elements");
    }

    private static Answer answer(String body) {
        return Answer.of(Curl.parse(List.of("curl", "-s", "http://h")), List.of(body));
    }

    private static Curl.Response response(int status, String body) {
        return new Curl.Response(status, Map.of(), body);
    }
}
