package io.github.dropin.keycloak.it.legacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of seed 003 (users-api: a DRF users viewset, token authentication with {@code Bearer} and
 * {@code Token}, django-rest-passwordreset): every row of the seed's table in order, a user reaching another user's
 * id, the password-reset round with its token, a deleted and a disabled user, then the generated variants.
 */
final class UsersApiCorpus {

    static final String PASSWORD = "correct horse 42";
    static final String NEW_PASSWORD = "battery staple 43";
    static final String RESET_PASSWORD = "staple battery 44";
    static final String UNKNOWN_KEY = "0123456789abcdef0123456789abcdef01234567";

    private UsersApiCorpus() {
    }

    static List<Step> build() {
        Corpus c = new Corpus();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String alice = "alice_" + run;
        String bob = "bob_" + run;
        String carol = "carol_" + run;
        String dave = "dave_" + run;

        c.post("/api/v1/users/", "alice", user(alice, PASSWORD, "Alice", "Liddell", alice + "@example.test")).capture("alice.id", "id");
        c.post("/api/v1/users/", "the same username again", user(alice, PASSWORD, "", "", ""));
        c.post("/api/v1/users/", "the same email again", user("x" + alice, PASSWORD, "", "", alice + "@example.test"));
        c.post("/api/v1/users/", "a short numeric password", user("y" + alice, "1234", "", "", ""));
        c.post("/api/v1/users/", "an invalid email", user("z" + alice, PASSWORD, "", "", "not-an-email"));
        c.post("/api/v1/users/", "only username and password", "{\"username\": " + Corpus.quote(bob) + ", \"password\": "
                + Corpus.quote(PASSWORD) + "}").capture("bob.id", "id");
        c.post("/api/v1/users/", "a 151-character username", user("u".repeat(151), PASSWORD, "", "", ""));
        c.post("/api/v1/users/", "a username with a space", user("a " + alice, PASSWORD, "", "", ""));
        c.post("/api/v1/users/", "a 200-character password", user("w" + alice, "p".repeat(200) + "1", "", "", ""));
        c.request("POST", "/api/v1/users/", "form-encoded").form("username=" + carol + "&password=correct+horse+42&email="
                + carol + "%40example.test").capture("carol.id", "id");

        c.post("/api-token-auth/", "alice", credentials(alice, PASSWORD)).capture("alice.key", "token");
        c.post("/api-token-auth/", "a wrong password", credentials(alice, "wrong password 1"));
        c.post("/api-token-auth/", "the username in upper case", credentials(alice.toUpperCase(), PASSWORD));
        c.request("POST", "/api-token-auth/", "form-encoded").form("username=" + bob + "&password=correct+horse+42")
                .capture("bob.key", "token");
        c.post("/api-token-auth/", "carol", credentials(carol, PASSWORD)).capture("carol.key", "token");

        c.request("GET", "/api/v1/users/${alice.id}/", "alice with Bearer, as the seed documents").auth("Bearer ${alice.key}");
        c.request("GET", "/api/v1/users/${alice.id}/", "alice with Token").auth("Token ${alice.key}");
        c.request("GET", "/api/v1/users/${bob.id}/", "another user's id").auth("Bearer ${alice.key}");
        c.request("GET", "/api/v1/users/999999/", "an id nobody has").auth("Bearer ${alice.key}");
        c.request("GET", "/api/v1/users/not-an-id/", "an id that is not a number").auth("Bearer ${alice.key}");
        c.request("GET", "/api/v1/users/", "the list route").auth("Bearer ${alice.key}");
        // The pack asks users changing their own email for their password; the original's serializer ignores the
        // field, so the email changes below send it, and this one shows the difference.
        c.request("PATCH", "/api/v1/users/${alice.id}/", "her email without current_password").auth("Bearer ${alice.key}")
                .json("{\"email\": " + Corpus.quote(alice + "@example.org") + "}");
        c.request("PUT", "/api/v1/users/${alice.id}/", "first, last name and email").auth("Bearer ${alice.key}")
                .json("{\"first_name\": \"Alicia\", \"last_name\": \"L.\", \"email\": " + Corpus.quote(alice + "@example.org")
                        + ", \"current_password\": " + Corpus.quote(PASSWORD) + "}");
        c.request("PATCH", "/api/v1/users/${alice.id}/", "last name").auth("Bearer ${alice.key}").json("{\"last_name\": \"Liddell\"}");
        c.request("PATCH", "/api/v1/users/${alice.id}/", "an invalid email").auth("Bearer ${alice.key}").json("{\"email\": \"nope\"}");
        c.request("PATCH", "/api/v1/users/${alice.id}/", "another user's email").auth("Bearer ${alice.key}")
                .json("{\"email\": " + Corpus.quote(carol + "@example.test") + ", \"current_password\": " + Corpus.quote(PASSWORD) + "}");
        c.request("PATCH", "/api/v1/users/${alice.id}/", "her own email back").auth("Bearer ${alice.key}")
                .json("{\"email\": " + Corpus.quote(alice + "@example.org") + ", \"current_password\": " + Corpus.quote(PASSWORD) + "}");
        c.request("PATCH", "/api/v1/users/${alice.id}/", "the username (read-only)").auth("Bearer ${alice.key}")
                .json("{\"username\": \"renamed_" + run + "\"}");
        c.request("PUT", "/api/v1/users/${bob.id}/", "another user's id").auth("Bearer ${alice.key}").json("{\"first_name\": \"X\"}");
        c.request("DELETE", "/api/v1/users/${bob.id}/", "another user's id").auth("Bearer ${alice.key}");

        c.post("/api/v1/users/${alice.id}/", "change password: a wrong old password", change("wrong password 1", NEW_PASSWORD))
                .auth("Bearer ${alice.key}");
        c.post("/api/v1/users/${alice.id}/", "change password: a weak new password", change(PASSWORD, "12345678"))
                .auth("Bearer ${alice.key}");
        c.post("/api/v1/users/${alice.id}/", "change password", change(PASSWORD, NEW_PASSWORD)).auth("Bearer ${alice.key}");
        c.request("GET", "/api/v1/users/${alice.id}/", "the same key after the change").auth("Bearer ${alice.key}");
        c.post("/api-token-auth/", "alice with the new password", credentials(alice, NEW_PASSWORD)).capture("alice.key2", "token");

        c.post("/api/password_reset/", "alice's email", "{\"email\": " + Corpus.quote(alice + "@example.org") + "}")
                .code("alice.reset", alice + "@example.org");
        c.post("/api/password_reset/", "an unknown email", "{\"email\": \"nobody." + run + "@example.test\"}");
        c.post("/api/password_reset/validate_token/", "a wrong token", "{\"token\": \"not-a-token\"}");
        c.post("/api/password_reset/validate_token/", "alice's token", "{\"token\": \"${alice.reset}\"}");
        c.post("/api/password_reset/confirm/", "a weak password", "{\"token\": \"${alice.reset}\", \"password\": \"12345678\"}");
        c.post("/api/password_reset/confirm/", "a wrong token", "{\"token\": \"not-a-token\", \"password\": "
                + Corpus.quote(RESET_PASSWORD) + "}");
        c.post("/api/password_reset/confirm/", "alice's token", "{\"token\": \"${alice.reset}\", \"password\": "
                + Corpus.quote(RESET_PASSWORD) + "}");
        c.post("/api/password_reset/confirm/", "alice's token again", "{\"token\": \"${alice.reset}\", \"password\": "
                + Corpus.quote(RESET_PASSWORD) + "}");
        c.request("GET", "/api/v1/users/${alice.id}/", "a key from before the reset").auth("Bearer ${alice.key2}");
        c.post("/api-token-auth/", "alice with the reset password", credentials(alice, RESET_PASSWORD)).capture("alice.key3", "token");

        c.request("DELETE", "/api/v1/users/${alice.id}/", "alice deletes herself").auth("Token ${alice.key3}");
        c.request("GET", "/api/v1/users/${alice.id}/", "a deleted user's key").auth("Token ${alice.key3}");
        c.post("/api-token-auth/", "a deleted user", credentials(alice, RESET_PASSWORD));
        c.action("disable carol", side -> side.disableUser(carol));
        c.request("GET", "/api/v1/users/${carol.id}/", "a disabled user's key").auth("Bearer ${carol.key}");
        c.post("/api-token-auth/", "a disabled user", credentials(carol, PASSWORD));
        c.post("/api/password_reset/", "a disabled user's email", "{\"email\": " + Corpus.quote(carol + "@example.test") + "}");

        c.post("/api/v1/users/", "dave, for the variants", user(dave, PASSWORD, "Dave", "D", dave + "@example.test")).capture("dave.id", "id");
        c.post("/api-token-auth/", "dave", credentials(dave, PASSWORD)).capture("dave.key", "token");

        Map<String, String> registration = new LinkedHashMap<>();
        registration.put("username", "\"v${n}_" + run + "\"");
        registration.put("password", Corpus.quote(PASSWORD));
        registration.put("first_name", "\"Vera\"");
        registration.put("last_name", "\"Variant\"");
        registration.put("email", "\"v${n}." + run + "@example.test\"");
        c.variants(new Corpus.Endpoint("POST", "/api/v1/users/", registration, Set.of("POST"), null, true));
        Map<String, String> login = new LinkedHashMap<>();
        login.put("username", Corpus.quote(bob));
        login.put("password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", "/api-token-auth/", login, Set.of("POST"), null, true));
        Map<String, String> profile = new LinkedHashMap<>();
        profile.put("first_name", "\"Dave\"");
        profile.put("last_name", "\"D\"");
        profile.put("email", Corpus.quote(dave + "@example.test"));
        Corpus.Endpoint update = new Corpus.Endpoint("PATCH", "/api/v1/users/${dave.id}/", profile,
                Set.of("GET", "PUT", "PATCH", "DELETE", "POST", "HEAD"), "Bearer ${dave.key}", true);
        c.variants(update);
        c.authVariants(new Corpus.Endpoint("GET", "/api/v1/users/${dave.id}/", Map.of(), update.methods(),
                "Bearer ${dave.key}", true), "Bearer", "${dave.key}", UNKNOWN_KEY);
        Map<String, String> changePassword = new LinkedHashMap<>();
        changePassword.put("old_password", "\"wrong password 1\"");
        changePassword.put("new_password", Corpus.quote(NEW_PASSWORD));
        Corpus.Endpoint change = new Corpus.Endpoint("POST", "/api/v1/users/${dave.id}/", changePassword,
                update.methods(), "Token ${dave.key}", true);
        c.authVariants(change, "Token", "${dave.key}", UNKNOWN_KEY);
        c.variants(new Corpus.Endpoint("POST", "/api/password_reset/", Map.of("email", "\"nobody." + run + "@example.test\""),
                Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", "/api/password_reset/validate_token/", Map.of("token", "\"not-a-token\""),
                Set.of("POST"), null, true));
        Map<String, String> confirm = new LinkedHashMap<>();
        confirm.put("token", "\"not-a-token\"");
        confirm.put("password", Corpus.quote(RESET_PASSWORD));
        c.variants(new Corpus.Endpoint("POST", "/api/password_reset/confirm/", confirm, Set.of("POST"), null, true));
        return c.steps;
    }

    static String user(String username, String password, String first, String last, String email) {
        return "{\"username\": " + Corpus.quote(username) + ", \"password\": " + Corpus.quote(password)
                + ", \"first_name\": " + Corpus.quote(first) + ", \"last_name\": " + Corpus.quote(last)
                + ", \"email\": " + Corpus.quote(email) + "}";
    }

    static String credentials(String username, String password) {
        return "{\"username\": " + Corpus.quote(username) + ", \"password\": " + Corpus.quote(password) + "}";
    }

    static String change(String old, String fresh) {
        return "{\"old_password\": " + Corpus.quote(old) + ", \"new_password\": " + Corpus.quote(fresh) + "}";
    }
}
