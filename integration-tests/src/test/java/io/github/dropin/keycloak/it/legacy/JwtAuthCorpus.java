package io.github.dropin.keycloak.it.legacy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of seed 004 (jwt-auth, SimpleJWT): register, obtain, verify, refresh (rotating, the used refresh token
 * blacklisted) and getuser as documented, JSON and form bodies, then tokens of every kind on every token-taking
 * endpoint (access, refresh, expired, foreign-signed, garbage, of a deleted and of a disabled user), then the
 * generated variants.
 */
final class JwtAuthCorpus {

    static final String PASSWORD = "correct horse 42";

    private JwtAuthCorpus() {
    }

    static List<Step> build() {
        Corpus c = new Corpus();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String alice = "alice_" + run;
        String bob = "bob_" + run;
        String dan = "dan_" + run;
        String erin = "erin_" + run;

        c.post("/auth/register", "alice", credentials(alice, PASSWORD)).capture("alice.refresh0", "refresh").capture("alice.access0", "access");
        c.post("/auth/register", "the same username again", credentials(alice, PASSWORD));
        c.post("/auth/register", "a short numeric password", credentials("x" + alice, "1234"));
        c.post("/auth/register", "a username with a space", credentials("a " + alice, PASSWORD));
        c.post("/auth/register", "missing both fields", "{}");
        c.request("POST", "/auth/register", "form-encoded").form("username=" + bob + "&password=correct+horse+42")
                .capture("bob.access", "access").capture("bob.refresh", "refresh");

        c.post("/auth/token", "alice", credentials(alice, PASSWORD)).capture("alice.access", "access").capture("alice.refresh", "refresh");
        c.request("POST", "/auth/token", "form-encoded, as the seed documents").form("username=" + alice + "&password=correct+horse+42");
        c.post("/auth/token", "a wrong password", credentials(alice, "wrong password 1"));
        c.post("/auth/token", "an unknown user", credentials("nobody_" + run, PASSWORD));
        c.post("/auth/token", "the username in upper case", credentials(alice.toUpperCase(), PASSWORD));
        c.post("/auth/token", "missing both fields", "{}");

        c.post("/auth/token/verify", "an access token", "{\"token\": \"${alice.access}\"}");
        c.post("/auth/token/verify", "a refresh token", "{\"token\": \"${alice.refresh}\"}");
        c.post("/auth/token/verify", "garbage", "{\"token\": \"not-a-token\"}");
        c.post("/auth/token/verify", "missing token", "{}");
        c.post("/auth/token/verify", "the seed's body for it (refresh instead of token)", "{\"refresh\": \"${alice.refresh}\"}");

        c.request("GET", "/auth/getuser", "alice").auth("Bearer ${alice.access}");
        c.request("GET", "/auth/getuser", "bob").auth("Bearer ${bob.access}");
        c.request("GET", "/auth/getuser", "a refresh token as bearer").auth("Bearer ${alice.refresh}");
        c.request("GET", "/auth/getuser", "no token");

        c.post("/auth/token/refresh", "alice", "{\"refresh\": \"${alice.refresh}\"}").capture("alice.refresh2", "refresh")
                .capture("alice.access2", "access");
        c.post("/auth/token/refresh", "the used refresh token again", "{\"refresh\": \"${alice.refresh}\"}");
        c.post("/auth/token/verify", "the used refresh token", "{\"token\": \"${alice.refresh}\"}");
        c.post("/auth/token/refresh", "an access token", "{\"refresh\": \"${alice.access}\"}");
        c.post("/auth/token/refresh", "garbage", "{\"refresh\": \"not-a-token\"}");
        c.post("/auth/token/refresh", "missing refresh", "{}");
        c.request("POST", "/auth/token/refresh", "form-encoded").form("refresh=${alice.refresh2}")
                .capture("alice.refresh3", "refresh").capture("alice.access3", "access");
        c.request("GET", "/auth/getuser", "the access token from a refresh").auth("Bearer ${alice.access3}");
        c.request("GET", "/auth/getuser", "an access token from before the refresh").auth("Bearer ${alice.access}");

        c.action("forge alice's tokens: expired and foreign-signed", side -> {
            long t = Instant.now().getEpochSecond();
            side.set("alice.expired", side.resign(side.get("alice.access3"), Map.of("exp", t - 60, "iat", t - 660)));
            side.set("alice.expiredRefresh", side.resign(side.get("alice.refresh3"), Map.of("exp", t - 60, "iat", t - 660)));
            side.set("alice.foreign", SignedJwt.foreign(side.get("alice.access3")));
            side.set("alice.foreignRefresh", SignedJwt.foreign(side.get("alice.refresh3")));
        });
        c.request("GET", "/auth/getuser", "an expired access token").auth("Bearer ${alice.expired}");
        c.request("GET", "/auth/getuser", "a foreign-signed access token").auth("Bearer ${alice.foreign}");
        c.post("/auth/token/verify", "an expired access token", "{\"token\": \"${alice.expired}\"}");
        c.post("/auth/token/verify", "a foreign-signed access token", "{\"token\": \"${alice.foreign}\"}");
        c.post("/auth/token/refresh", "an expired refresh token", "{\"refresh\": \"${alice.expiredRefresh}\"}");
        c.post("/auth/token/refresh", "a foreign-signed refresh token", "{\"refresh\": \"${alice.foreignRefresh}\"}");

        // A deleted and a disabled user, with tokens issued before.
        c.post("/auth/register", "dan", credentials(dan, PASSWORD)).capture("dan.access", "access").capture("dan.refresh", "refresh");
        c.post("/auth/register", "erin", credentials(erin, PASSWORD)).capture("erin.access", "access").capture("erin.refresh", "refresh");
        c.action("delete dan, disable erin", side -> {
            side.deleteUser(dan);
            side.disableUser(erin);
        });
        c.request("GET", "/auth/getuser", "a deleted user's access token").auth("Bearer ${dan.access}");
        c.post("/auth/token/verify", "a deleted user's access token", "{\"token\": \"${dan.access}\"}");
        c.post("/auth/token/refresh", "a deleted user's refresh token", "{\"refresh\": \"${dan.refresh}\"}");
        c.post("/auth/token", "a deleted user", credentials(dan, PASSWORD));
        c.request("GET", "/auth/getuser", "a disabled user's access token").auth("Bearer ${erin.access}");
        c.post("/auth/token/verify", "a disabled user's access token", "{\"token\": \"${erin.access}\"}");
        c.post("/auth/token/refresh", "a disabled user's refresh token", "{\"refresh\": \"${erin.refresh}\"}");
        c.post("/auth/token", "a disabled user", credentials(erin, PASSWORD));
        c.post("/auth/register", "a disabled user's username", credentials(erin, PASSWORD));

        Map<String, String> register = new LinkedHashMap<>();
        register.put("username", "\"v${n}_" + run + "\"");
        register.put("password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", "/auth/register", register, Set.of("POST"), null, true));
        Map<String, String> login = new LinkedHashMap<>();
        login.put("username", Corpus.quote(bob));
        login.put("password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", "/auth/token", login, Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", "/auth/token/refresh", Map.of("refresh", "\"not-a-token\""), Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", "/auth/token/verify", Map.of("token", "\"${bob.access}\""), Set.of("POST"), null, true));
        Corpus.Endpoint getuser = new Corpus.Endpoint("GET", "/auth/getuser", Map.of(), Set.of("GET", "HEAD"),
                "Bearer ${bob.access}", true);
        c.variants(getuser);
        c.authVariants(getuser, "Bearer", "${bob.access}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        return c.steps;
    }

    static String credentials(String username, String password) {
        return "{\"username\": " + Corpus.quote(username) + ", \"password\": " + Corpus.quote(password) + "}";
    }
}
