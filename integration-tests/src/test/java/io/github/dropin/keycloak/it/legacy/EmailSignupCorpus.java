package io.github.dropin.keycloak.it.legacy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of seed 002 (email-signup: Djoser and SimpleJWT): sign-up, verify-code, public-set-password, the token
 * views, Djoser's {@code users/} endpoints (own and another user's id, set_password, delete), PIN reset and account
 * recovery in the seed's order, then tokens of every kind, a deleted and a disabled user, and the generated variants.
 */
final class EmailSignupCorpus {

    static final String P = "/api/v1/auth/";
    static final String PASSWORD = "Gago123@x";
    static final String NEW_PASSWORD = "Gago123@y";
    static final String RECOVERED = "Gago123@z";

    private EmailSignupCorpus() {
    }

    static List<Step> build() {
        Corpus c = new Corpus();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String a = "anna." + run + "@example.test";
        String b = "boris." + run + "@example.test";
        String d = "dora." + run + "@example.test";
        String e = "emil." + run + "@example.test";
        String f = "fritz." + run + "@example.test";

        // Sign-up.
        c.post(P + "users/", "anna", signup(a, "true")).capture("a.id", "id").code("a.code", a);
        c.post(P + "users/", "the same email again", signup(a, "true"));
        c.post(P + "users/", "the same email in upper case", signup(a.toUpperCase(), "true"));
        c.post(P + "users/", "terms not accepted", signup("x" + a, "false"));
        c.post(P + "users/", "terms missing", "{\"email\": " + Corpus.quote("y" + a) + "}");
        c.post(P + "users/", "an invalid email", signup("not-an-email", "true"));
        c.post(P + "users/", "terms as the string \"yes\"", signup("z" + a, "\"yes\""));
        c.post(P + "users/", "boris", signup(b, "true")).capture("b.id", "id").code("b.code", b);
        c.request("POST", P + "users/", "form-encoded").form("email=" + d.replace("@", "%40") + "&terms_accepted=true")
                .capture("d.id", "id").code("d.code", d);

        // Verify the email, set the first password.
        c.post(P + "verify-code/", "a wrong code", verify(a, "\"999999\"", "email_verification"));
        c.post(P + "verify-code/", "an unknown purpose", verify(a, "\"${a.code}\"", "something_else"));
        c.post(P + "verify-code/", "the code for the other purpose", verify(a, "\"${a.code}\"", "password_recovery"));
        c.post(P + "verify-code/", "anna's code as a number, as the seed sends it", verify(a, "${a.code.num}", "email_verification"));
        c.post(P + "verify-code/", "the same code again", verify(a, "\"${a.code}\"", "email_verification"));
        c.post(P + "verify-code/", "dora's code", verify(d, "\"${d.code}\"", "email_verification"));
        c.post(P + "public-set-password/", "passwords that differ", setPassword(a, PASSWORD, PASSWORD + "!"));
        c.post(P + "public-set-password/", "a weak password", setPassword(a, "12345678", "12345678"));
        c.post(P + "public-set-password/", "an unverified email", setPassword(b, PASSWORD, PASSWORD));
        c.post(P + "public-set-password/", "an unknown email", setPassword("nobody" + a, PASSWORD, PASSWORD));
        c.post(P + "public-set-password/", "anna", setPassword(a, PASSWORD, PASSWORD));
        c.post(P + "public-set-password/", "anna again", setPassword(a, PASSWORD, PASSWORD));
        c.post(P + "public-set-password/", "dora", setPassword(d, PASSWORD, PASSWORD));

        // Tokens.
        c.post(P + "token/obtain/", "anna", obtain(a, PASSWORD)).capture("a.access", "access").capture("a.refresh", "refresh");
        c.post(P + "token/obtain/", "a wrong password", obtain(a, "wrong password 1"));
        c.post(P + "token/obtain/", "an account without a password yet", obtain(b, PASSWORD));
        c.post(P + "token/obtain/", "the email in upper case", obtain(a.toUpperCase(), PASSWORD));
        c.post(P + "token/obtain/", "dora", obtain(d, PASSWORD)).capture("d.access", "access").capture("d.refresh", "refresh");
        c.post(P + "token/verify/", "an access token", "{\"token\": \"${a.access}\"}");
        c.post(P + "token/verify/", "a refresh token", "{\"token\": \"${a.refresh}\"}");
        c.post(P + "token/verify/", "garbage", "{\"token\": \"not-a-token\"}");
        c.post(P + "token/refresh/", "anna", "{\"refresh\": \"${a.refresh}\"}").capture("a.refresh2", "refresh").capture("a.access2", "access");
        c.post(P + "token/refresh/", "the used refresh token again", "{\"refresh\": \"${a.refresh}\"}");
        c.post(P + "token/verify/", "the used refresh token", "{\"token\": \"${a.refresh}\"}");
        c.post(P + "token/refresh/", "an access token", "{\"refresh\": \"${a.access}\"}");

        // Djoser.
        c.request("GET", P + "users/me/", "anna").auth("Bearer ${a.access2}");
        c.request("GET", P + "users/", "the list (only anna herself)").auth("Bearer ${a.access2}");
        c.request("GET", P + "users/${a.id}/", "anna's own id").auth("Bearer ${a.access2}");
        c.request("GET", P + "users/${b.id}/", "another user's id").auth("Bearer ${a.access2}");
        c.request("GET", P + "users/999999/", "an id nobody has").auth("Bearer ${a.access2}");
        c.request("PUT", P + "users/me/", "an empty body").auth("Bearer ${a.access2}").json("{}");
        c.request("PATCH", P + "users/me/", "the read-only email").auth("Bearer ${a.access2}").json("{\"email\": \"new@example.test\"}");
        c.request("PATCH", P + "users/${b.id}/", "another user's id").auth("Bearer ${a.access2}").json("{}");
        c.request("DELETE", P + "users/${b.id}/", "another user's id").auth("Bearer ${a.access2}")
                .json("{\"current_password\": " + Corpus.quote(PASSWORD) + "}");
        c.request("DELETE", P + "users/me/", "a wrong current password").auth("Bearer ${a.access2}")
                .json("{\"current_password\": \"wrong password 1\"}");
        c.request("DELETE", P + "users/me/", "no current password").auth("Bearer ${a.access2}").json("{}");
        c.post(P + "users/set_password/", "a wrong current password", changePassword("wrong password 1", NEW_PASSWORD)).auth("Bearer ${a.access2}");
        c.post(P + "users/set_password/", "a weak new password", changePassword(PASSWORD, "12345678")).auth("Bearer ${a.access2}");
        c.post(P + "users/set_password/", "a wrong current and a weak new password", changePassword("wrong password 1", "123"))
                .auth("Bearer ${a.access2}");
        c.post(P + "users/set_password/", "anna", changePassword(PASSWORD, NEW_PASSWORD)).auth("Bearer ${a.access2}");
        c.request("GET", P + "users/me/", "after set_password, same token").auth("Bearer ${a.access2}");
        c.post(P + "token/obtain/", "anna with the old password", obtain(a, PASSWORD));
        c.post(P + "token/obtain/", "anna with the new password", obtain(a, NEW_PASSWORD)).capture("a.access3", "access")
                .capture("a.refresh3", "refresh");

        // PIN reset.
        c.request("POST", P + "reset-pin-request/", "anna").auth("Bearer ${a.access3}").code("a.pin", a);
        c.request("POST", P + "reset-pin-request/", "without a token");
        c.post(P + "reset-pin-verify/", "a wrong code", "{\"code\": \"999999\"}").auth("Bearer ${a.access3}");
        c.post(P + "reset-pin-verify/", "anna's code as a number", "{\"code\": ${a.pin.num}}").auth("Bearer ${a.access3}");
        c.post(P + "reset-pin-verify/", "the same code again", "{\"code\": \"${a.pin}\"}").auth("Bearer ${a.access3}");

        // Recovery.
        c.post(P + "recovery-request/", "anna", "{\"email\": " + Corpus.quote(a) + "}").code("a.rec", a);
        c.post(P + "recovery-request/", "an unknown email", "{\"email\": " + Corpus.quote("nobody" + a) + "}");
        c.post(P + "recovery-reset-password/", "before the code was verified", recover(a, "\"${a.rec}\"", RECOVERED, RECOVERED));
        c.post(P + "verify-code/", "anna's recovery code", verify(a, "${a.rec.num}", "password_recovery"));
        c.post(P + "recovery-reset-password/", "passwords that differ", recover(a, "\"${a.rec}\"", RECOVERED, RECOVERED + "!"));
        c.post(P + "recovery-reset-password/", "a wrong code", recover(a, "\"999999\"", RECOVERED, RECOVERED));
        c.post(P + "recovery-reset-password/", "a weak password", recover(a, "\"${a.rec}\"", "12345678", "12345678"));
        c.post(P + "recovery-reset-password/", "anna", recover(a, "${a.rec.num}", RECOVERED, RECOVERED));
        c.post(P + "recovery-reset-password/", "anna again", recover(a, "\"${a.rec}\"", RECOVERED, RECOVERED));
        c.post(P + "token/refresh/", "a refresh token from before the recovery", "{\"refresh\": \"${a.refresh3}\"}");
        c.request("GET", P + "users/me/", "an access token from before the recovery").auth("Bearer ${a.access3}");
        c.post(P + "token/obtain/", "anna with the recovered password", obtain(a, RECOVERED)).capture("a.access4", "access")
                .capture("a.refresh4", "refresh");

        // Forged tokens.
        c.action("forge anna's tokens: expired and foreign-signed", side -> {
            long t = Instant.now().getEpochSecond();
            side.set("a.expired", side.resign(side.get("a.access4"), Map.of("exp", t - 60, "iat", t - 660)));
            side.set("a.expiredRefresh", side.resign(side.get("a.refresh4"), Map.of("exp", t - 60, "iat", t - 660)));
            side.set("a.foreign", SignedJwt.foreign(side.get("a.access4")));
        });
        c.request("GET", P + "users/me/", "an expired access token").auth("Bearer ${a.expired}");
        c.request("GET", P + "users/me/", "a foreign-signed access token").auth("Bearer ${a.foreign}");
        c.request("GET", P + "users/me/", "a refresh token as bearer").auth("Bearer ${a.refresh4}");
        c.post(P + "token/verify/", "an expired access token", "{\"token\": \"${a.expired}\"}");
        c.post(P + "token/verify/", "a foreign-signed access token", "{\"token\": \"${a.foreign}\"}");
        c.post(P + "token/refresh/", "an expired refresh token", "{\"refresh\": \"${a.expiredRefresh}\"}");

        // A deleted and a disabled user.
        for (String[] user : List.of(new String[]{"e", e}, new String[]{"f", f})) {
            c.post(P + "users/", "an account to " + (user[0].equals("e") ? "delete" : "disable"), signup(user[1], "true"))
                    .capture(user[0] + ".id", "id").code(user[0] + ".code", user[1]);
            c.post(P + "verify-code/", "its code", verify(user[1], "\"${" + user[0] + ".code}\"", "email_verification"));
            c.post(P + "public-set-password/", "its password", setPassword(user[1], PASSWORD, PASSWORD));
            c.post(P + "token/obtain/", "its tokens", obtain(user[1], PASSWORD)).capture(user[0] + ".access", "access")
                    .capture(user[0] + ".refresh", "refresh");
        }
        c.request("DELETE", P + "users/me/", "emil deletes himself").auth("Bearer ${e.access}")
                .json("{\"current_password\": " + Corpus.quote(PASSWORD) + "}");
        c.request("GET", P + "users/me/", "a deleted user's access token").auth("Bearer ${e.access}");
        c.post(P + "token/verify/", "a deleted user's access token", "{\"token\": \"${e.access}\"}");
        c.post(P + "token/refresh/", "a deleted user's refresh token", "{\"refresh\": \"${e.refresh}\"}");
        c.post(P + "token/obtain/", "a deleted user", obtain(e, PASSWORD));
        c.action("disable fritz", side -> side.disableUser(f));
        c.request("GET", P + "users/me/", "a disabled user's access token").auth("Bearer ${f.access}");
        c.post(P + "token/verify/", "a disabled user's access token", "{\"token\": \"${f.access}\"}");
        c.post(P + "token/refresh/", "a disabled user's refresh token", "{\"refresh\": \"${f.refresh}\"}");
        c.post(P + "token/obtain/", "a disabled user", obtain(f, PASSWORD));
        c.post(P + "recovery-request/", "a disabled user", "{\"email\": " + Corpus.quote(f) + "}");

        // Variants.
        Map<String, String> signup = new LinkedHashMap<>();
        signup.put("email", "\"v${n}." + run + "@example.test\"");
        signup.put("terms_accepted", "true");
        c.variants(new Corpus.Endpoint("POST", P + "users/", signup, Set.of("GET", "POST", "HEAD"), null, true));
        Map<String, String> verify = new LinkedHashMap<>();
        verify.put("email", Corpus.quote(b));
        verify.put("code", "\"999999\"");
        verify.put("purpose", "\"email_verification\"");
        c.variants(new Corpus.Endpoint("POST", P + "verify-code/", verify, Set.of("POST"), null, true));
        Map<String, String> set = new LinkedHashMap<>();
        set.put("email", Corpus.quote(b));
        set.put("password", Corpus.quote(PASSWORD));
        set.put("repeat_password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", P + "public-set-password/", set, Set.of("POST"), null, true));
        Map<String, String> login = new LinkedHashMap<>();
        login.put("email", Corpus.quote(d));
        login.put("password", Corpus.quote(PASSWORD));
        c.variants(new Corpus.Endpoint("POST", P + "token/obtain/", login, Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", P + "token/verify/", Map.of("token", "\"${d.access}\""), Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", P + "token/refresh/", Map.of("refresh", "\"not-a-token\""), Set.of("POST"), null, true));
        c.variants(new Corpus.Endpoint("POST", P + "recovery-request/", Map.of("email", "\"nobody." + run + "@example.test\""),
                Set.of("POST"), null, true));
        Corpus.Endpoint me = new Corpus.Endpoint("GET", P + "users/me/", Map.of(),
                Set.of("GET", "PUT", "PATCH", "DELETE", "HEAD"), "Bearer ${d.access}", true);
        c.variants(me);
        c.authVariants(me, "Bearer", "${d.access}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        Corpus.Endpoint pinVerify = new Corpus.Endpoint("POST", P + "reset-pin-verify/", Map.of("code", "\"999999\""),
                Set.of("POST"), "Bearer ${d.access}", true);
        c.variants(pinVerify);
        Map<String, String> change = new LinkedHashMap<>();
        change.put("current_password", "\"wrong password 1\"");
        change.put("new_password", Corpus.quote(NEW_PASSWORD));
        Corpus.Endpoint setPassword = new Corpus.Endpoint("POST", P + "users/set_password/", change, Set.of("POST"),
                "Bearer ${d.access}", true);
        c.variants(setPassword);
        c.authVariants(setPassword, "Bearer", "${d.access}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        return c.steps;
    }

    static String signup(String email, String terms) {
        return "{\"email\": " + Corpus.quote(email) + ", \"terms_accepted\": " + terms + "}";
    }

    static String verify(String email, String code, String purpose) {
        return "{\"email\": " + Corpus.quote(email) + ", \"code\": " + code + ", \"purpose\": " + Corpus.quote(purpose) + "}";
    }

    static String setPassword(String email, String password, String repeat) {
        return "{\"email\": " + Corpus.quote(email) + ", \"password\": " + Corpus.quote(password)
                + ", \"repeat_password\": " + Corpus.quote(repeat) + "}";
    }

    static String obtain(String email, String password) {
        return "{\"email\": " + Corpus.quote(email) + ", \"password\": " + Corpus.quote(password) + "}";
    }

    static String changePassword(String current, String fresh) {
        return "{\"current_password\": " + Corpus.quote(current) + ", \"new_password\": " + Corpus.quote(fresh) + "}";
    }

    static String recover(String email, String code, String password, String password2) {
        return "{\"email\": " + Corpus.quote(email) + ", \"code\": " + code + ", \"password\": " + Corpus.quote(password)
                + ", \"password2\": " + Corpus.quote(password2) + "}";
    }
}
