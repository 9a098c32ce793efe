package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.Phones;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of seed 000 (token-auth): every documented request in the order an app sends them (register with a
 * phone, an email or both, verify, log in, profile, change the password, log out), the cases the seed implies
 * (duplicates, wrong codes, unverified accounts, a key after logout or a password change, a disabled and a deleted
 * user), then the generated variants of every endpoint.
 */
final class TokenAuthCorpus {

    static final String PASSWORD = "correct horse 42";
    static final String NEW_PASSWORD = "battery staple 43";

    private TokenAuthCorpus() {
    }

    static List<Step> build() {
        Corpus c = new Corpus();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String alice = "alice_" + run;
        String bob = "bob_" + run;
        String carol = "carol_" + run;
        String dave = "dave_" + run;
        String eve = "eve_" + run;
        String frank = "frank_" + run;
        String grace = "grace_" + run;
        String alicePhone = Phones.next();
        String carolPhone = Phones.next();
        String davePhone = Phones.next();
        String evePhone = Phones.next();
        String frankPhone = Phones.next();
        String gracePhone = Phones.next();
        String variantPhone = Phones.next();
        String bobEmail = bob + "@example.test";
        String carolEmail = carol + "@example.test";

        // Registration.
        c.post("/api/register/", "with a phone number", register(alice, PASSWORD, alicePhone, "")).code("alice.code", alicePhone);
        c.post("/api/register/", "the same username again", register(alice, PASSWORD, Phones.next(), ""));
        c.post("/api/register/", "the same phone number again", register("x" + alice, PASSWORD, alicePhone, ""));
        c.post("/api/register/", "with an email address", register(bob, PASSWORD, "", bobEmail)).code("bob.code", bobEmail);
        c.post("/api/register/", "the same email again", register("x" + bob, PASSWORD, "", bobEmail));
        c.post("/api/register/", "with both", register(carol, PASSWORD, carolPhone, carolEmail))
                .code("carol.sms", carolPhone).code("carol.mail", carolEmail);
        c.post("/api/register/", "never verified", register(dave, PASSWORD, davePhone, ""));
        c.post("/api/register/", "with neither phone nor email", register("x" + carol, PASSWORD, "", ""));
        c.post("/api/register/", "a short numeric password", register("x" + dave, "1234", Phones.next(), ""));
        c.post("/api/register/", "an invalid phone and email", register("y" + dave, PASSWORD, "12ab", "not-an-email"));
        c.post("/api/register/", "a username with a space", register("a " + dave, PASSWORD, Phones.next(), ""));
        c.post("/api/register/", "a 151-character username", register("u".repeat(151), PASSWORD, Phones.next(), ""));
        c.post("/api/register/", "the password equal to the username", register("correcthorse" + run, "correcthorse" + run,
                "", "ch" + run + "@example.test"));

        // Verification.
        c.post("/api/verify-user/", "a wrong code", "{\"code\": \"99999\"}");
        c.post("/api/verify-user/", "a code that is not digits", "{\"code\": \"abcde\"}");
        c.post("/api/verify-user/", "alice's SMS code", "{\"code\": \"${alice.code}\"}");
        c.post("/api/verify-user/", "alice's code again", "{\"code\": \"${alice.code}\"}");
        c.post("/api/verify-user/", "bob's email code", "{\"code\": \"${bob.code}\"}");
        c.post("/api/verify-user/", "carol's SMS code", "{\"code\": \"${carol.sms}\"}");

        // Login and profile.
        c.post("/api/login/", "alice", login(alice, PASSWORD)).capture("alice.key", "token");
        c.post("/api/login/", "alice with a wrong password", login(alice, "wrong password 1"));
        c.post("/api/login/", "an unverified account", login(dave, PASSWORD));
        c.post("/api/login/", "an unknown user", login("nobody_" + run, PASSWORD));
        c.post("/api/login/", "the username in upper case", login(alice.toUpperCase(), PASSWORD));
        c.post("/api/login/", "bob", login(bob, PASSWORD)).capture("bob.key", "token");
        c.post("/api/login/", "carol", login(carol, PASSWORD)).capture("carol.key", "token");
        c.request("GET", "/api/profile/", "alice").auth("Token ${alice.key}").capture("alice.id", "id");
        c.request("GET", "/api/profile/", "bob (email verified)").auth("Token ${bob.key}").capture("bob.id", "id");
        c.request("GET", "/api/profile/", "carol (phone verified, email not)").auth("Token ${carol.key}").capture("carol.id", "id");
        c.request("GET", "/api/profile/", "the seed's two spaces after Token").auth("Token  ${alice.key}");
        c.request("POST", "/api/login/", "form-encoded").form("username=" + bob + "&password=correct+horse+42");

        // Changing the password.
        c.post("/api/change-password/", "a wrong old password", changePassword("wrong password 1", NEW_PASSWORD)).auth("Token ${alice.key}");
        c.post("/api/change-password/", "a weak new password", changePassword(PASSWORD, "12345678")).auth("Token ${alice.key}");
        c.post("/api/change-password/", "a wrong old and a weak new password", changePassword("wrong password 1", "1234"))
                .auth("Token ${alice.key}");
        c.post("/api/change-password/", "alice", changePassword(PASSWORD, NEW_PASSWORD)).auth("Token ${alice.key}")
                .capture("alice.key2", "token");
        c.request("GET", "/api/profile/", "with the key from before the password change").auth("Token ${alice.key}");
        c.request("GET", "/api/profile/", "with the key from the password change").auth("Token ${alice.key2}");
        c.post("/api/login/", "alice with the old password", login(alice, PASSWORD));
        c.post("/api/login/", "alice with the new password", login(alice, NEW_PASSWORD)).capture("alice.key3", "token");

        // Logout.
        c.request("GET", "/api/logout/", "alice's newest key").auth("Token ${alice.key3}");
        c.request("GET", "/api/profile/", "the logged-out key").auth("Token ${alice.key3}");
        c.request("GET", "/api/profile/", "alice's other key after a logout").auth("Token ${alice.key2}");
        c.request("POST", "/api/logout/", "by POST").auth("Token ${bob.key}");
        c.request("POST", "/api/logout/", "the same key again").auth("Token ${bob.key}");

        // Disabled and deleted users.
        c.action("disable carol", side -> side.disableUser(carol));
        c.request("GET", "/api/profile/", "a disabled user's key").auth("Token ${carol.key}");
        c.post("/api/login/", "a disabled user", login(carol, PASSWORD));
        c.post("/api/verify-user/", "a disabled user's email code", "{\"code\": \"${carol.mail}\"}");
        c.post("/api/register/", "eve", register(eve, PASSWORD, evePhone, "")).code("eve.code", evePhone);
        c.post("/api/verify-user/", "eve's code", "{\"code\": \"${eve.code}\"}");
        c.post("/api/login/", "eve", login(eve, PASSWORD)).capture("eve.key", "token");
        c.action("delete eve", side -> side.deleteUser(eve));
        c.request("GET", "/api/profile/", "a deleted user's key").auth("Token ${eve.key}");
        c.post("/api/login/", "a deleted user", login(eve, PASSWORD));

        // Accounts for the variants: frank's key is spent by the logout variants, grace's by change-password's.
        for (String[] user : List.of(new String[]{frank, frankPhone}, new String[]{grace, gracePhone})) {
            c.post("/api/register/", "an account for the variants", register(user[0], PASSWORD, user[1], ""))
                    .code(user[0] + ".code", user[1]);
            c.post("/api/verify-user/", "its code", "{\"code\": \"${" + user[0] + ".code}\"}");
            c.post("/api/login/", "its login", login(user[0], PASSWORD)).capture(user[0] + ".key", "token");
        }

        Map<String, String> registration = new LinkedHashMap<>();
        registration.put("username", "\"v${n}_" + run + "\"");
        registration.put("password", Corpus.quote(PASSWORD));
        registration.put("phone_number", Corpus.quote(variantPhone));
        registration.put("email", "\"v${n}_" + run + "@example.test\"");
        c.variants(new Corpus.Endpoint("POST", "/api/register/", registration, Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", "/api/verify-user/", Map.of("code", "\"99999\""), Set.of("POST"), null, true));
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("username", Corpus.quote(bob));
        credentials.put("password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", "/api/login/", credentials, Set.of("POST"), null, true));

        Map<String, String> change = new LinkedHashMap<>();
        change.put("old_password", "\"wrong password 1\"");
        change.put("new_password", Corpus.quote(NEW_PASSWORD));
        Corpus.Endpoint changePassword = new Corpus.Endpoint("POST", "/api/change-password/", change, Set.of("POST"),
                "Token ${" + grace + ".key}", true);
        c.variants(changePassword);
        c.authVariants(changePassword, "Token", "${" + grace + ".key}", "0123456789abcdef0123456789abcdef01234567");

        Corpus.Endpoint profile = new Corpus.Endpoint("GET", "/api/profile/", Map.of(), Set.of("GET", "HEAD"),
                "Token ${" + grace + ".key}", true);
        c.variants(profile);
        c.authVariants(profile, "Token", "${" + grace + ".key}", "0123456789abcdef0123456789abcdef01234567");
        Corpus.Endpoint logout = new Corpus.Endpoint("GET", "/api/logout/", Map.of(), Set.of("GET", "HEAD", "POST"),
                "Token ${" + frank + ".key}", true);
        c.authVariants(logout, "Token", "${" + frank + ".key}", "0123456789abcdef0123456789abcdef01234567");
        c.variants(logout);
        return c.steps;
    }

    static String register(String username, String password, String phone, String email) {
        return "{\"username\": " + Corpus.quote(username) + ", \"password\": " + Corpus.quote(password)
                + ", \"phone_number\": " + Corpus.quote(phone) + ", \"email\": " + Corpus.quote(email) + "}";
    }

    static String login(String username, String password) {
        return "{\"username\": " + Corpus.quote(username) + ", \"password\": " + Corpus.quote(password) + "}";
    }

    static String changePassword(String old, String fresh) {
        return "{\"old_password\": " + Corpus.quote(old) + ", \"new_password\": " + Corpus.quote(fresh) + "}";
    }
}
