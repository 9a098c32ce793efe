package io.github.dropin.keycloak.it.badinput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.it.KeycloakLine;
import io.github.dropin.keycloak.it.badinput.DialectCatalog.DialectInfo;
import io.github.dropin.keycloak.it.badinput.Probe.Expect;
import io.github.dropin.keycloak.rest.http.BodyReader;
import io.github.dropin.keycloak.rest.http.Field;
import io.github.dropin.keycloak.rest.http.Route;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.dropin.keycloak.it.badinput.Probe.Expect.EITHER;
import static io.github.dropin.keycloak.it.badinput.Probe.Expect.REJECTED;
import static io.github.dropin.keycloak.it.badinput.Probe.Expect.KEYCLOAK_LAYER;

/**
 * Generates malformed requests for every route of every dialect from the route tables alone: wrong methods, paths,
 * content types and bodies per route; per field every value a client could get wrong (missing, null, wrong type,
 * blank, too long, control and unusual unicode characters, injection strings); pairs of wrong fields; bad and forged
 * {@code Authorization} headers; oversized headers and bodies.
 *
 * <p>Every request starts from a "plausible" body whose values are taken from the field names (SPEC §4): the realm's
 * existing user's username, email and phone (so registrations collide), a password the realm's policy refuses, a
 * wrong code, a forged token. So a request has at least two independent reasons to fail, changes nothing even where
 * one mutated value happens to be valid, and still reaches deep into the handlers. One field is mutated at a time
 * (plus a sample of pairs). Generation is deterministic (fixed seed).
 */
final class ProbeGenerator {

    /** Below this many requests, pairs of mutated fields are added until it is reached. */
    static final int MINIMUM_PROBES = 10_500;

    /** A password no generated value matches: the fixture's policy is {@code regexPattern(^Seeded-[0-9a-f]{32}$)}. */
    static final String REFUSED_PASSWORD = "refused-by-policy";

    /** An unsigned JWT (alg none) claiming to be an access token of the realm's user: must never be accepted. */
    static final String FORGED_JWT = jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}",
            "{\"sub\":\"00000000-0000-0000-0000-000000000000\",\"typ\":\"Bearer\",\"exp\":4102444800}", "");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG_CODE = "000000";
    /** Keycloak's own endpoint that receives the control requests (a POST endpoint like most dialect routes). */
    static final String TOKEN_ENDPOINT = "/protocol/openid-connect/token";

    /**
     * What the generated requests build on.
     *
     * @param realmPath {@code /realms/<name>}
     * @param username  an existing user's username, and so on
     */
    record Seed(String realmPath, String username, String email, String phone, String userId) {
    }

    /** A value for one field: its JSON text ({@code null}: leave the field out) and what the answer may be. */
    private record Value(String label, String json, Expect expect) {
    }

    private final Seed seed;
    private final Random random = new Random(20_261_123L);
    private final List<Probe> probes = new ArrayList<>();

    private final Map<String, String> named;

    private ProbeGenerator(Seed seed) {
        this.seed = seed;
        this.named = namedValues();
    }

    static List<Probe> generate(List<DialectInfo> dialects, Seed seed) {
        ProbeGenerator generator = new ProbeGenerator(seed);
        for (DialectInfo dialect : dialects) {
            for (Route route : dialect.routes()) {
                generator.route(dialect, route);
            }
        }
        generator.pairsUntil(dialects, MINIMUM_PROBES);
        return List.copyOf(generator.probes);
    }

    // ---------------------------------------------------------------- per route

    private void route(DialectInfo dialect, Route route) {
        methods(dialect, route);
        for (String method : route.methods().stream().sorted().toList()) {
            Route.Operation operation = route.operation(method);
            paths(dialect, route, operation);
            if (hasBody(method)) {
                contentTypes(dialect, route, operation);
                bodies(dialect, route, operation);
            }
            headers(dialect, route, operation);
            for (Field field : operation.fields()) {
                for (Value value : values(field)) {
                    for (boolean slash : new boolean[]{true, false}) {
                        Map<String, String> mutated = plausible(operation);
                        mutated.put(field.name(), value.json());
                        Expect expect = authExpect(route, operation.method()).and(value.expect());
                        add(dialect, route, operation, slash, "JSON " + field.name() + "=" + value.label(),
                                jsonBody(mutated), expect);
                    }
                    if (dialect.accepts() == BodyReader.Accepts.JSON_OR_FORM) {
                        formValue(value).ifPresent(form -> {
                            Map<String, String> mutated = plausibleForm(operation);
                            if (form.equals(MISSING)) {
                                mutated.remove(field.name());
                            } else {
                                mutated.put(field.name(), form);
                            }
                            Expect expect = authExpect(route, operation.method()).and(value.expect());
                            addForm(dialect, route, operation, "form " + field.name() + "=" + value.label(), mutated, expect);
                        });
                    }
                }
            }
        }
    }

    /** Methods the route does not serve (405), OPTIONS, HEAD, and methods HTTP does not know. */
    private void methods(DialectInfo dialect, Route route) {
        Route.Operation any = route.operation(route.methods().stream().sorted().findFirst().orElseThrow());
        byte[] body = jsonBody(plausible(any));
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            if (!route.methods().contains(method)) {
                probes.add(probe(dialect, route, method, path(dialect, route, true), jsonHeaders(), hasBody(method) ? body : null,
                        "method " + method, REJECTED));
            }
        }
        probes.add(probe(dialect, route, "OPTIONS", path(dialect, route, true), List.of(), null, "method OPTIONS", EITHER));
        probes.add(probe(dialect, route, "HEAD", path(dialect, route, false), List.of(), null, "method HEAD",
                route.methods().contains("GET") ? EITHER : REJECTED));
        // JAX-RS has no "any method": RESTEasy answers methods no resource declares (405, Keycloak's error shape)
        // before the dispatcher, as it does for Keycloak's own endpoints.
        for (String method : List.of("TRACE", "FOO", "PROPFIND", "post", "M-SEARCH")) {
            probes.add(new Probe(dialect.id(), route.path() + " (any)", method, path(dialect, route, true), jsonHeaders(),
                    body, "method " + method, KEYCLOAK_LAYER, seed.realmPath() + TOKEN_ENDPOINT));
        }
    }

    private void paths(DialectInfo dialect, Route route, Route.Operation operation) {
        byte[] body = hasBody(operation.method()) ? jsonBody(plausible(operation)) : null;
        String base = seed.realmPath() + "/" + dialect.id();
        String token = seed.realmPath() + TOKEN_ENDPOINT;
        Map<String, java.util.function.UnaryOperator<String>> mangled = new LinkedHashMap<>();
        Map<String, Expect> expected = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, java.util.function.UnaryOperator<String>> keycloak = (label, f) -> {
            mangled.put(label, f);
            expected.put(label, KEYCLOAK_LAYER);
        };
        java.util.function.BiConsumer<String, Map.Entry<java.util.function.UnaryOperator<String>, Expect>> ours =
                (label, f) -> {
                    mangled.put(label, f.getKey());
                    expected.put(label, f.getValue());
                };
        // Keycloak's path filter and HTTP layer answer these before routing; the control request shows it.
        keycloak.accept("// between segments", p -> p.replace("/", "//"));
        keycloak.accept("/%2e/ between segments", p -> p.replace("/", "/%2e/"));
        keycloak.accept("/.. appended", p -> p + "/..");
        if (KeycloakLine.matrixParametersIgnored()) {
            keycloak.accept(";jsessionid=x", p -> p + ";jsessionid=x");
        } else {
            // Keycloak 26.4 answers its own endpoints 400/405 for a path parameter that the dialects' routing drops.
            ours.accept(";jsessionid=x", Map.entry(p -> p + ";jsessionid=x", EITHER));
        }
        keycloak.accept("/%zz appended", p -> p + "/%zz");
        keycloak.accept("% appended", p -> p + "%");
        keycloak.accept("%0 appended", p -> p + "%0");
        keycloak.accept("?a=%zz", p -> p + "?a=%zz");
        ours.accept("%2F instead of /", Map.entry(p -> p.substring(0, base.length() + 1)
                + p.substring(base.length() + 1).replace("/", "%2F"), EITHER));
        ours.accept("%00 appended", Map.entry(p -> p + "%00", REJECTED));
        ours.accept("%c3%28 (invalid UTF-8) appended", Map.entry(p -> p + "%c3%28", REJECTED));
        ours.accept("%ff%fe appended", Map.entry(p -> p + "%ff%fe", REJECTED));
        ours.accept("/extra", Map.entry(p -> p + "/extra", REJECTED));
        ours.accept("5000-character segment", Map.entry(p -> p + "/" + "a".repeat(5000), REJECTED));
        ours.accept("/%E2%80%AE appended", Map.entry(p -> p + "/%E2%80%AE", REJECTED));
        ours.accept("raw UTF-8 segment", Map.entry(p -> p + "/\u00e4", REJECTED));
        ours.accept("upper case", Map.entry(p -> base + p.substring(base.length()).toUpperCase(java.util.Locale.ROOT) + "X",
                REJECTED));
        ours.accept("?a=b&... (2000 parameters)", Map.entry(p -> p + "?" + "a=b&".repeat(2000), EITHER));
        ours.accept("?q=(20000 characters)", Map.entry(p -> p + "?q=" + "x".repeat(20_000), EITHER));
        ours.accept("#fragment", Map.entry(p -> p + "#fragment", EITHER));
        String path = path(dialect, route, false);
        for (Map.Entry<String, java.util.function.UnaryOperator<String>> mangle : mangled.entrySet()) {
            Expect expect = expected.get(mangle.getKey());
            String target = mangle.getValue().apply(path);
            boolean byKeycloak = expect == KEYCLOAK_LAYER;
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), target, jsonHeaders(), body,
                    "path " + mangle.getKey(), byKeycloak ? KEYCLOAK_LAYER : authExpect(route, operation.method()).and(expect),
                    byKeycloak ? mangle.getValue().apply(token) : null));
        }
    }

    private void contentTypes(DialectInfo dialect, Route route, Route.Operation operation) {
        byte[] json = jsonBody(plausible(operation));
        boolean jsonOnly = dialect.accepts() == BodyReader.Accepts.JSON_ONLY;
        Expect emptyInput = required(operation) || jsonOnly ? REJECTED : EITHER;
        Map<String, Expect> types = new LinkedHashMap<>();
        types.put(null, emptyInput);
        types.put("", emptyInput);
        types.put("text/plain", REJECTED);
        types.put("text/json", REJECTED);
        types.put("application/xml", REJECTED);
        // Keycloak parses every POST/PUT/PATCH body declared as a form before any resource runs (checked in 26.7.3:
        // KeycloakHandlerChainCustomizer), with Quarkus's limits: these are refused (or fail) there. DELETE bodies
        // reach the dispatcher as they are.
        boolean keycloakParsesForms = !operation.method().equals("DELETE");
        // A DELETE's "multipart" body without a part: DRF reads an empty form.
        types.put("multipart/form-data; boundary=x", keycloakParsesForms ? KEYCLOAK_LAYER : jsonOnly ? REJECTED : emptyInput);
        types.put("application/x-www-form-urlencoded", emptyInput);
        types.put("foo", REJECTED);
        types.put(";;;", REJECTED);
        types.put("/", REJECTED);
        types.put("application/", REJECTED);
        // DRF picks the first parser a wildcard type matches (JSON); Flask's is_json takes application/*+json.
        types.put("*/*", jsonOnly ? REJECTED : EITHER);
        types.put("application/*", jsonOnly ? REJECTED : EITHER);
        types.put("application/jsonx", REJECTED);
        types.put("application/vnd.api+json", jsonOnly ? EITHER : REJECTED);
        types.put("application/merge-patch+json", jsonOnly ? EITHER : REJECTED);
        types.put("application/json, text/plain", REJECTED);
        types.put("a".repeat(10_000), REJECTED);
        types.put("\u00e4pplication/json", REJECTED);
        types.put("application/json; charset=latin1", EITHER);
        types.put("application/json; charset=nonsense", EITHER);
        types.put("application/json;;", EITHER);
        types.put("application/json; x=\"unterminated", EITHER);
        types.put("APPLICATION/JSON", EITHER);
        types.put(" application/json ", EITHER);
        types.put("application/json; " + "p=v; ".repeat(1000), EITHER);
        for (Map.Entry<String, Expect> type : types.entrySet()) {
            List<String[]> headers = new ArrayList<>();
            if (type.getKey() != null) {
                headers.add(new String[]{"Content-Type", type.getKey()});
            }
            boolean byKeycloak = type.getValue() == KEYCLOAK_LAYER;
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                    headers, json, "Content-Type " + abbreviate(String.valueOf(type.getKey())),
                    byKeycloak ? KEYCLOAK_LAYER : authExpect(route, operation.method()).and(type.getValue()),
                    byKeycloak ? seed.realmPath() + TOKEN_ENDPOINT : null, "POST"));
        }
        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put("form with a 200 KiB value", ("a=" + "b".repeat(200 * 1024)).getBytes(StandardCharsets.UTF_8));
        StringBuilder manyParameters = new StringBuilder("a=b");
        for (int i = 0; i < 1500; i++) {
            manyParameters.append("&k").append(i).append("=v");
        }
        forms.put("form with 1500 parameters", manyParameters.toString().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> form : forms.entrySet()) {
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                    List.<String[]>of(new String[]{"Content-Type", "application/x-www-form-urlencoded"}), form.getValue(),
                    form.getKey(), keycloakParsesForms ? KEYCLOAK_LAYER : authExpect(route, operation.method()).and(REJECTED),
                    keycloakParsesForms ? seed.realmPath() + TOKEN_ENDPOINT : null, "POST"));
        }
        // UTF-16 with and without saying so: DRF decodes with the charset parameter (UTF-8 without one), Flask detects it.
        byte[] utf16 = new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);
        probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                List.<String[]>of(new String[]{"Content-Type", "application/json; charset=utf-16le"}), utf16,
                "UTF-16LE body", authExpect(route, operation.method()).and(EITHER)));
        probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                jsonHeaders(), utf16, "UTF-16LE body, no charset", authExpect(route, operation.method()).and(EITHER)));
    }

    private void bodies(DialectInfo dialect, Route route, Route.Operation operation) {
        String base = new String(jsonBody(plausible(operation)), StandardCharsets.UTF_8);
        Expect emptyObject = required(operation) ? REJECTED : EITHER;
        Map<String, Expect> texts = new LinkedHashMap<>();
        texts.put("", dialect.accepts() == BodyReader.Accepts.JSON_ONLY ? REJECTED : emptyObject);
        texts.put(" ", REJECTED);
        texts.put("null", REJECTED);
        texts.put("true", REJECTED);
        texts.put("1", REJECTED);
        texts.put("-1.5e3", REJECTED);
        texts.put("\"" + seed.username() + "\"", REJECTED);
        texts.put("[]", REJECTED);
        texts.put("[{}]", REJECTED);
        texts.put("[" + base + "]", REJECTED);
        texts.put("{}", emptyObject);
        texts.put("{", REJECTED);
        texts.put("}", REJECTED);
        texts.put("{\"a\":}", REJECTED);
        texts.put("{'a': 1}", REJECTED);
        texts.put("{a:1}", REJECTED);
        texts.put("{\"a\":1,}", REJECTED);
        texts.put("NaN", REJECTED);
        texts.put("1e999999", REJECTED);
        texts.put("/* comment */" + base, REJECTED);
        texts.put(base + "x", REJECTED);
        texts.put(base + base, REJECTED);
        texts.put(base + "\u0000", REJECTED);
        texts.put("\u0000", REJECTED);
        texts.put("\ufeff" + base, EITHER);
        texts.put("[".repeat(60_000), REJECTED);
        texts.put("{\"a\":".repeat(10_000), REJECTED);
        texts.put("{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000), REJECTED);
        texts.put(withExtraKeys(base, 1_000), EITHER);
        texts.put(withExtraKeys(base, 0).replace("\"bad-input-extra\":true", "\"__proto__\":{\"admin\":true},\"constructor\":{\"prototype\":{}}"), EITHER);
        texts.put(allFields(operation, "null"), anyNonNullable(operation) ? REJECTED : EITHER);
        texts.put(allFields(operation, "[]"), operation.fields().isEmpty() ? EITHER : REJECTED);
        texts.put(allFields(operation, "{}"), operation.fields().isEmpty() ? EITHER : REJECTED);
        texts.put(duplicateKeys(operation), EITHER);
        texts.put(base.substring(0, base.length() - 1) + ",\"x\":\"" + "y".repeat(BodyReader.MAX_BYTES) + "\"}", REJECTED);
        // Every proper prefix of the plausible body (cut inside keys, strings, between tokens) is malformed.
        for (int cut = 1; cut < base.length(); cut++) {
            texts.put(base.substring(0, cut), REJECTED);
        }
        for (Map.Entry<String, Expect> text : texts.entrySet()) {
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, false),
                    jsonHeaders(), text.getKey().getBytes(StandardCharsets.UTF_8),
                    "body " + abbreviate(text.getKey()), authExpect(route, operation.method()).and(text.getValue())));
        }
        List<byte[]> raw = List.of(
                // Invalid UTF-8 inside a string: a lone continuation byte, an overlong encoding, a truncated sequence.
                replaceFirstValue(base, new byte[]{(byte) 0x80}),
                replaceFirstValue(base, new byte[]{(byte) 0xc0, (byte) 0xaf}),
                replaceFirstValue(base, new byte[]{(byte) 0xe2, (byte) 0x82}),
                new byte[BodyReader.MAX_BYTES + 1],
                ("{\"a\":\"" + "b".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        for (byte[] body : raw) {
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                    jsonHeaders(), body, "raw body of " + body.length + " bytes", authExpect(route, operation.method()).and(REJECTED)));
        }
    }

    /** Authorization headers no server may accept, oversized and odd headers. */
    private void headers(DialectInfo dialect, Route route, Route.Operation operation) {
        byte[] body = hasBody(operation.method()) ? jsonBody(plausible(operation)) : null;
        Expect authenticated = authExpect(route, operation.method());
        List<String> authorizations = List.of("", "Token", "Token ", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=",
                "Token abc", "Token a b", "Bearer a b", "token " + "a".repeat(40), "Bearer " + FORGED_JWT,
                "Bearer " + forgedHs256(), "Token " + seed.userId() + "." + "A".repeat(32),
                "Token ../../" + seed.userId() + ".x", "Bearer " + "x".repeat(10_000), "Token \u00e4\u00f6\u00fc",
                "Bearer " + FORGED_JWT + " " + FORGED_JWT, "Negotiate YII=", "Digest username=\"admin\"",
                "Bearer eyJ", "Bearer ...", "Token " + "%00".repeat(10));
        for (String authorization : authorizations) {
            List<String[]> headers = new ArrayList<>(hasBody(operation.method()) ? jsonHeaders() : List.of());
            headers.add(new String[]{"Authorization", authorization});
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                    headers, body, "Authorization " + abbreviate(authorization), authenticated));
        }
        Map<String, List<String[]>> odd = new LinkedHashMap<>();
        odd.put("16 KiB header", List.<String[]>of(new String[]{"X-Bad-Input", "h".repeat(16 * 1024)}));
        odd.put("60 KiB header", List.<String[]>of(new String[]{"X-Bad-Input", "h".repeat(60 * 1024)}));
        odd.put("300 headers", manyHeaders(300));
        odd.put("non-ASCII header", List.<String[]>of(new String[]{"X-Bad-Input", "\u00e4\u00f6\u00fc \u202e"}));
        odd.put("junk cookies", List.<String[]>of(new String[]{"Cookie", "KEYCLOAK_SESSION=x; AUTH_SESSION_ID=" + "y".repeat(4000) + "; ;;="}));
        odd.put("forged X-Forwarded-For", List.<String[]>of(new String[]{"X-Forwarded-For", "1.2.3.4, ' OR 1=1 --, ::1"}));
        odd.put("forged Forwarded", List.<String[]>of(new String[]{"Forwarded", "for=\"[::1]\";proto=https;host=evil"}));
        odd.put("Accept: application/xml", List.<String[]>of(new String[]{"Accept", "application/xml"}));
        odd.put("Accept: text/html", List.<String[]>of(new String[]{"Accept", "text/html"}));
        odd.put("Accept: */*;q=0", List.<String[]>of(new String[]{"Accept", "*/*;q=0"}));
        odd.put("Accept: garbage", List.<String[]>of(new String[]{"Accept", ";;;/"}));
        odd.put("Accept-Language: garbage", List.<String[]>of(new String[]{"Accept-Language", "zz-ZZZZ-1234567890;q=x, \u00e4"}));
        odd.put("Accept-Charset: none", List.<String[]>of(new String[]{"Accept-Charset", "ebcdic"}));
        odd.put("Origin: evil", List.<String[]>of(new String[]{"Origin", "https://evil.example"}));
        odd.put("Content-Encoding: gzip (not gzipped)", List.<String[]>of(new String[]{"Content-Encoding", "gzip"}));
        odd.put("Expect: 100-continue", List.<String[]>of(new String[]{"Expect", "100-continue"}));
        for (Map.Entry<String, List<String[]>> header : odd.entrySet()) {
            List<String[]> headers = new ArrayList<>(hasBody(operation.method()) ? jsonHeaders() : List.of());
            headers.addAll(header.getValue());
            probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, false),
                    headers, body, header.getKey(), authExpect(route, operation.method()).and(EITHER)));
        }
        List<String[]> oversized = new ArrayList<>(hasBody(operation.method()) ? jsonHeaders() : List.of());
        oversized.add(new String[]{"X-Bad-Input", "h".repeat(70 * 1024)});
        probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                oversized, body, "70 KiB header (over the HTTP server's 64 KiB limit)", KEYCLOAK_LAYER,
                seed.realmPath() + TOKEN_ENDPOINT));
    }

    // ---------------------------------------------------------------- per field

    private List<Value> values(Field field) {
        List<Value> values = new ArrayList<>();
        wrongTypes(field, values);
        String plausible = plausibleText(field);
        boolean bool = field.kind() == Field.Kind.BOOLEAN;
        Expect blank = bool ? REJECTED : field.allowBlank() ? EITHER : REJECTED;
        Expect whitespace = field.kind() == Field.Kind.PASSWORD ? EITHER : blank;
        values.add(new Value("\"\"", "\"\"", blank));
        values.add(new Value("\" \"", "\" \"", whitespace));
        values.add(new Value("\"\\t\\n\"", "\"\\t\\n\"", whitespace));
        values.add(new Value("\"\\u00a0\\u3000\"", "\"\\u00a0\\u3000\"", whitespace == REJECTED ? EITHER : whitespace));
        for (int length : new int[]{10_000}) {
            Expect tooLong = bool || length > field.maxLength() ? REJECTED : EITHER;
            values.add(new Value(length + " letters", quote("a".repeat(length)), tooLong));
            values.add(new Value(length + " digits", quote("7".repeat(length)), tooLong));
            values.add(new Value("plausible + " + length + " letters", quote(plausible + "x".repeat(length)), tooLong));
            values.add(new Value(length + " emoji", quote("\ud83d\ude00".repeat(length / 2)), tooLong));
        }
        values.add(new Value("100000 letters (body over 64 KiB)", quote("a".repeat(100_000)), REJECTED));
        values.add(new Value("NUL", "\"\\u0000\"", REJECTED));
        values.add(new Value("plausible + NUL", quote(plausible).replaceFirst("\"$", "\\\\u0000\""), REJECTED));
        values.add(new Value("lone high surrogate", "\"\\ud800\"", REJECTED));
        values.add(new Value("lone low surrogate", "\"\\udfff\"", REJECTED));
        values.add(new Value("plausible + lone surrogate", quote(plausible).replaceFirst("\"$", "\\\\ud83d\""), REJECTED));
        values.add(new Value("reversed surrogates", "\"\\ude00\\ud83d\"", REJECTED));
        // C0 and C1 controls and DEL, alone and around the plausible value.
        for (int c = 1; c <= 0x9f; c = c == 0x1f ? 0x7f : c + 1) {
            String ch = String.valueOf((char) c);
            String name = String.format("U+%04X", c);
            values.add(new Value(name, quote(ch), bool ? REJECTED : EITHER));
            values.add(new Value(name + " + plausible", quote(ch + plausible), EITHER));
            values.add(new Value("plausible with " + name + " inside", quote(insert(plausible, ch)), EITHER));
            values.add(new Value("plausible + " + name, quote(plausible + ch), EITHER));
        }
        for (String unusual : UNUSUAL_UNICODE) {
            values.add(new Value("unicode " + escape(unusual), quote(unusual), EITHER));
            values.add(new Value("plausible + unicode " + escape(unusual), quote(plausible + unusual), EITHER));
        }
        for (String injection : INJECTIONS) {
            values.add(new Value("injection " + abbreviate(injection), quote(injection), EITHER));
        }
        for (String specific : specificTo(field)) {
            values.add(new Value(field.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(specific),
                    quote(specific), EITHER));
        }
        return values;
    }

    /** Missing, null and values of the wrong JSON type. */
    private void wrongTypes(Field field, List<Value> values) {
        boolean bool = field.kind() == Field.Kind.BOOLEAN;
        String plausible = plausibleJson(field);
        values.add(new Value("missing", null, field.required() ? REJECTED : EITHER));
        values.add(new Value("null", "null", field.allowNull() ? EITHER : REJECTED));
        values.add(new Value("true", "true", bool ? EITHER : REJECTED));
        values.add(new Value("false", "false", bool ? EITHER : REJECTED));
        for (String number : List.of("0", "-1", "1.5", "1e308", "-0", "1E400", "123456789012345678901234567890",
                "0.0000000000000000000001")) {
            values.add(new Value(number, number, EITHER));
        }
        for (String structured : List.of("[]", "[" + plausible + "]", "[[[[[[[[[[]]]]]]]]]]", "{}",
                "{\"$ne\":null}", "{\"$gt\":\"\"}", "{\"value\":" + plausible + "}")) {
            values.add(new Value(structured.length() > 40 ? "nested structure" : structured, structured, REJECTED));
        }
    }

    private static final List<String> UNUSUAL_UNICODE = List.of(
            "\ud83d\ude00", "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67", "\u202e", "\u200b", "\u200d", "\ufeff",
            "e\u0301", "a" + "\u0301".repeat(200), "\uff11\uff12\uff13\uff14\uff15\uff16", "\u0661\u0662\u0663\u0664\u0665\u0666",
            "\u0967\u0968\u0969", "\u0430\u0434\u043c\u0438\u043d", "\u2028", "\u2029", "\uffff", "\ufffe", "\ue000",
            "\udbff\udfff", "\u00df", "\u0130", "\u212a", "\u00c5", "A\u030a", "\u3042\u3044\u3046",
            "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u2126", "\ufdfd", "\ud800\udc00",
            "\u1680", "\u180e", "\u2060", "\u00ad");

    private static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE USER_ENTITY; --", "1; SELECT pg_sleep(0)",
            "admin'--", "%' AND 1=0 UNION SELECT NULL --", "') OR ('a'='a", "\\' OR 1=1 #",
            "*)(uid=*))(|(uid=*", "*", "admin)(&)", "(|(objectClass=*))", "\\2a", "cn=admin,dc=example,dc=com",
            "${7*7}", "#{7*7}", "{{7*7}}", "<%= 7*7 %>", "${jndi:ldap://127.0.0.1:1/a}", "${env:PATH}",
            "${sys:user.name}", "*{7*7}", "@(7*7)", "{{constructor.constructor('return 1')()}}", "[[${7*7}]]",
            "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}", "#set($x=7*7)$x",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
            "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "file:///etc/passwd",
            "a\r\nSet-Cookie: x=y", "a\r\n\r\nHTTP/1.1 200 OK", "%0d%0aX-Injected: 1",
            "%s%s%s%s%n", "%x%x%x%x", "{0}{1}{2}", "%(password)s",
            "; ls -la", "$(id)", "`id`", "| cat /etc/passwd", "&& whoami",
            "{\"$where\": \"sleep(1)\"}", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "None", "True", "undefined", "NaN", "null", "-0", "0x1F", "1e5", "\\u0000", "\\");

    private List<String> specificTo(Field field) {
        String name = field.name();
        if (name.contains("phone")) {
            return List.of("+", "+0", "+49", "00" + seed.phone().substring(1), "tel:" + seed.phone(),
                    seed.phone() + " ext. 9", "+1 900 555 0100", "+49151123456789012345", "+4915112345678" + "9".repeat(30),
                    seed.phone().replace("+", "\uff0b"), seed.phone() + seed.phone(), "(+49) 151/" + seed.phone().substring(6),
                    "+999" + seed.phone().substring(3), "++" + seed.phone().substring(1), seed.phone().substring(0, 6));
        }
        if (field.kind() == Field.Kind.EMAIL || name.contains("email")) {
            return List.of("a@b", "a@b@c.test", "<" + seed.email() + ">", "a@[127.0.0.1]", "\"a b\"@example.test",
                    "x".repeat(250) + "@example.test", seed.email().toUpperCase(java.util.Locale.ROOT), seed.email() + ".",
                    "." + seed.email(), "a..b@example.test", "a@-example.test", "\u00e4@example.test", "a@\u00e4.test",
                    seed.email() + "\n", "@example.test", "a@", "a@localhost");
        }
        if (field.kind() == Field.Kind.CODE || name.contains("code") || name.equals("pin")) {
            return List.of("0", "00000", "0000000", "-00000", "+00000", "12345a", "1 2 3 4 5 6", "\uff10\uff10\uff10\uff10\uff10\uff10",
                    "\u0660\u0660\u0660\u0660\u0660\u0660", "0x0000", "1e5", "999999999999999999999", "000000.0", "  000000  ");
        }
        if (field.kind() == Field.Kind.PASSWORD || name.contains("password")) {
            return List.of("password", "12345678", "a", " ", "Seeded-", "Seeded-" + "0".repeat(31) + "g",
                    "Seeded-" + "0".repeat(33), REFUSED_PASSWORD.repeat(200));
        }
        if (name.equals("token") || name.equals("refresh") || name.contains("token")) {
            return List.of(FORGED_JWT, forgedHs256(), "a.b.c", "...", "eyJ", FORGED_JWT + ".", FORGED_JWT.replace('.', '_'),
                    seed.userId(), "00000000-0000-0000-0000-000000000000", "ZZZ", Base64.getEncoder().encodeToString(new byte[64]));
        }
        if (name.endsWith("_id") || name.equals("id")) {
            return List.of(seed.userId().toUpperCase(java.util.Locale.ROOT), seed.userId() + " ", "00000000-0000-0000-0000-000000000000",
                    "1", "-1", seed.username(), "../" + seed.userId(), seed.userId().replace("-", ""));
        }
        return List.of();
    }

    // ---------------------------------------------------------------- pairs

    /**
     * Random pairs of mutated fields on routes with two or more fields, until {@code minimum} probes exist. One value of
     * each pair is invalid by itself: two values that are each acceptable could together make a valid request (a new
     * email with {@code terms_accepted=true} registers an account), which would change the realm this test must leave
     * unchanged. So a pair may never be accepted.
     */
    private void pairsUntil(List<DialectInfo> dialects, int minimum) {
        record Target(DialectInfo dialect, Route route, Route.Operation operation) {
        }
        List<Target> targets = new ArrayList<>();
        for (DialectInfo dialect : dialects) {
            for (Route route : dialect.routes()) {
                for (String method : route.methods().stream().sorted().toList()) {
                    if (route.operation(method).fields().size() >= 2) {
                        targets.add(new Target(dialect, route, route.operation(method)));
                    }
                }
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Map<Field, List<Value>> cache = new LinkedHashMap<>();
        int i = 0;
        // At least a few per route, even when the single mutations already exceed the minimum.
        int atLeast = probes.size() + targets.size() * 50;
        while (probes.size() < Math.max(minimum, atLeast)) {
            Target target = targets.get(i++ % targets.size());
            List<Field> fields = target.operation().fields();
            int first = random.nextInt(fields.size());
            int second = (first + 1 + random.nextInt(fields.size() - 1)) % fields.size();
            Value a = pick(cache.computeIfAbsent(fields.get(first), this::values));
            Value b = pick(cache.computeIfAbsent(fields.get(second), this::values).stream()
                    .filter(v -> v.expect() == REJECTED).toList());
            Map<String, String> mutated = plausible(target.operation());
            mutated.put(fields.get(first).name(), a.json());
            mutated.put(fields.get(second).name(), b.json());
            add(target.dialect(), target.route(), target.operation(), random.nextBoolean(),
                    "JSON " + fields.get(first).name() + "=" + a.label() + " and " + fields.get(second).name() + "=" + b.label(),
                    jsonBody(mutated), authExpect(target.route(), target.operation().method()).and(a.expect()).and(b.expect()));
        }
    }

    private Value pick(List<Value> values) {
        Value value = values.get(random.nextInt(values.size()));
        // Pairs of bodies over 64 KiB teach nothing new; draw again.
        return value.json() != null && value.json().length() > BodyReader.MAX_BYTES ? pick(values) : value;
    }

    // ---------------------------------------------------------------- building blocks

    private static final String MISSING = "\u0000missing";

    private java.util.Optional<String> formValue(Value value) {
        if (value.json() == null) {
            return java.util.Optional.of(MISSING);
        }
        try {
            var node = JSON.readTree(value.json());
            if (node.isTextual()) {
                String text = node.textValue();
                // A lone surrogate cannot be form-encoded as UTF-8; the JSON variants cover it.
                return text.codePoints().anyMatch(c -> c >= 0xd800 && c <= 0xdfff) ? java.util.Optional.empty()
                        : java.util.Optional.of(text);
            }
            if (node.isNumber() || node.isBoolean()) {
                return java.util.Optional.of(value.json());
            }
            return java.util.Optional.empty();
        } catch (JsonProcessingException e) {
            return java.util.Optional.empty();
        }
    }

    private void add(DialectInfo dialect, Route route, Route.Operation operation, boolean slash, String what, byte[] body,
                     Expect expect) {
        probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, slash),
                hasBody(operation.method()) ? jsonHeaders() : List.of(),
                hasBody(operation.method()) ? body : null, what, expect));
    }

    private void addForm(DialectInfo dialect, Route route, Route.Operation operation, String what, Map<String, String> form,
                         Expect expect) {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : form.entrySet()) {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[]{"Content-Type", "application/x-www-form-urlencoded"});
        probes.add(new Probe(dialect.id(), endpoint(route, operation), operation.method(), path(dialect, route, true),
                headers, hasBody(operation.method()) ? body.toString().getBytes(StandardCharsets.UTF_8) : null,
                what, expect));
    }

    private Probe probe(DialectInfo dialect, Route route, String method, String target, List<String[]> headers,
                        byte[] body, String what, Expect expect) {
        return new Probe(dialect.id(), route.path() + " (any)", method, target, headers, body, what, expect);
    }

    /** The route's path under the realm, path parameters filled with the existing user's id. */
    private String path(DialectInfo dialect, Route route, boolean slash) {
        String filled = route.path().replaceAll("\\{[^}]+}", seed.userId());
        return seed.realmPath() + "/" + dialect.id() + (filled.isEmpty() ? "" : "/" + filled) + (slash ? "/" : "");
    }

    private static String endpoint(Route route, Route.Operation operation) {
        return operation.method() + " " + route.path();
    }

    /**
     * Requests that must be authenticated get no valid credentials: whatever else is wrong, the answer must be a 4xx.
     * Methods a route opens to anonymous callers ({@code Route.Builder.anonymous}) are judged by their input alone.
     */
    private static Expect authExpect(Route route, String method) {
        return route.requiresAuth(method) ? REJECTED : EITHER;
    }

    private static boolean hasBody(String method) {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    private static boolean required(Route.Operation operation) {
        return operation.fields().stream().anyMatch(Field::required);
    }

    private static boolean anyNonNullable(Route.Operation operation) {
        return operation.fields().stream().anyMatch(f -> !f.allowNull());
    }

    private static List<String[]> jsonHeaders() {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[]{"Content-Type", "application/json"});
        return headers;
    }

    private static List<String[]> manyHeaders(int count) {
        List<String[]> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            headers.add(new String[]{"X-Bad-Input-" + i, "v" + i});
        }
        return headers;
    }

    /** The plausible JSON texts of an operation's fields, in declaration order. */
    private Map<String, String> plausible(Route.Operation operation) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : operation.fields()) {
            values.put(field.name(), plausibleJson(field));
        }
        return values;
    }

    private Map<String, String> plausibleForm(Route.Operation operation) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : operation.fields()) {
            values.put(field.name(), field.kind() == Field.Kind.BOOLEAN ? "false" : plausibleText(field));
        }
        return values;
    }

    private String plausibleJson(Field field) {
        return field.kind() == Field.Kind.BOOLEAN ? "false" : quote(plausibleText(field));
    }

    /**
     * A value of the right type that still fails, chosen by field name (SPEC §4): an existing user's username, email
     * and phone (registrations collide), a password the realm policy refuses, a wrong code, a forged token. Every
     * field of every route must have one here ({@link #fieldsWithoutNamedValue}); the kind's value is the fallback.
     */
    String plausibleText(Field field) {
        String value = named.get(field.name());
        if (value != null) {
            return value;
        }
        return switch (field.kind()) {
            case PASSWORD -> REFUSED_PASSWORD;
            case EMAIL -> seed.email();
            case BOOLEAN -> "false";
            case CODE -> WRONG_CODE;
            case STRING -> "bad-input";
            // A valid choice: what makes the request fail is elsewhere.
            case CHOICE -> field.choices().get(0);
        };
    }

    private Map<String, String> namedValues() {
        Map<String, String> values = new java.util.TreeMap<>();
        values.put("username", seed.username());
        values.put("email", seed.email());
        for (String phone : List.of("phone", "phonenumber", "phone_number")) {
            values.put(phone, seed.phone());
        }
        for (String password : List.of("password", "repeat_password", "password2", "old_password", "new_password",
                "current_password")) {
            values.put(password, REFUSED_PASSWORD);
        }
        values.put("code", WRONG_CODE);
        values.put("token", FORGED_JWT);
        values.put("refresh", FORGED_JWT);
        // email-signup's binding of public-set-password to verify-code's caller: one that verify-code never gave.
        values.put("set_password_token", "bad-input-never-issued-set-password-token-0000");
        values.put("user_id", seed.userId());
        values.put("id", seed.userId());
        values.put("terms_accepted", "false");
        values.put("purpose", "email_verification");
        values.put("first_name", "Bad");
        values.put("last_name", "Input");
        // PINs are 4 to 6 digits: two digits are never one.
        values.put("pin", "12");
        values.put("current_pin", "12");
        return values;
    }

    /** Every field name of every route with the plausible value its requests start from, for the report. */
    static Map<String, String> fieldDefaults(List<DialectInfo> dialects, Seed seed) {
        ProbeGenerator generator = new ProbeGenerator(seed);
        Map<String, String> defaults = new java.util.TreeMap<>();
        forEachField(dialects, field -> defaults.put(field.name(), generator.plausibleJson(field)));
        return defaults;
    }

    /** Fields whose name has no plausible value of its own: a new field needs one (see {@link #plausibleText}). */
    static java.util.Set<String> fieldsWithoutNamedValue(List<DialectInfo> dialects, Seed seed) {
        Map<String, String> known = new ProbeGenerator(seed).named;
        java.util.Set<String> missing = new java.util.TreeSet<>();
        forEachField(dialects, field -> {
            if (!known.containsKey(field.name())) {
                missing.add(field.name());
            }
        });
        return missing;
    }

    private static void forEachField(List<DialectInfo> dialects, java.util.function.Consumer<Field> action) {
        for (DialectInfo dialect : dialects) {
            for (Route route : dialect.routes()) {
                for (String method : route.methods()) {
                    route.operation(method).fields().forEach(action);
                }
            }
        }
    }

    private static byte[] jsonBody(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getValue() == null) {
                continue;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(field.getKey())).append(':').append(field.getValue());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String allFields(Route.Operation operation, String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        operation.fields().forEach(f -> fields.put(f.name(), json));
        return new String(jsonBody(fields), StandardCharsets.UTF_8);
    }

    /** Each field twice: first a wrong type, then its plausible value (the last one wins, as in Python). */
    private String duplicateKeys(Route.Operation operation) {
        StringBuilder json = new StringBuilder("{");
        for (Field field : operation.fields()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(field.name())).append(":[1],").append(quote(field.name())).append(':').append(plausibleJson(field));
        }
        return json.append('}').toString();
    }

    private static String withExtraKeys(String base, int count) {
        StringBuilder extra = new StringBuilder("\"bad-input-extra\":true");
        for (int i = 0; i < count; i++) {
            extra.append(",\"k").append(i).append("\":").append(i);
        }
        return base.equals("{}") ? "{" + extra + "}" : base.substring(0, base.length() - 1) + "," + extra + "}";
    }

    /** The body with the first string value's content replaced by raw (possibly invalid) bytes. */
    private static byte[] replaceFirstValue(String base, byte[] raw) {
        int colon = base.indexOf(":\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (colon < 0) {
            out.writeBytes("{\"x\":\"".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(raw);
            out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeBytes(base.substring(0, colon + 2).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(raw);
            out.writeBytes(base.substring(colon + 2).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String insert(String text, String ch) {
        int middle = text.length() / 2;
        return text.substring(0, middle) + ch + text.substring(middle);
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(4).forEach(c -> sb.append(String.format("U+%04X", c)));
        return sb.toString();
    }

    static String abbreviate(String text) {
        String printable = escapeControls(text);
        return printable.length() > 60 ? printable.substring(0, 60) + "...(" + text.length() + " chars)" : printable;
    }

    private static String escapeControls(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    private static String jwt(String header, String payload, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    /** A JWT "signed" with HS256 under a key the realm never had. */
    private String forgedHs256() {
        return jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"sub\":\"" + seed.userId() + "\",\"typ\":\"Bearer\",\"exp\":4102444800,\"iss\":\"http://127.0.0.1"
                        + seed.realmPath() + "\"}", "c2lnbmVkLXdpdGgtYS13cm9uZy1rZXk");
    }
}
