package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A dialect's OpenAPI 3.1 description, generated from what the dispatcher serves ({@link Dialect#served()}) and
 * served at {@code /realms/{realm}/{dialect}/openapi.json}. Only the summaries and the example answers of the route
 * tables are written by hand ({@link Route.Builder#summary}, {@link Route.Builder#responds}); everything else comes
 * from the code that does the work, so the description follows the dialect when it changes:
 * <ul>
 *     <li>paths, methods and path parameters from the routes, in the original's path form
 *     ({@link Dialect#trailingSlash()});</li>
 *     <li>request bodies from the operations' {@link Field}s with {@link Validator}'s rules (type, required, blank,
 *     null, length), as JSON and, where the dialect takes them, as forms ({@link Dialect#accepts()});</li>
 *     <li>security from the routes' authentication and the authenticator's schemes
 *     ({@link CallerAuthenticator#schemes()});</li>
 *     <li>error answers rendered by the code that sends them: the validation error by {@link Validator}, parse and
 *     media-type errors by {@link BodyReader}, the 401 by the authenticator, the others by the dialect's
 *     {@link ErrorStyle}.</li>
 * </ul>
 */
public final class OpenApi {

    /** The document's path under the dialect. */
    public static final String PATH = "openapi.json";

    public static final String VERSION = "3.1.0";

    /** Sample values for the example answers of the route tables. */
    public static final String EXAMPLE_ID = "587c0bae-5a92-4c75-a2a8-ce1e164bcaf5";
    public static final String EXAMPLE_JWT = "eyJhbGciOiJSUzI1NiIsInR5cCIgOiAiSldUIn0."
            + "eyJzdWIiOiI1ODdjMGJhZS01YTkyLTRjNzUtYTJhOC1jZTFlMTY0YmNhZjUifQ.c2lnbmF0dXJl";
    /** A session key ({@code <session id>.<secret>}), as the DRF-token dialects issue it. */
    public static final String EXAMPLE_KEY = "c6b1a5d2-7e0f-4f8e-9d3a-2b4c6e8f0a1b.mP3x9Qk2LrT7vW1yZ5nB8cD4fG6hJ0sA";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** OpenAPI's own order of the operations of a path item. */
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH");
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ERRORS = "Errors";

    private OpenApi() {
    }

    /** The route serving the description of {@code dialect}; part of {@link Dialect#served()}. */
    static Route route(Dialect dialect) {
        return Route.at(PATH).get(new Serve(dialect))
                .summary("This description of the API (OpenAPI " + VERSION + ")")
                .build();
    }

    /**
     * The description of {@code dialect}.
     *
     * @param serverUrl the dialect's base URL, e.g. {@code https://sso.example.com/realms/demo/phone-otp}; no
     *                  {@code servers} when {@code null}
     */
    public static ObjectNode describe(Dialect dialect, String serverUrl) {
        ObjectNode document = NODES.objectNode();
        document.put("openapi", VERSION);
        document.set("info", info(dialect));
        if (serverUrl != null) {
            document.set("servers", servers(serverUrl));
        }
        ObjectNode schemas = NODES.objectNode();
        ObjectNode paths = document.putObject("paths");
        for (Route route : dialect.served()) {
            paths.set(pathOf(dialect, route), pathItem(dialect, route, schemas));
        }
        ObjectNode components = document.putObject("components");
        if (!schemas.isEmpty()) {
            components.set("schemas", schemas);
        }
        components.putObject("responses").set(ERRORS, otherErrors(dialect.errors()));
        ObjectNode security = NODES.objectNode();
        for (AuthScheme scheme : dialect.authenticator().schemes()) {
            security.set(scheme.name(), securityScheme(scheme));
        }
        if (!security.isEmpty()) {
            components.set("securitySchemes", security);
        }
        return document;
    }

    /** The OpenAPI path of a route: {@code /auth/api/login/}, {@code /api/v1/users/{id}/}, {@code /openapi.json}. */
    public static String pathOf(Dialect dialect, Route route) {
        boolean slash = dialect.trailingSlash() && !route.path().isEmpty() && !route.path().equals(PATH);
        return "/" + route.path() + (slash ? "/" : "");
    }

    /** A unique name of an operation: {@code postAuthApiLoginVerify}, {@code getApiV1UsersId}. */
    public static String operationId(String method, Route route) {
        StringBuilder id = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String word : route.path().split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }

    // ---------------------------------------------------------------- document parts

    private static ObjectNode info(Dialect dialect) {
        ObjectNode info = NODES.objectNode();
        info.put("title", dialect.id());
        info.put("version", PackVersion.VALUE);
        boolean forms = dialect.accepts() == BodyReader.Accepts.JSON_OR_FORM;
        info.put("description", "The `" + dialect.id() + "` drop-in API, served by Keycloak under the realm. "
                + "Request bodies are JSON" + (forms ? ", form-encoded or multipart" : " only") + ", at most "
                + BodyReader.MAX_BYTES + " bytes. Every path is served with and without its final `/`. "
                + "Errors come in the original backend's shapes: each operation lists the ones it answers itself, "
                + "`default` the ones any request can get. Generated from the dialect's route table.");
        return info;
    }

    private static ArrayNode servers(String url) {
        ArrayNode servers = NODES.arrayNode();
        servers.addObject().put("url", url);
        return servers;
    }

    /** Path-item extension: requests with methods the route does not serve are authenticated before their 405. */
    public static final String UNSERVED_METHODS_AUTHENTICATED = "x-unserved-methods-authenticated";

    private static ObjectNode pathItem(Dialect dialect, Route route, ObjectNode schemas) {
        ObjectNode item = NODES.objectNode();
        ArrayNode parameters = NODES.arrayNode();
        for (String segment : route.path().split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                ObjectNode parameter = parameters.addObject();
                parameter.put("name", segment.substring(1, segment.length() - 1));
                parameter.put("in", "path");
                parameter.put("required", true);
                parameter.putObject("schema").put("type", "string");
            }
        }
        if (!parameters.isEmpty()) {
            item.set("parameters", parameters);
        }
        if (route.auth() == Route.Auth.REQUIRED) {
            // Methods the route does not serve are authenticated before they get 405, as DRF does, even where every
            // method it serves is open: a client sees 401 first without credentials.
            item.put(UNSERVED_METHODS_AUTHENTICATED, true);
        }
        route.methods().stream().sorted(Comparator.comparingInt(OpenApi::methodRank)).forEach(method ->
                item.set(method.toLowerCase(Locale.ROOT), operation(dialect, route, route.operation(method), schemas)));
        return item;
    }

    private static int methodRank(String method) {
        int rank = METHODS.indexOf(method);
        return rank < 0 ? METHODS.size() : rank;
    }

    private static ObjectNode operation(Dialect dialect, Route route, Route.Operation operation, ObjectNode schemas) {
        ObjectNode node = NODES.objectNode();
        String id = operationId(operation.method(), route);
        node.put("operationId", id);
        if (operation.doc().summary() != null) {
            node.put("summary", operation.doc().summary());
        }
        CallerAuthenticator authenticator = dialect.authenticator();
        boolean authenticated = route.requiresAuth(operation.method());
        if (authenticated && !authenticator.schemes().isEmpty()) {
            ArrayNode security = node.putArray("security");
            for (AuthScheme scheme : authenticator.schemes()) {
                security.addObject().putArray(scheme.name());
            }
        }
        if (!operation.fields().isEmpty()) {
            String name = Character.toUpperCase(id.charAt(0)) + id.substring(1) + "Request";
            schemas.set(name, requestSchema(operation.fields()));
            ObjectNode body = node.putObject("requestBody");
            body.put("required", dialect.accepts() == BodyReader.Accepts.JSON_ONLY
                    || operation.fields().stream().anyMatch(Field::required));
            ObjectNode content = body.putObject("content");
            content.putObject(JSON).putObject("schema").put("$ref", "#/components/schemas/" + name);
            if (dialect.accepts() == BodyReader.Accepts.JSON_OR_FORM) {
                content.putObject(FORM).putObject("schema").put("$ref", "#/components/schemas/" + name);
                content.putObject(BodyReader.MULTIPART_TYPE).putObject("schema").put("$ref", "#/components/schemas/" + name);
            }
        }
        node.set("responses", responses(dialect, route, operation, authenticated));
        return node;
    }

    // ---------------------------------------------------------------- request bodies

    /** The body of an operation as {@link Validator} checks it; undeclared keys are ignored, so allowed. */
    static ObjectNode requestSchema(List<Field> fields) {
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Field field : fields) {
            properties.set(field.name(), fieldSchema(field));
            if (field.required()) {
                required.add(field.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** One field with {@link Validator}'s rules for its kind. */
    static ObjectNode fieldSchema(Field field) {
        ObjectNode schema = NODES.objectNode();
        List<String> types = new ArrayList<>(switch (field.kind()) {
            case BOOLEAN -> List.of("boolean");
            case CODE -> List.of("string", "integer");
            default -> List.of("string");
        });
        if (field.allowNull()) {
            types.add("null");
        }
        if (types.size() == 1) {
            schema.put("type", types.get(0));
        } else {
            ArrayNode array = schema.putArray("type");
            types.forEach(array::add);
        }
        switch (field.kind()) {
            case EMAIL -> schema.put("format", "email");
            case PASSWORD -> schema.put("format", "password").put("description", field.trim()
                    ? "Surrounding spaces are removed." : "Taken as sent: surrounding spaces are part of it.");
            case CHOICE -> {
                ArrayNode values = schema.putArray("enum");
                field.choices().forEach(values::add);
                schema.put("description", "One of the listed values, exactly.");
            }
            case CODE -> schema.put("description", "The digits received, as a string or a JSON number.");
            case BOOLEAN -> schema.put("description", "Also `\"true\"`/`\"false\"`, `1`/`0`, `yes`/`no`, `on`/`off`; "
                    + "missing from a form: false.");
            default -> schema.put("description", "Surrounding spaces are removed.");
        }
        if (field.kind() != Field.Kind.BOOLEAN) {
            if (!field.allowBlank()) {
                schema.put("minLength", 1);
            }
            schema.put("maxLength", field.maxLength());
        }
        return schema;
    }

    // ---------------------------------------------------------------- responses

    /** The answers of one status: examples by name, and headers. */
    private static final class Answer {
        final int status;
        final Map<String, JsonNode> examples = new LinkedHashMap<>();
        final ObjectNode headers = NODES.objectNode();
        boolean body;

        Answer(int status) {
            this.status = status;
        }

        void example(String name, JsonNode value) {
            body = true;
            if (value != null && !examples.containsValue(value)) {
                examples.put(examples.containsKey(name) ? name + (examples.size() + 1) : name, value);
            }
        }
    }

    private static ObjectNode responses(Dialect dialect, Route route, Route.Operation operation, boolean authenticated) {
        Map<Integer, Answer> answers = new TreeMap<>();
        for (Route.Answer documented : operation.doc().answers()) {
            Answer answer = answers.computeIfAbsent(documented.status(), Answer::new);
            if (documented.example() != null) {
                answer.example("example", Json.MAPPER.valueToTree(documented.example()));
            }
        }
        ErrorStyle style = dialect.errors();
        if (!operation.fields().isEmpty()) {
            // An empty body misses every required field; without one, a list where a value belongs is wrong for
            // every kind.
            ObjectNode invalid = NODES.objectNode();
            if (operation.fields().stream().noneMatch(Field::required)) {
                invalid.putArray(operation.fields().get(0).name());
            }
            try {
                Validator.validate(invalid, operation.fields(), false);
            } catch (ApiError e) {
                rendered(answers, "invalidInput", e.render(style));
            }
        }
        if (!operation.method().equals("GET")) {
            byte[] malformed = "{".getBytes(StandardCharsets.UTF_8);
            for (String type : List.of(JSON, "text/plain")) {
                try {
                    BodyReader.parse(malformed, type, dialect.accepts(), style);
                } catch (ApiError e) {
                    rendered(answers, type.equals(JSON) ? "malformedJson" : "unsupportedMediaType", e.render(style));
                }
            }
            rendered(answers, "tooLarge", style.tooLarge(BodyReader.MAX_BYTES));
        }
        if (authenticated) {
            Response refused = dialect.authenticator().missingCredentials().render(style);
            Answer answer = rendered(answers, "missingCredentials", refused);
            String challenge = refused.getHeaderString(HttpHeaders.WWW_AUTHENTICATE);
            if (challenge != null) {
                ObjectNode header = answer.headers.putObject(HttpHeaders.WWW_AUTHENTICATE);
                header.putObject("schema").put("type", "string");
                header.put("example", challenge);
            }
        }

        ObjectNode responses = NODES.objectNode();
        boolean document = route.path().equals(PATH);
        for (Answer answer : answers.values()) {
            ObjectNode response = responses.putObject(Integer.toString(answer.status));
            response.put("description", reason(answer.status));
            if (!answer.headers.isEmpty()) {
                response.set("headers", answer.headers);
            }
            if (answer.body) {
                response.set("content", content(answer.examples, answer.status < 400));
            }
        }
        if (document) {
            ObjectNode ok = responses.putObject("200");
            ok.put("description", "This document");
            ok.putObject("content").putObject(JSON).putObject("schema").put("type", "object");
        }
        responses.putObject("default").put("$ref", "#/components/responses/" + ERRORS);
        return responses;
    }

    /** Adds a rendered answer's body under its status. */
    private static Answer rendered(Map<Integer, Answer> answers, String name, Response response) {
        Answer answer = answers.computeIfAbsent(response.getStatus(), Answer::new);
        answer.example(name, body(response));
        return answer;
    }

    /**
     * A body by its examples; successful answers get a schema inferred from their example (their keys are fixed),
     * errors only "an object": their keys are field names or the style's, shown by the examples.
     */
    private static ObjectNode content(Map<String, JsonNode> examples, boolean inferSchema) {
        ObjectNode media = NODES.objectNode();
        ObjectNode json = media.putObject(JSON);
        if (inferSchema && examples.size() == 1) {
            json.set("schema", inferred(examples.values().iterator().next()));
        } else {
            json.putObject("schema").put("type", "object");
        }
        if (examples.size() == 1) {
            json.set("example", examples.values().iterator().next());
        } else if (!examples.isEmpty()) {
            ObjectNode named = json.putObject("examples");
            examples.forEach((name, value) -> named.putObject(name).set("value", value));
        }
        return media;
    }

    /** What any request can get, whatever its route: unknown paths and methods, throttling, outages. */
    private static ObjectNode otherErrors(ErrorStyle style) {
        Map<String, Response> rendered = new LinkedHashMap<>();
        rendered.put("notFound", style.notFound());
        rendered.put("methodNotAllowed", style.methodNotAllowed("PUT", Set.of("POST")));
        rendered.put("throttled", style.throttled(60));
        rendered.put("unavailable", style.unavailable());
        rendered.put("serverError", style.serverError());
        ObjectNode response = NODES.objectNode();
        response.put("description", "Errors any request can get: unknown path (404), method (405), too many "
                + "requests (429, with `Retry-After`), the realm not set up for the API (503), a server failure (500).");
        ObjectNode json = response.putObject("content").putObject(JSON);
        json.putObject("schema").put("type", "object");
        ObjectNode examples = json.putObject("examples");
        rendered.forEach((name, answer) -> {
            ObjectNode example = examples.putObject(name);
            example.put("summary", answer.getStatus() + " " + reason(answer.getStatus()));
            example.set("value", body(answer));
        });
        return response;
    }

    private static ObjectNode securityScheme(AuthScheme scheme) {
        ObjectNode node = NODES.objectNode();
        if (scheme.isBearer()) {
            node.put("type", "http");
            node.put("scheme", "bearer");
            if (scheme.bearerFormat() != null) {
                node.put("bearerFormat", scheme.bearerFormat());
            }
        } else {
            // As drf-spectacular describes DRF's TokenAuthentication: the keyword is not a registered HTTP scheme.
            node.put("type", "apiKey");
            node.put("in", "header");
            node.put("name", HttpHeaders.AUTHORIZATION);
        }
        node.put("description", scheme.description());
        return node;
    }

    /** A JSON Schema an example satisfies, without {@code required}: optional keys are not told apart. */
    static ObjectNode inferred(JsonNode example) {
        ObjectNode schema = NODES.objectNode();
        if (example.isObject()) {
            schema.put("type", "object");
            if (!example.isEmpty()) {
                ObjectNode properties = schema.putObject("properties");
                for (Iterator<Map.Entry<String, JsonNode>> fields = example.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    properties.set(field.getKey(), inferred(field.getValue()));
                }
            }
        } else if (example.isArray()) {
            schema.put("type", "array");
            if (!example.isEmpty()) {
                schema.set("items", inferred(example.get(0)));
            }
        } else if (example.isTextual()) {
            schema.put("type", "string");
        } else if (example.isBoolean()) {
            schema.put("type", "boolean");
        } else if (example.isIntegralNumber()) {
            schema.put("type", "integer");
        } else if (example.isNumber()) {
            schema.put("type", "number");
        } else {
            schema.put("type", "null");
        }
        return schema;
    }

    private static JsonNode body(Response response) {
        Object entity = response.getEntity();
        if (!(entity instanceof byte[] bytes) || bytes.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("error body is not JSON", e);
        }
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Status " + status;
    }

    // ---------------------------------------------------------------- serving

    /** Serves the description, generated once per dialect, with the base URL each request reached the dialect at. */
    private static final class Serve implements Handler {

        private final Dialect dialect;
        private volatile ObjectNode generated;

        Serve(Dialect dialect) {
            this.dialect = dialect;
        }

        @Override
        public Response handle(Call call) {
            ObjectNode template = generated;
            if (template == null) {
                template = describe(dialect, null);
                generated = template;
            }
            // The base URL as Keycloak sees the request (its hostname settings and proxy headers applied).
            String url = call.session().getContext().getUri().getBaseUriBuilder()
                    .path("realms").path(call.realm().getName()).path(dialect.id()).build().toString();
            ObjectNode document = NODES.objectNode();
            document.set("openapi", template.get("openapi"));
            document.set("info", template.get("info"));
            document.set("servers", servers(url));
            template.fields().forEachRemaining(field -> {
                if (!document.has(field.getKey())) {
                    document.set(field.getKey(), field.getValue());
                }
            });
            return Json.ok(document);
        }
    }

    /** The pack's version, written into a resource at build time. */
    private static final class PackVersion {
        static final String VALUE = read();

        private static String read() {
            Properties properties = new Properties();
            try (InputStream in = OpenApi.class.getResourceAsStream("openapi.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // Only the version string is lost.
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
