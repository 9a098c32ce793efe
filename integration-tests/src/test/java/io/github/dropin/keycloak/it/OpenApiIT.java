package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dialect describes itself: {@code GET /realms/{realm}/{dialect}/openapi.json} on a real Keycloak answers an
 * OpenAPI 3.1 document that a real parser (swagger-parser) reads without a message, names the dialect's base URL as
 * Keycloak sees the request, lists the dialect's operations, and documents the validation, authentication and
 * framework errors exactly as the server answers them.
 */
@KeycloakRealm("realms/all-dialects.json")
class OpenApiIT {

    static final List<String> DIALECTS = List.of("email-signup", "jwt-auth", "phone-otp", "token-auth", "users-api");

    /** A few operations per dialect, as the seeds write their paths (jwt-auth without the final slash). */
    static final Map<String, List<String>> OPERATIONS = Map.of(
            "phone-otp", List.of("POST /auth/api/Register/", "POST /auth/api/verify/", "POST /auth/api/login/",
                    "POST /auth/api/login/verify/"),
            "token-auth", List.of("POST /api/register/", "POST /api/login/", "GET /api/logout/ tokenAuth",
                    "POST /api/logout/ tokenAuth", "GET /api/profile/ tokenAuth"),
            "email-signup", List.of("POST /api/v1/auth/users/", "GET /api/v1/auth/users/ bearerAuth",
                    "DELETE /api/v1/auth/users/me/ bearerAuth", "POST /api/v1/auth/token/obtain/",
                    "POST /api/v1/auth/pin/check/ bearerAuth"),
            "users-api", List.of("POST /api/v1/users/", "GET /api/v1/users/{id}/ bearerAuth tokenAuth",
                    "PATCH /api/v1/users/{id}/ bearerAuth tokenAuth", "DELETE /api/v1/users/{id}/ bearerAuth tokenAuth",
                    "POST /api-token-auth/", "POST /api/password_reset/confirm/"),
            "jwt-auth", List.of("POST /auth/token", "POST /auth/token/refresh", "POST /auth/register",
                    "GET /auth/getuser bearerAuth"));

    final TestRealm realm;

    OpenApiIT(TestRealm realm) {
        this.realm = realm;
    }

    String documentUrl(String base, String dialect) {
        return base + "/realms/" + realm.name() + "/" + dialect + "/openapi.json";
    }

    static SwaggerParseResult parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(json, null, options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"email-signup", "jwt-auth", "phone-otp", "token-auth", "users-api"})
    void servesAValidOpenApi31DescriptionOfItsOperations(String dialect) {
        Response response = given().get(documentUrl(realm.serverUrl(), dialect));
        response.then().statusCode(200).contentType(ContentType.JSON);

        SwaggerParseResult result = parse(response.asString());
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getInfo().getTitle()).isEqualTo(dialect);
        assertThat(api.getServers()).singleElement()
                .satisfies(server -> assertThat(server.getUrl()).isEqualTo(realm.realmUrl() + "/" + dialect));
        for (String expected : OPERATIONS.get(dialect)) {
            String[] parts = expected.split(" ");
            PathItem item = api.getPaths().get(parts[1]);
            assertThat(item).as(expected).isNotNull();
            Operation operation = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(parts[0]));
            assertThat(operation).as(expected).isNotNull();
            assertThat(operation.getSummary()).as("summary of %s", expected).isNotBlank();
            List<String> security = operation.getSecurity() == null ? List.of()
                    : operation.getSecurity().stream().flatMap(s -> s.keySet().stream()).toList();
            assertThat(security).as("security of %s", expected)
                    .containsExactlyElementsOf(List.of(parts).subList(2, parts.length));
        }
        assertThat(api.getPaths()).containsKey("/openapi.json");
    }

    @Test
    void phoneOtpDescribesLoginWithItsFieldAndSeedAnswers() throws Exception {
        JsonNode document = AdminApi.JSON.readTree(given().get(documentUrl(realm.serverUrl(), "phone-otp")).asString());
        JsonNode login = document.at("/paths/~1auth~1api~1login~1/post");
        assertThat(login.path("operationId").asText()).isEqualTo("postAuthApiLogin");
        JsonNode schema = document.at("/components/schemas/PostAuthApiLoginRequest");
        assertThat(schema.toString()).isEqualTo("{\"type\":\"object\",\"properties\":{\"phone\":{\"type\":\"string\","
                + "\"description\":\"Surrounding spaces are removed.\",\"minLength\":1,\"maxLength\":64}},"
                + "\"required\":[\"phone\"]}");
        assertThat(login.at("/requestBody/content").size()).as("JSON only").isEqualTo(1);
        assertThat(login.at("/responses/404/content/application~1json/example").toString())
                .isEqualTo("{\"error\":\"User does not exist\"}");
        assertThat(login.at("/responses/429/content/application~1json/example").toString())
                .isEqualTo("{\"message\":\"User already have a request for login\"}");
    }

    @Test
    void theServerUrlIsTheOneKeycloakSawTheRequestAt() {
        // Keycloak runs without a fixed hostname: the URL follows the request's Host.
        String viaLocalhost = realm.serverUrl().replace("127.0.0.1", "localhost");
        assertThat(viaLocalhost).isNotEqualTo(realm.serverUrl());
        String url = given().get(documentUrl(viaLocalhost, "users-api")).then().statusCode(200)
                .extract().path("servers[0].url");
        assertThat(url).isEqualTo(viaLocalhost + "/realms/" + realm.name() + "/users-api");
    }

    @Test
    void servedLikeEveryRouteOfTheDispatcher() {
        String url = documentUrl(realm.serverUrl(), "phone-otp");
        String plain = given().get(url).then().statusCode(200).extract().asString();
        // With the final slash, with credentials nobody checks: the same document.
        assertThat(given().header("Authorization", "Bearer nonsense").get(url + "/").then().statusCode(200)
                .extract().asString()).isEqualTo(plain);
        given().head(url).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS")
                .body(org.hamcrest.Matchers.equalTo("{\"error\":\"Method POST not allowed\"}"));
        given().get(url.replace("openapi.json", "openapi.yaml")).then().statusCode(404);
    }

    /** The example of a response by its name, or its only example. */
    static JsonNode example(JsonNode response, String name) {
        JsonNode json = response.at("/content/application~1json");
        return json.has("examples") ? json.at("/examples/" + name + "/value") : json.path("example");
    }

    /**
     * The errors the descriptions document are what the server answers: for every operation of every dialect, an
     * empty body where fields are required (the validation error), no credentials where they are needed (the 401
     * and its challenge), and, per dialect, an unknown path and a wrong method (the shared {@code default}). None
     * of these requests reaches a handler, so nothing changes.
     */
    @Test
    void documentedErrorsAreTheServersAnswers() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String dialect : DIALECTS) {
            JsonNode document = AdminApi.JSON.readTree(given().get(documentUrl(realm.serverUrl(), dialect)).asString());
            String base = document.at("/servers/0/url").asText();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                String target = base + path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = operations.next();
                    if (entry.getKey().equals("parameters")) {
                        continue;
                    }
                    String method = entry.getKey().toUpperCase(Locale.ROOT);
                    JsonNode operation = entry.getValue();
                    String what = dialect + " " + method + " " + path.getKey();
                    if (operation.has("security")) {
                        JsonNode documented = operation.at("/responses/401");
                        Response answer = given().request(method, target);
                        assertThat(answer.statusCode()).as(what).isEqualTo(401);
                        assertThat(AdminApi.JSON.readTree(answer.asString())).as(what)
                                .isEqualTo(example(documented, "missingCredentials"));
                        assertThat(answer.header("WWW-Authenticate")).as(what)
                                .isEqualTo(documented.at("/headers/WWW-Authenticate/example").asText());
                        checked.add(what + " 401");
                        continue;
                    }
                    String schema = operation.at("/requestBody/content/application~1json/schema/$ref").asText();
                    JsonNode required = schema.isEmpty() ? null
                            : document.at("/components/schemas/" + schema.substring(schema.lastIndexOf('/') + 1) + "/required");
                    if (required == null || required.isMissingNode()) {
                        continue;
                    }
                    Response answer = given().contentType(ContentType.JSON).body("{}").request(method, target);
                    assertThat(answer.statusCode()).as(what).isEqualTo(400);
                    assertThat(AdminApi.JSON.readTree(answer.asString())).as(what)
                            .isEqualTo(example(operation.at("/responses/400"), "invalidInput"));
                    checked.add(what + " 400");
                }
            }
            JsonNode others = document.at("/components/responses/Errors/content/application~1json/examples");
            Response notFound = given().get(base + "/no/such/path/");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(AdminApi.JSON.readTree(notFound.asString())).as(dialect).isEqualTo(others.at("/notFound/value"));
            // The example is a PUT to a route without PUT; an open one, since authentication comes before the method.
            String open = null;
            Iterator<Map.Entry<String, JsonNode>> candidates = document.path("paths").fields();
            while (open == null && candidates.hasNext()) {
                Map.Entry<String, JsonNode> path = candidates.next();
                if (!path.getValue().has("put") && !path.getValue().findValues("security").iterator().hasNext()
                        && !path.getValue().path("x-unserved-methods-authenticated").asBoolean()) {
                    open = path.getKey();
                }
            }
            Response wrongMethod = given().contentType(ContentType.JSON).body("{}").put(base + open);
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(AdminApi.JSON.readTree(wrongMethod.asString())).as(dialect)
                    .isEqualTo(others.at("/methodNotAllowed/value"));
        }
        System.out.println("OPENAPI: documented errors matched the server's answers for " + checked.size()
                + " operations: " + checked);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(40);
    }
}
