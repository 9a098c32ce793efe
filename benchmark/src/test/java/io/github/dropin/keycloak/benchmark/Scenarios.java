package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The scenarios of the benchmark, each one iteration of a closed workload (a fixed number of concurrent users, each
 * starting its next iteration when the previous one is answered), measured in segments that alternate between a
 * dialect and its Keycloak baseline, so that neither side gets the fresher server.
 * <ul>
 *     <li>{@link #PHONE_OTP}: {@code POST phone-otp/auth/api/login/}, the code from the server's SMS log,
 *     {@code POST phone-otp/auth/api/login/verify/} (a Keycloak session and the realm's tokens);</li>
 *     <li>{@link #REFRESH}: Keycloak's {@code grant_type=refresh_token} (an access and a refresh token);</li>
 *     <li>{@link #REFRESH_OIDC}: the same for sessions signed in with {@code scope=openid}, like the dialects'
 *     sessions, whose refreshes also sign an ID token;</li>
 *     <li>{@link #PASSWORD}: Keycloak's {@code grant_type=password} (an argon2 hash per request);</li>
 *     <li>{@link #INTROSPECTION}: Keycloak's token introspection endpoint;</li>
 *     <li>the dialects' password logins ({@link #TOKEN_AUTH_LOGIN}, {@link #JWT_AUTH_TOKEN},
 *     {@link #EMAIL_SIGNUP_OBTAIN}, {@link #USERS_API_TOKEN}), each a Keycloak user session with a password check,
 *     like {@link #PASSWORD};</li>
 *     <li>the dialects' refresh endpoints ({@link #JWT_AUTH_REFRESH}, {@link #EMAIL_SIGNUP_REFRESH}), which rotate:
 *     each iteration takes a refresh token from a pool and puts the new one back;</li>
 *     <li>the dialects' verify endpoints ({@link #JWT_AUTH_VERIFY}, {@link #EMAIL_SIGNUP_VERIFY}), the answer to
 *     "is this access token good", like {@link #INTROSPECTION};</li>
 *     <li>{@link #DIRECT_GRANT}: {@code POST sms-code/request}, the code from the server's SMS log, Keycloak's token
 *     endpoint with {@code phone_number} and {@code code} through the pack's direct-grant flow.</li>
 * </ul>
 */
final class Scenarios {

    static final String PHONE_OTP = "phone-otp round (login + login/verify)";
    static final String REFRESH = "Keycloak refresh_token grant";
    static final String REFRESH_OIDC = "Keycloak refresh_token grant, OpenID session";
    static final String PASSWORD = "Keycloak password grant";
    static final String INTROSPECTION = "Keycloak token introspection";
    static final String TOKEN_AUTH_LOGIN = "token-auth login";
    static final String JWT_AUTH_TOKEN = "jwt-auth token";
    static final String EMAIL_SIGNUP_OBTAIN = "email-signup token/obtain";
    static final String USERS_API_TOKEN = "users-api api-token-auth";
    static final String JWT_AUTH_REFRESH = "jwt-auth token/refresh (rotating)";
    static final String EMAIL_SIGNUP_REFRESH = "email-signup token/refresh (rotating)";
    static final String JWT_AUTH_VERIFY = "jwt-auth token/verify";
    static final String EMAIL_SIGNUP_VERIFY = "email-signup token/verify";
    static final String DIRECT_GRANT = "direct grant round (sms-code/request + phone/code grant)";
    /** Million-user mode: Djoser's {@code users/me/} of the email-signup dialect, with an access token. */
    static final String USERS_ME = "email-signup users/me (Djoser)";
    /** Million-user mode: users-api {@code GET users/<legacy id>/} by a user administrator. */
    static final String USERS_API_LOOKUP = "users-api users/<id> lookup (administrator, legacy id)";
    /** Million-user mode: token-auth registration with a phone number (a pending code each). */
    static final String TOKEN_AUTH_REGISTER = "token-auth register (phone, pending code)";
    /** Million-user mode: token-auth {@code verify-user} with the code alone, among many pending codes. */
    static final String TOKEN_AUTH_VERIFY_USER = "token-auth verify-user (code alone, many pending)";

    /** How long a virtual user waits for its code to show up in the log before the round counts as failed. */
    private static final Duration CODE_WAIT = Duration.ofSeconds(10);

    private final BenchmarkConfig config;
    private final BenchmarkRealm realm;
    private final Recorder recorder;
    private final SmsCodes codes;
    /** Refresh tokens of the rotating scenarios: taken for one request, the new one put back. */
    private final java.util.Queue<String> jwtRefreshPool;
    private final java.util.Queue<String> emailRefreshPool;
    /** Codes of the accounts {@link #TOKEN_AUTH_REGISTER} made, for {@link #TOKEN_AUTH_VERIFY_USER}. */
    private final java.util.Queue<String> pendingCodes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Accounts {@link #TOKEN_AUTH_REGISTER} has yet to register; each is registered once per run. */
    private final java.util.Queue<Map<String, String>> unregistered;

    Scenarios(BenchmarkConfig config, Path demoRealm) {
        this(config, BenchmarkRealm.create(config, demoRealm));
    }

    Scenarios(BenchmarkConfig config, BenchmarkRealm realm) {
        this.config = config;
        this.realm = realm;
        this.recorder = new Recorder();
        this.codes = new SmsCodes(config.realm(), config.smsLogs());
        this.jwtRefreshPool = refreshPool(BenchmarkRealm.PairDialect.JWT_AUTH);
        this.emailRefreshPool = refreshPool(BenchmarkRealm.PairDialect.EMAIL_SIGNUP);
        this.unregistered = new java.util.concurrent.ConcurrentLinkedQueue<>(realm.registrations());
    }

    private java.util.Queue<String> refreshPool(BenchmarkRealm.PairDialect dialect) {
        return new java.util.concurrent.ConcurrentLinkedQueue<>(realm.dialectTokens(dialect,
                BenchmarkRealm.TokenUse.ROTATE).stream().map(BenchmarkRealm.Tokens::refreshToken).toList());
    }

    Recorder recorder() {
        return recorder;
    }

    /** Writes this run's summary for {@link ResultsWriter}. */
    Path summarise(String kind, List<String[]> pairs) {
        return summarise(kind, pairs, Map.of());
    }

    /** As above, with extra fields for {@link ResultsWriter}. */
    Path summarise(String kind, List<String[]> pairs, Map<String, Object> extra) {
        codes.close();
        return recorder.write(config, kind, pairs, BenchmarkRealm.keycloakVersion(config.firstUrl()), extra);
    }

    HttpProtocolBuilder protocol() {
        // Connections are kept alive and shared, as an app backend's HTTP client would; virtual users are spread
        // over the nodes round robin when there are several.
        return http.baseUrls(config.urls()).shareConnections().acceptHeader("application/json")
                .userAgentHeader("dropin-benchmark");
    }

    /** Warm-up then measured segments of each scenario, alternating within each group, one group after another. */
    PopulationBuilder plan(List<List<String>> groups) {
        // Long enough for the JIT on a busy 2-core machine; the first runs after a server start measured the
        // dialect (warmed first) well below its later figures with a 15 s warm-up.
        int warmUp = config.warmUp() >= 0 ? config.warmUp() : Math.max(30, config.seconds() / 2);
        int segments = 4;
        int segment = Math.max(5, config.seconds() / segments);
        PopulationBuilder plan = null;
        for (int groupIndex = 0; groupIndex < groups.size(); groupIndex++) {
            List<String> group = groups.get(groupIndex);
            for (String name : group) {
                plan = then(plan, scenario(name, "group " + (groupIndex + 1) + ", warm-up", -1).injectClosed(
                        constantConcurrentUsers(config.users()).during(Duration.ofSeconds(warmUp))));
            }
            for (int s = 0; s < segments; s++) {
                for (String name : group) {
                    // Segment ids are unique over the run: a baseline in several groups gets a window per segment.
                    plan = then(plan, scenario(name, "group " + (groupIndex + 1) + ", segment " + (s + 1),
                            groupIndex * segments + s).injectClosed(
                            constantConcurrentUsers(config.users()).during(Duration.ofSeconds(segment))));
                }
            }
        }
        return plan;
    }

    void close() {
        codes.close();
    }

    private static PopulationBuilder then(PopulationBuilder plan, PopulationBuilder next) {
        return plan == null ? next : plan.andThen(next);
    }

    private ScenarioBuilder scenario(String name, String part, int segment) {
        return io.gatling.javaapi.core.CoreDsl.scenario(name + " (" + part + ")").exec(chain(name, segment));
    }

    /** One iteration of scenario {@code name}, recorded in measured segment {@code segment} (none when negative). */
    ChainBuilder chain(String name, int segment) {
        Recorder.Series series = segment < 0 ? null : recorder.series(name);
        return switch (name) {
            case PHONE_OTP -> phoneOtpRound(series, segment);
            case REFRESH -> refresh(series, segment, realm.tokens(), "keycloak refresh_token");
            case REFRESH_OIDC -> refresh(series, segment, realm.oidcTokens(), "keycloak refresh_token (openid)");
            case PASSWORD -> password(series, segment);
            case INTROSPECTION -> introspection(series, segment);
            case TOKEN_AUTH_LOGIN -> passwordLogin(series, segment, "token-auth login",
                    "/token-auth/api/login/", "username", "$.token");
            case JWT_AUTH_TOKEN -> passwordLogin(series, segment, "jwt-auth token",
                    "/jwt-auth/auth/token", "username", "$.access");
            case EMAIL_SIGNUP_OBTAIN -> passwordLogin(series, segment, "email-signup token/obtain",
                    "/email-signup/api/v1/auth/token/obtain/", "email", "$.access");
            case USERS_API_TOKEN -> passwordLogin(series, segment, "users-api api-token-auth",
                    "/users-api/api-token-auth/", "username", "$.token");
            case JWT_AUTH_REFRESH -> rotatingRefresh(series, segment, "jwt-auth token/refresh",
                    "/jwt-auth/auth/token/refresh", jwtRefreshPool);
            case EMAIL_SIGNUP_REFRESH -> rotatingRefresh(series, segment, "email-signup token/refresh",
                    "/email-signup/api/v1/auth/token/refresh/", emailRefreshPool);
            case JWT_AUTH_VERIFY -> verify(series, segment, "jwt-auth token/verify", "/jwt-auth/auth/token/verify",
                    BenchmarkRealm.PairDialect.JWT_AUTH);
            case EMAIL_SIGNUP_VERIFY -> verify(series, segment, "email-signup token/verify",
                    "/email-signup/api/v1/auth/token/verify/", BenchmarkRealm.PairDialect.EMAIL_SIGNUP);
            case DIRECT_GRANT -> directGrantRound(series, segment);
            case USERS_ME -> usersMe(series, segment);
            case USERS_API_LOOKUP -> usersApiLookup(series, segment);
            case TOKEN_AUTH_REGISTER -> register(series, segment);
            case TOKEN_AUTH_VERIFY_USER -> verifyUser(series, segment);
            default -> throw new IllegalArgumentException("Unknown scenario " + name);
        };
    }

    /** Codes waiting for {@link #TOKEN_AUTH_VERIFY_USER}. */
    int pendingCodes() {
        return pendingCodes.size();
    }

    private ChainBuilder usersMe(Recorder.Series series, int segment) {
        return exec(feed(realm.dialectTokens(BenchmarkRealm.PairDialect.EMAIL_SIGNUP, BenchmarkRealm.TokenUse.VERIFY)
                .stream().map(t -> Map.<String, Object>of("access", t.accessToken()))))
                .exec(measured(http("users/me").get(realmPath() + "/email-signup/api/v1/auth/users/me/")
                        .header("Authorization", "Bearer #{access}"), jsonPath("$.email").exists()))
                .exec(record(series, segment, "users/me"));
    }

    private ChainBuilder usersApiLookup(Recorder.Series series, int segment) {
        String token = realm.usersAdminToken();
        return exec(feed(realm.lookupIds().stream().map(id -> Map.<String, Object>of("id", id))))
                .exec(measured(http("users-api users/<id>").get(realmPath() + "/users-api/api/v1/users/#{id}/")
                        .header("Authorization", "Bearer " + token), jsonPath("$.username").exists()))
                .exec(record(series, segment, "users-api users/<id>"));
    }

    /**
     * A token-auth registration with a phone number; the code it texts goes to {@link #pendingCodes}. The list of
     * accounts is used once: a run registers at most as many as it holds.
     */
    private ChainBuilder register(Recorder.Series series, int segment) {
        return exec(session -> {
            Map<String, String> account = unregistered.poll();
            return account == null ? session.markAsFailed()
                    : session.set("username", account.get("username")).set("phone", account.get("phone"));
        })
                .exitHereIfFailed()
                .exec(session -> session.set("mark", codes.mark()))
                .exec(measured(http("token-auth register").post(realmPath() + "/token-auth/api/register/")
                        .body(StringBody("{\"username\": \"#{username}\", \"password\": \"" + MillionUsers.PASSWORD
                                + "\", \"phone_number\": \"#{phone}\", \"email\": \"\"}")).asJson(),
                        jsonPath("$.success_message").exists()))
                .exec(record(series, segment, "token-auth register"))
                .exitHereIfFailed()
                .exec(awaitCode())
                .exec(session -> {
                    pendingCodes.add(session.getString("code"));
                    return session;
                });
    }

    private ChainBuilder verifyUser(Recorder.Series series, int segment) {
        return exec(session -> {
            String code = pendingCodes.poll();
            return code == null ? session.markAsFailed() : session.set("code", code);
        })
                .exitHereIfFailed()
                .exec(measured(http("token-auth verify-user").post(realmPath() + "/token-auth/api/verify-user/")
                        .body(StringBody("{\"code\": \"#{code}\"}")).asJson(), jsonPath("$.success_message").exists()))
                .exec(record(series, segment, "token-auth verify-user"));
    }

    private ChainBuilder phoneOtpRound(Recorder.Series series, int segment) {
        String base = "/realms/" + config.realm() + "/phone-otp/auth/api/";
        return exec(feed(realm.phones().stream().map(p -> Map.<String, Object>of("phone", p))))
                .exec(session -> session.set("mark", codes.mark()))
                .exec(measured(http("phone-otp login").post(base + "login/")
                        .body(StringBody("{\"phone\":\"#{phone}\"}")).asJson(), jsonPath("$.user_id").saveAs("userId")))
                .exec(record(series, segment, "phone-otp login"))
                .exitHereIfFailed()
                .exec(awaitCode())
                .exec(measured(http("phone-otp login/verify").post(base + "login/verify/")
                        .body(StringBody("{\"code\": \"#{code}\", \"user_id\": \"#{userId}\"}")).asJson(),
                        jsonPath("$.access_token").exists()))
                .exec(record(series, segment, "phone-otp login/verify"));
    }

    /**
     * Waits for the SMS to {@code #{phone}} logged after {@code #{mark}} and saves its code as {@code #{code}}; the
     * virtual user fails after {@link #CODE_WAIT}.
     */
    private ChainBuilder awaitCode() {
        return exec(session -> session.set("waitUntil", System.currentTimeMillis() + CODE_WAIT.toMillis()))
                .asLongAs(session -> codes.codeAfter(session.getString("phone"), session.getLong("mark")) == null
                        && System.currentTimeMillis() < session.getLong("waitUntil"))
                .on(pause(Duration.ofMillis(2)))
                .exec(session -> {
                    String code = codes.codeAfter(session.getString("phone"), session.getLong("mark"));
                    return code == null ? session.markAsFailed() : session.set("code", code);
                })
                .exitHereIfFailed();
    }

    private ChainBuilder refresh(Recorder.Series series, int segment, List<BenchmarkRealm.Tokens> tokens,
                                 String request) {
        return exec(feed(tokens.stream().map(t -> Map.<String, Object>of("refresh", t.refreshToken()))))
                .exec(measured(http(request).post(tokenPath())
                        .formParam("grant_type", "refresh_token").formParam("client_id", BenchmarkRealm.PASSWORD_CLIENT)
                        .formParam("refresh_token", "#{refresh}"), jsonPath("$.access_token").exists()))
                .exec(record(series, segment, request));
    }

    private ChainBuilder password(Recorder.Series series, int segment) {
        return exec(feed(realm.passwordUsers().stream().map(u -> Map.<String, Object>copyOf(u))))
                .exec(measured(http("keycloak password").post(tokenPath())
                        .formParam("grant_type", "password").formParam("client_id", BenchmarkRealm.PASSWORD_CLIENT)
                        .formParam("username", "#{username}").formParam("password", "#{password}"),
                        jsonPath("$.access_token").exists()))
                .exec(record(series, segment, "keycloak password"));
    }

    private ChainBuilder introspection(Recorder.Series series, int segment) {
        return exec(feed(realm.tokens().stream().map(t -> Map.<String, Object>of("access", t.accessToken()))))
                .exec(measured(http("keycloak introspect").post(tokenPath() + "/introspect")
                        .basicAuth(BenchmarkRealm.INTROSPECTION_CLIENT, BenchmarkRealm.INTROSPECTION_SECRET)
                        .formParam("token", "#{access}"), jsonPath("$.active").ofBoolean().is(true)))
                .exec(record(series, segment, "keycloak introspect"));
    }

    private ChainBuilder passwordLogin(Recorder.Series series, int segment, String request, String path,
                                       String userField, String tokenPath) {
        return exec(feed(realm.passwordUsers().stream().map(u -> Map.<String, Object>of(
                        "login", u.get(userField),
                        "password", u.get("password")))))
                .exec(measured(http(request).post(realmPath() + path)
                        .body(StringBody("{\"" + userField + "\": \"#{login}\", \"password\": \"#{password}\"}"))
                        .asJson(), jsonPath(tokenPath).exists()))
                .exec(record(series, segment, request));
    }

    private ChainBuilder rotatingRefresh(Recorder.Series series, int segment, String request, String path,
                                         java.util.Queue<String> pool) {
        return exec(session -> {
            // Never blocks: the pool holds more tokens than there are concurrent users.
            String refresh = pool.poll();
            return refresh == null ? session.markAsFailed() : session.set("refresh", refresh);
        })
                .exitHereIfFailed()
                .exec(measured(http(request).post(realmPath() + path)
                        .body(StringBody("{\"refresh\": \"#{refresh}\"}")).asJson(),
                        jsonPath("$.refresh").saveAs("rotated")))
                .exec(session -> {
                    // The new refresh token goes back to the pool; a failed refresh loses its token (and counts as
                    // an error).
                    if (session.contains("rotated")) {
                        pool.add(session.getString("rotated"));
                    }
                    return session.remove("rotated");
                })
                .exec(record(series, segment, request));
    }

    private ChainBuilder verify(Recorder.Series series, int segment, String request, String path,
                                BenchmarkRealm.PairDialect dialect) {
        return exec(feed(realm.dialectTokens(dialect, BenchmarkRealm.TokenUse.VERIFY).stream()
                .map(t -> Map.<String, Object>of("access", t.accessToken()))))
                .exec(measured(http(request).post(realmPath() + path)
                        .body(StringBody("{\"token\": \"#{access}\"}")).asJson(), jsonPath("$").exists()))
                .exec(record(series, segment, request));
    }

    private ChainBuilder directGrantRound(Recorder.Series series, int segment) {
        return exec(feed(realm.directGrantPhones().stream().map(p -> Map.<String, Object>of("phone", p))))
                .exec(session -> session.set("mark", codes.mark()))
                .exec(measured(http("sms-code/request").post(realmPath() + "/sms-code/request")
                        .formParam("client_id", BenchmarkRealm.PHONE_CLIENT).formParam("phone_number", "#{phone}"),
                        jsonPath("$.expires_in").exists()))
                .exec(record(series, segment, "sms-code/request"))
                .exitHereIfFailed()
                .exec(awaitCode())
                .exec(measured(http("direct grant phone/code").post(tokenPath())
                        .formParam("grant_type", "password").formParam("client_id", BenchmarkRealm.PHONE_CLIENT)
                        .formParam("phone_number", "#{phone}").formParam("code", "#{code}"),
                        jsonPath("$.access_token").exists()))
                .exec(record(series, segment, "direct grant phone/code"));
    }

    private String realmPath() {
        return "/realms/" + config.realm();
    }

    private String tokenPath() {
        return "/realms/" + config.realm() + "/protocol/openid-connect/token";
    }

    /** Saves the response time and status for {@link #record} before any check can stop the others. */
    private static HttpRequestActionBuilder measured(HttpRequestActionBuilder request,
                                                     io.gatling.javaapi.core.CheckBuilder extra) {
        return request.check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"), status().is(200), extra);
    }

    private static Function<Session, Session> record(Recorder.Series series, int segment, String request) {
        return session -> {
            if (series != null && session.contains("rt")) {
                int status = session.contains("status") ? session.getInt("status") : 0;
                series.add(request, segment, System.currentTimeMillis(), session.getInt("rt"),
                        status / 100 == 2 && !session.isFailed());
            } else if (series != null) {
                series.add(request, segment, System.currentTimeMillis(), 0, false);
            }
            return session.remove("rt").remove("status");
        };
    }

    /** A circular feeder over a fixed list; Gatling may call it from several threads. */
    private static ChainBuilder feed(Stream<Map<String, Object>> records) {
        List<Map<String, Object>> list = records.toList();
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        Iterator<Map<String, Object>> circular = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return list.get((int) (next.getAndIncrement() % list.size()));
            }
        };
        return exec(io.gatling.javaapi.core.CoreDsl.feed(circular));
    }
}
