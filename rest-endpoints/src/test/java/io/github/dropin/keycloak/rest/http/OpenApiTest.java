package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dialect's generated OpenAPI description, checked by a real OpenAPI 3.1 parser (swagger-parser) and against
 * the route table it was generated from: every route, method, path parameter and field, with its required-ness,
 * types and limits, the authentication, and the error answers rendered by the dialect's own code.
 */
class OpenApiTest {

    private static final String SERVER = "https://sso.example.test/realms/demo/";

    /** The dialects the pack registers, from their factories without a server (as BadInputIT finds them). */
    static List<Dialect> dialects() {
        List<Dialect> dialects = new ArrayList<>();
        for (var iterator = ServiceLoader.load(RealmResourceProviderFactory.class).stream().iterator(); ; ) {
            ServiceLoader.Provider<RealmResourceProviderFactory> provider;
            Class<? extends RealmResourceProviderFactory> type;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                provider = iterator.next();
                type = provider.type();
            } catch (ServiceConfigurationError | LinkageError notOurs) {
                // Keycloak's own factories need classes this classpath lacks.
                continue;
            }
            if (DialectProviderFactory.class.isAssignableFrom(type)) {
                dialects.add(((DialectProviderFactory) provider.get()).dialect());
            }
        }
        dialects.sort(Comparator.comparing(Dialect::id));
        return dialects;
    }

    static SwaggerParseResult parse(Dialect dialect) throws Exception {
        String json = Json.MAPPER.writeValueAsString(OpenApi.describe(dialect, SERVER + dialect.id()));
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(json, null, options);
    }

    @Test
    void allFiveDialectsAreDescribed() {
        assertThat(dialects()).extracting(Dialect::id)
                .containsExactly("email-signup", "jwt-auth", "phone-otp", "token-auth", "users-api");
    }

    @Test
    void everyDescriptionIsValidOpenApi31() throws Exception {
        for (Dialect dialect : dialects()) {
            SwaggerParseResult result = parse(dialect);
            assertThat(result.getMessages()).as("parser messages for %s", dialect.id()).isEmpty();
            OpenAPI api = result.getOpenAPI();
            assertThat(api.getOpenapi()).isEqualTo("3.1.0");
            assertThat(api.getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);
            assertThat(api.getInfo().getTitle()).isEqualTo(dialect.id());
            assertThat(api.getInfo().getVersion()).isNotBlank().isNotEqualTo("unknown");
            assertThat(api.getServers()).singleElement().satisfies(s -> assertThat(s.getUrl()).isEqualTo(SERVER + dialect.id()));
        }
    }

    @Test
    void everyRouteMethodAndFieldIsDescribedWithItsRules() throws Exception {
        for (Dialect dialect : dialects()) {
            OpenAPI api = parse(dialect).getOpenAPI();
            Set<String> described = new HashSet<>();
            Set<String> operationIds = new HashSet<>();
            for (Route route : dialect.served()) {
                String path = OpenApi.pathOf(dialect, route);
                described.add(path);
                PathItem item = api.getPaths().get(path);
                assertThat(item).as("%s %s", dialect.id(), path).isNotNull();
                assertThat(methods(item).keySet()).as("methods of %s %s", dialect.id(), path)
                        .containsExactlyInAnyOrderElementsOf(route.methods());
                List<String> params = route.path().isEmpty() ? List.of() : java.util.Arrays.stream(route.path().split("/"))
                        .filter(s -> s.startsWith("{")).map(s -> s.substring(1, s.length() - 1)).toList();
                if (params.isEmpty()) {
                    assertThat(item.getParameters()).isNullOrEmpty();
                } else {
                    assertThat(item.getParameters()).extracting(p -> p.getName() + " in " + p.getIn() + " " + p.getRequired())
                            .containsExactlyElementsOf(params.stream().map(p -> p + " in path true").toList());
                }
                for (String method : route.methods()) {
                    String what = dialect.id() + " " + method + " " + path;
                    Route.Operation declared = route.operation(method);
                    Operation operation = methods(item).get(method);
                    assertThat(operationIds.add(operation.getOperationId())).as("unique operationId of %s", what).isTrue();
                    assertThat(operation.getSummary()).as("summary of %s", what).isNotBlank();
                    checkBody(dialect, declared, operation, api, what);
                    checkSecurity(dialect, route, method, operation, what);
                    checkResponses(route, declared, operation, what);
                }
            }
            assertThat(api.getPaths().keySet()).as("paths of %s", dialect.id()).containsExactlyInAnyOrderElementsOf(described);
        }
    }

    private static void checkBody(Dialect dialect, Route.Operation declared, Operation operation, OpenAPI api, String what) {
        if (declared.fields().isEmpty()) {
            assertThat(operation.getRequestBody()).as("body of %s", what).isNull();
            return;
        }
        Map<String, MediaType> content = operation.getRequestBody().getContent();
        assertThat(content.keySet()).as("media types of %s", what).containsExactlyElementsOf(
                dialect.accepts() == BodyReader.Accepts.JSON_ONLY ? List.of("application/json")
                        : List.of("application/json", "application/x-www-form-urlencoded", "multipart/form-data"));
        for (MediaType media : content.values()) {
            Schema<?> schema = resolve(api, media.getSchema());
            assertThat(schema.getProperties().keySet()).as("fields of %s", what)
                    .containsExactlyElementsOf(declared.fields().stream().map(Field::name).toList());
            List<String> required = declared.fields().stream().filter(Field::required).map(Field::name).toList();
            if (required.isEmpty()) {
                assertThat(schema.getRequired()).as("required fields of %s", what).isNullOrEmpty();
            } else {
                assertThat(schema.getRequired()).as("required fields of %s", what).containsExactlyInAnyOrderElementsOf(required);
            }
            for (Field field : declared.fields()) {
                Schema<?> property = schema.getProperties().get(field.name());
                String which = what + " field " + field.name();
                Set<String> types = new HashSet<>(switch (field.kind()) {
                    case BOOLEAN -> Set.of("boolean");
                    case CODE -> Set.of("string", "integer");
                    default -> Set.of("string");
                });
                if (field.allowNull()) {
                    types.add("null");
                }
                assertThat(property.getTypes()).as("types of %s", which).containsExactlyInAnyOrderElementsOf(types);
                if (field.kind() == Field.Kind.BOOLEAN) {
                    assertThat(property.getMaxLength()).isNull();
                    continue;
                }
                assertThat(property.getMaxLength()).as("maxLength of %s", which).isEqualTo(field.maxLength());
                assertThat(property.getMinLength()).as("minLength of %s", which).isEqualTo(field.allowBlank() ? null : 1);
                assertThat(property.getFormat()).as("format of %s", which).isEqualTo(switch (field.kind()) {
                    case EMAIL -> "email";
                    case PASSWORD -> "password";
                    default -> null;
                });
            }
        }
    }

    private static void checkSecurity(Dialect dialect, Route route, String method, Operation operation, String what) {
        if (!route.requiresAuth(method)) {
            assertThat(operation.getSecurity()).as("security of %s", what).isNullOrEmpty();
            return;
        }
        List<AuthScheme> schemes = dialect.authenticator().schemes();
        assertThat(schemes).as("schemes of %s's authenticator", dialect.id()).isNotEmpty();
        assertThat(operation.getSecurity()).as("security of %s", what).extracting(SecurityRequirement::keySet)
                .containsExactlyElementsOf(schemes.stream().map(s -> Set.of(s.name())).toList());
        ApiResponse refused = operation.getResponses().get("401");
        assertThat(refused).as("401 of %s", what).isNotNull();
        assertThat(refused.getHeaders()).as("401 headers of %s", what).containsKey("WWW-Authenticate");
    }

    private static void checkResponses(Route route, Route.Operation declared, Operation operation, String what) {
        assertThat(operation.getResponses()).as("responses of %s", what).containsKey("default");
        if (!route.path().equals(OpenApi.PATH)) {
            assertThat(declared.doc().answers()).as("documented answers of %s", what)
                    .anyMatch(answer -> answer.status() / 100 == 2);
        }
        for (Route.Answer answer : declared.doc().answers()) {
            ApiResponse response = operation.getResponses().get(Integer.toString(answer.status()));
            assertThat(response).as("%d of %s", answer.status(), what).isNotNull();
            if (answer.example() == null) {
                assertThat(response.getContent()).as("%d body of %s", answer.status(), what).isNull();
            } else {
                MediaType json = response.getContent().get("application/json");
                JsonNode expected = Json.MAPPER.valueToTree(answer.example());
                List<Object> examples = new ArrayList<>();
                if (json.getExample() != null) {
                    examples.add(json.getExample());
                }
                if (json.getExamples() != null) {
                    json.getExamples().values().forEach(e -> examples.add(e.getValue()));
                }
                assertThat(examples).as("%d examples of %s", answer.status(), what)
                        .extracting(e -> (JsonNode) Json.MAPPER.valueToTree(e)).contains(expected);
            }
        }
        if (!declared.fields().isEmpty()) {
            assertThat(operation.getResponses().keySet()).as("validation answer of %s", what)
                    .containsAnyOf("400", "422");
        }
    }

    @Test
    void phoneOtpDescribesItsOwnErrorShapes() throws Exception {
        Dialect phoneOtp = dialects().stream().filter(d -> d.id().equals("phone-otp")).findFirst().orElseThrow();
        JsonNode document = OpenApi.describe(phoneOtp, null);
        JsonNode login = document.at("/paths/~1auth~1api~1login~1/post");
        assertThat(login.path("operationId").asText()).isEqualTo("postAuthApiLogin");
        assertThat(login.at("/requestBody/content").fieldNames()).toIterable().containsExactly("application/json");
        JsonNode invalid = login.at("/responses/400/content/application~1json/examples");
        assertThat(invalid.path("invalidInput").path("value").toString()).isEqualTo("{\"error\":\"Missing parameter: phone\"}");
        assertThat(invalid.path("malformedJson").path("value").toString()).isEqualTo("{\"error\":\"Only JSON requests are accepted\"}");
        assertThat(document.at("/components/responses/Errors/content/application~1json/examples/notFound/value").toString())
                .isEqualTo("{\"error\":\"Not found\"}");
        assertThat(document.has("servers")).isFalse();
    }

    @Test
    void usersApiTakesBothKeywordsAndDescribesDrfsChallenge() throws Exception {
        Dialect usersApi = dialects().stream().filter(d -> d.id().equals("users-api")).findFirst().orElseThrow();
        JsonNode document = OpenApi.describe(usersApi, null);
        JsonNode schemes = document.at("/components/securitySchemes");
        assertThat(schemes.fieldNames()).toIterable().containsExactly("bearerAuth", "tokenAuth");
        assertThat(schemes.path("bearerAuth").path("scheme").asText()).isEqualTo("bearer");
        assertThat(schemes.path("tokenAuth").path("type").asText()).isEqualTo("apiKey");
        JsonNode retrieve = document.at("/paths/~1api~1v1~1users~1{id}~1/get");
        assertThat(retrieve.path("security").toString()).isEqualTo("[{\"bearerAuth\":[]},{\"tokenAuth\":[]}]");
        assertThat(retrieve.at("/responses/401/headers/WWW-Authenticate/example").asText()).isEqualTo("Bearer");
        assertThat(retrieve.at("/responses/401/content/application~1json/example").toString())
                .isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
        assertThat(document.at("/paths/~1api~1v1~1users~1/post/security").isMissingNode()).isTrue();
    }

    @Test
    void noRouteOfADialectHidesItsDescription() {
        // The dispatcher takes the first route that matches; the description comes after the dialect's own routes.
        for (Dialect dialect : dialects()) {
            assertThat(dialect.routes()).as("routes of %s", dialect.id())
                    .allSatisfy(route -> assertThat(route.match(new String[]{OpenApi.PATH})).as(route.path()).isNull());
            assertThat(dialect.served()).last().satisfies(route -> assertThat(route.path()).isEqualTo(OpenApi.PATH));
        }
    }

    @Test
    void answerSchemasAreInferredFromTheirExamples() {
        JsonNode example = Json.MAPPER.valueToTree(Json.object("id", "x", "code", 200, "ratio", 0.5, "valid", true,
                "data", List.of(), "users", List.of(Json.object("email", "a@example.test")), "gone", null));
        assertThat(OpenApi.inferred(example).toString()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"id\":{\"type\":\"string\"},\"code\":{\"type\":\"integer\"},\"ratio\":{\"type\":\"number\"},"
                + "\"valid\":{\"type\":\"boolean\"},\"data\":{\"type\":\"array\"},\"users\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"}}}},"
                + "\"gone\":{\"type\":\"null\"}}}");
    }

    @Test
    void documentingNeedsAnOperationFirst() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Route.at("x").summary("nothing yet"))
                .isInstanceOf(IllegalStateException.class);
        Route route = Route.at("x").get(call -> null).summary("read").responds(200, Json.object("a", 1))
                .post(call -> null).summary("write").responds(204, null).build();
        assertThat(route.operation("GET").doc().summary()).isEqualTo("read");
        assertThat(route.operation("POST").doc().answers()).containsExactly(new Route.Answer(204, null));
    }

    private static Map<String, Operation> methods(PathItem item) {
        Map<String, Operation> methods = new java.util.LinkedHashMap<>();
        item.readOperationsMap().forEach((method, operation) -> methods.put(method.name().toUpperCase(Locale.ROOT), operation));
        return methods;
    }

    private static Schema<?> resolve(OpenAPI api, Schema<?> schema) {
        if (schema.get$ref() == null) {
            return schema;
        }
        String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
        return api.getComponents().getSchemas().get(name);
    }
}
