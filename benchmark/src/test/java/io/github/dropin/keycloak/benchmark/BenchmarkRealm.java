package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The realm a benchmark run creates for itself on the server: the demo realm's configuration
 * ({@code docker/import/demo-realm.json}: clients, user profile, settings) plus what load from one machine needs,
 * created through Keycloak's admin REST API and deleted again by {@link ResultsWriter}.
 * <ul>
 *     <li>Rate limits lifted for this realm only (every request comes from one IP, and each phone user signs in
 *     many times a minute): {@code dropin.codeHourlyLimitPerIp}, {@code ...PerSubject},
 *     {@code dropin.phone-otp.codeResendCooldown=0}, {@code dropin.login.codeResendCooldown=0} (the direct grant's
 *     code request).</li>
 *     <li>A public client {@code benchmark} with direct access grants (Keycloak's password and refresh grants) and
 *     a confidential {@code benchmark-introspection} client (Keycloak's introspection endpoint).</li>
 *     <li>twice {@value #PHONE_USERS} users with verified phone numbers (one half for each phone round) and
 *     {@value #PASSWORD_USERS} users with passwords,
 *     each of the latter signed in twice through Keycloak's password grant (with and without
 *     {@code scope=openid}) and twice through each of
 *     jwt-auth and email-signup ({@link TokenUse}), so the refresh, introspection and verify scenarios have tokens.</li>
 *     <li>Access tokens valid for two hours and sessions idle for as long, so tokens taken at the start stay valid
 *     for the whole run (a soak run included).</li>
 * </ul>
 */
final class BenchmarkRealm {

    static final int PHONE_USERS = 400;
    static final int PASSWORD_USERS = 40;
    static final String PASSWORD_CLIENT = "benchmark";
    /** The demo client whose client scopes the baseline client copies (every dialect client has the same). */
    private static final String SCOPES_LIKE = "jwt-auth";
    /** The demo realm's client whose direct grant is the pack's phone + code flow. */
    static final String PHONE_CLIENT = "phone-app";
    static final String INTROSPECTION_CLIENT = "benchmark-introspection";
    static final String INTROSPECTION_SECRET = "benchmark-introspection-secret";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A signed-in password user: the tokens the refresh and introspection scenarios use. */
    record Tokens(String username, String accessToken, String refreshToken) {
    }

    /** Path of a dialect's token endpoint under the realm, and the field that names the user. */
    enum PairDialect {
        JWT_AUTH("/jwt-auth/auth/token", "username"),
        EMAIL_SIGNUP("/email-signup/api/v1/auth/token/obtain/", "email");

        final String obtainPath;
        final String userField;

        PairDialect(String obtainPath, String userField) {
            this.obtainPath = obtainPath;
            this.userField = userField;
        }
    }

    private final BenchmarkConfig config;
    private final List<String> phones = new ArrayList<>();
    private final List<String> directGrantPhones = new ArrayList<>();
    private final List<Map<String, String>> passwordUsers = new ArrayList<>();
    private final List<Tokens> tokens = new ArrayList<>();
    private final List<Tokens> oidcTokens = new ArrayList<>();
    private final Map<PairDialect, Map<TokenUse, List<Tokens>>> dialectTokens = new java.util.EnumMap<>(PairDialect.class);

    /** Million-user mode ({@link MillionSimulation}): users looked up by id, and the accounts token-auth registers. */
    private final List<String> lookupIds = new ArrayList<>();
    private final List<Map<String, String>> registrations = new ArrayList<>();
    private String usersAdminToken;

    private BenchmarkRealm(BenchmarkConfig config) {
        this.config = config;
    }

    /** The million-user benchmark's administrator (realm-management manage-users), for users-api lookups. */
    static final String ADMIN_USER = "bench-admin";
    /** The demo realm's users-api client; the million-user realm lets it use Keycloak's password grant. */
    static final String USERS_API_CLIENT = "users-api";

    /**
     * The realm of the million-user benchmark ({@link MillionSimulation}): with {@code create}, made like
     * {@link #create} but with no users of its own other than {@link MillionUsers#TEMPLATE_USERNAME} (whose hash and
     * roles {@link MillionUsers} copies) and {@link #ADMIN_USER}, and with what the extra scenarios need (token-auth's
     * verify-user limits lifted, room for 5 000 pending registration codes, users-api showing legacy ids, legacy ids
     * handed out above the loaded ones); without it, the realm the first phase made. Then {@code load} runs (the
     * {@link MillionUsers} loader); the scenarios use the users given, and the password users are signed in.
     */
    static BenchmarkRealm forPopulation(BenchmarkConfig config, Path demoRealm, boolean create, List<String> phones,
                                        List<String> directGrantPhones, List<Map<String, String>> passwordUsers,
                                        List<String> lookupIds, List<Map<String, String>> registrations,
                                        Runnable load) {
        BenchmarkRealm realm = new BenchmarkRealm(config);
        if (create) {
            realm.importRealm(demoRealm, true);
        }
        load.run();
        realm.phones.addAll(phones);
        realm.directGrantPhones.addAll(directGrantPhones);
        realm.passwordUsers.addAll(passwordUsers);
        realm.lookupIds.addAll(lookupIds);
        realm.registrations.addAll(registrations);
        realm.signIn();
        // users-api lets a user administrator reach other users only with an access token that carries the
        // realm-management role (a DRF key carries no roles): the users-api client's own token.
        realm.usersAdminToken = form(config.firstUrl() + "/realms/" + config.realm() + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", USERS_API_CLIENT, "username", ADMIN_USER,
                        "password", MillionUsers.PASSWORD)).path("access_token").asText();
        return realm;
    }

    List<String> lookupIds() {
        return lookupIds;
    }

    List<Map<String, String>> registrations() {
        return registrations;
    }

    /** An access token of {@link #ADMIN_USER} for users-api (Bearer), valid for the run. */
    String usersAdminToken() {
        return usersAdminToken;
    }

    /** Creates the realm (replacing one of the same name) and signs the password users in once. */
    static BenchmarkRealm create(BenchmarkConfig config, Path demoRealm) {
        BenchmarkRealm realm = new BenchmarkRealm(config);
        realm.importRealm(demoRealm, false);
        realm.signIn();
        return realm;
    }

    List<String> phones() {
        return phones;
    }

    /** Phone users of the direct-grant round, apart from the phone-otp round's. */
    List<String> directGrantPhones() {
        return directGrantPhones;
    }

    List<Map<String, String>> passwordUsers() {
        return passwordUsers;
    }

    List<Tokens> tokens() {
        return tokens;
    }

    /**
     * Tokens of OpenID Connect sessions ({@code scope=openid}), as the dialects' sessions are (Keycloak's userinfo
     * endpoint accepts only access tokens with that scope): each refresh of such a session also signs an ID token.
     */
    List<Tokens> oidcTokens() {
        return oidcTokens;
    }

    /** What a set of a dialect's tokens is for; each set has sessions of its own. */
    enum TokenUse {
        /** the dialect's verify scenario */
        VERIFY,
        /** the dialect's refresh scenario, which rotates them */
        ROTATE
    }

    /** Tokens from a dialect's own token endpoint, one sign-in per password user and use. */
    List<Tokens> dialectTokens(PairDialect dialect, TokenUse use) {
        return dialectTokens.get(dialect).get(use);
    }

    private void importRealm(Path demoRealm, boolean bulk) {
        ObjectNode realm;
        try {
            realm = (ObjectNode) JSON.readTree(Files.readString(demoRealm));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the demo realm " + demoRealm, e);
        }
        realm.remove("id");
        realm.put("realm", config.realm());
        // Flow ids are global in Keycloak's database: the demo realm names one (its direct-grant flow, so that a
        // client can bind it); this realm gets its own, and its clients' bindings follow.
        Map<String, String> flowIds = new java.util.HashMap<>();
        for (JsonNode flow : realm.path("authenticationFlows")) {
            if (flow.hasNonNull("id")) {
                String id = flow.get("id").asText();
                // Keycloak's ids are at most 36 characters: a UUID derived from realm and id.
                flowIds.put(id, java.util.UUID.nameUUIDFromBytes((config.realm() + "/" + id)
                        .getBytes(StandardCharsets.UTF_8)).toString());
                ((ObjectNode) flow).put("id", flowIds.get(id));
            }
        }
        for (JsonNode client : realm.path("clients")) {
            if (client.path("authenticationFlowBindingOverrides") instanceof ObjectNode overrides) {
                overrides.properties().forEach(e -> {
                    if (flowIds.containsKey(e.getValue().asText())) {
                        e.setValue(JSON.getNodeFactory().textNode(flowIds.get(e.getValue().asText())));
                    }
                });
            }
        }
        realm.put("displayName", "Drop-in Pack benchmark");
        realm.put("accessTokenLifespan", 7200);
        // The verify and users/me scenarios use the sessions signed in at the start without refreshing them: they
        // must outlive a soak run (Keycloak's default idle timeout of 30 minutes ended them in the first soak run,
        // and its last minute answered 401, as it should).
        realm.put("ssoSessionIdleTimeout", 7200);
        realm.put("ssoSessionMaxLifespan", 36000);
        ObjectNode attributes = realm.withObjectProperty("attributes");
        attributes.put("dropin.codeHourlyLimitPerIp", "100000000");
        attributes.put("dropin.codeHourlyLimitPerSubject", "100000000");
        attributes.put("dropin.codeDailyFailureLimit", "100000000");
        attributes.put("dropin.phone-otp.codeResendCooldown", "0");
        attributes.put("dropin.login.codeResendCooldown", "0");
        // The fraud shield's SMS budgets (1 000 an hour, 100 an hour per number range by default): a benchmark
        // texts tens of thousands of numbers of one range within minutes.
        attributes.put("dropin.shield.smsHourlyBudget", "0");
        attributes.put("dropin.shield.smsDailyBudget", "0");
        attributes.put("dropin.shield.smsPrefixHourlyBudget", "0");
        if (bulk) {
            attributes.put("dropin.token-auth.codeVerifyHourlyLimitPerIp", "0");
            attributes.put("dropin.token-auth.codeVerifyFailureBudget", "0");
            attributes.put("dropin.token-auth.codeMaxPending", "5000");
            attributes.put("dropin.users-api.legacyIds", "true");
            attributes.put("dropin.legacyIds.next", Long.toString(MillionUsers.legacyId(MillionSimulation.MAX_USERS)));
        }

        ArrayNode clients = realm.withArrayProperty("clients");
        if (bulk) {
            for (JsonNode client : clients) {
                if (USERS_API_CLIENT.equals(client.path("clientId").asText())) {
                    ((ObjectNode) client).put("directAccessGrantsEnabled", true);
                }
            }
        }
        ObjectNode passwordClient = clients.addObject().put("clientId", PASSWORD_CLIENT).put("publicClient", true)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true);
        // The same client scopes as the dialects' clients, so that both sides of a pair put the same claims (the
        // same protocol mappers) into their tokens.
        for (JsonNode client : realm.path("clients")) {
            if (SCOPES_LIKE.equals(client.path("clientId").asText())) {
                passwordClient.set("defaultClientScopes", client.path("defaultClientScopes").deepCopy());
                passwordClient.set("optionalClientScopes", client.path("optionalClientScopes").deepCopy());
            }
        }
        // Keycloak 26 introspects a token only for a client in its audience.
        passwordClient.putArray("protocolMappers").addObject().put("name", "introspection audience")
                .put("protocol", "openid-connect").put("protocolMapper", "oidc-audience-mapper")
                .putObject("config").put("included.client.audience", INTROSPECTION_CLIENT)
                .put("access.token.claim", "true").put("id.token.claim", "false");
        clients.addObject().put("clientId", INTROSPECTION_CLIENT).put("publicClient", false)
                .put("secret", INTROSPECTION_SECRET).put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", false);

        ArrayNode users = realm.putArray("users");
        if (bulk) {
            users.addObject().put("username", MillionUsers.TEMPLATE_USERNAME).put("enabled", true)
                    .putArray("credentials").addObject().put("type", "password").put("value", MillionUsers.PASSWORD)
                    .put("temporary", false);
            ObjectNode admin = users.addObject().put("username", ADMIN_USER).put("enabled", true)
                    .put("email", ADMIN_USER + "@example.test").put("emailVerified", true)
                    .put("firstName", "Bench").put("lastName", "Admin");
            admin.putArray("credentials").addObject().put("type", "password").put("value", MillionUsers.PASSWORD)
                    .put("temporary", false);
            admin.putObject("clientRoles").putArray("realm-management").add("manage-users").add("view-users");
        }
        for (int i = 0; i < (bulk ? 0 : 2 * PHONE_USERS); i++) {
            String phone = String.format("+4915190%06d", i);
            (i < PHONE_USERS ? phones : directGrantPhones).add(phone);
            ObjectNode user = users.addObject().put("username", phone).put("enabled", true);
            ObjectNode attrs = user.putObject("attributes");
            attrs.putArray("phoneNumber").add(phone);
            attrs.putArray("phoneNumberVerified").add("true");
        }
        for (int i = 0; i < (bulk ? 0 : PASSWORD_USERS); i++) {
            String username = "bench-user-" + i;
            String password = "Bench-password-" + i + "!";
            passwordUsers.add(Map.of("username", username, "password", password,
                    "email", username + "@example.test"));
            ObjectNode user = users.addObject().put("username", username).put("enabled", true)
                    .put("email", username + "@example.test").put("emailVerified", true)
                    .put("firstName", "Bench").put("lastName", "User " + i);
            user.putArray("credentials").addObject().put("type", "password").put("value", password)
                    .put("temporary", false);
        }

        String token = adminToken();
        HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(admin("")))
                .header("Authorization", "Bearer " + token).GET().build());
        if (existing.statusCode() == 200) {
            expect(send(HttpRequest.newBuilder(URI.create(admin(""))).header("Authorization", "Bearer " + token)
                    .DELETE().build()), 204, "delete the previous benchmark realm");
        }
        expect(send(HttpRequest.newBuilder(URI.create(config.firstUrl() + "/admin/realms"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(realm.toString())).build()), 201, "create the benchmark realm");
    }

    private void signIn() {
        for (Map<String, String> user : passwordUsers) {
            JsonNode response = form(config.firstUrl() + "/realms/" + config.realm() + "/protocol/openid-connect/token",
                    Map.of("grant_type", "password", "client_id", PASSWORD_CLIENT, "username", user.get("username"),
                            "password", user.get("password")));
            tokens.add(new Tokens(user.get("username"), response.path("access_token").asText(),
                    response.path("refresh_token").asText()));
            JsonNode oidc = form(config.firstUrl() + "/realms/" + config.realm() + "/protocol/openid-connect/token",
                    Map.of("grant_type", "password", "client_id", PASSWORD_CLIENT, "username", user.get("username"),
                            "password", user.get("password"), "scope", "openid"));
            oidcTokens.add(new Tokens(user.get("username"), oidc.path("access_token").asText(),
                    oidc.path("refresh_token").asText()));
        }
        for (PairDialect dialect : PairDialect.values()) {
            Map<TokenUse, List<Tokens>> sets = new java.util.EnumMap<>(TokenUse.class);
            for (TokenUse use : TokenUse.values()) {
                List<Tokens> list = new ArrayList<>();
                for (Map<String, String> user : passwordUsers) {
                    JsonNode response = json(config.firstUrl() + "/realms/" + config.realm() + dialect.obtainPath,
                            JSON.createObjectNode().put(dialect.userField, user.get(dialect.userField)).put("password", user.get("password")));
                    list.add(new Tokens(user.get("username"), response.path("access").asText(),
                            response.path("refresh").asText()));
                }
                sets.put(use, list);
            }
            dialectTokens.put(dialect, sets);
        }
    }

    private static JsonNode json(String url, ObjectNode body) {
        HttpResponse<String> response = expect(send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()), 200, "POST " + url);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the realm (and with it every user and session the run made). */
    static void delete(String url, String realm) {
        String token = adminToken(url);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/admin/realms/" + realm))
                .header("Authorization", "Bearer " + token).DELETE().build());
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw new IllegalStateException("Deleting realm " + realm + ": HTTP " + response.statusCode());
        }
    }

    /** Keycloak's version, from the admin server info. */
    static String keycloakVersion(String url) {
        String token = adminToken(url);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/admin/serverinfo"))
                .header("Authorization", "Bearer " + token).GET().build());
        try {
            return JSON.readTree(response.body()).path("systemInfo").path("version").asText("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String admin(String path) {
        return config.firstUrl() + "/admin/realms/" + config.realm() + path;
    }

    private String adminToken() {
        return adminToken(config.firstUrl());
    }

    private static String adminToken(String url) {
        return form(url + "/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", BenchmarkConfig.ADMIN_USERNAME,
                "password", BenchmarkConfig.ADMIN_PASSWORD)).path("access_token").asText();
    }

    private static JsonNode form(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = expect(send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), 200, "POST " + url);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": expected HTTP " + status + ", got " + response.statusCode() + " "
                    + response.body());
        }
        return response;
    }
}
