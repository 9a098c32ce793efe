package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.Phones;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of seed 001 (phone-otp, Flask): register, verify, login (with its 5-minute pending window) and
 * login/verify as documented, wrong codes and tokens, an unverified and a deleted account, then the generated
 * variants (the JSON-only rule meets every kind of body).
 */
final class PhoneOtpCorpus {

    private PhoneOtpCorpus() {
    }

    static List<Step> build() {
        Corpus c = new Corpus();
        String p1 = Phones.next();
        String p2 = Phones.next();
        String p3 = Phones.next();
        String p4 = Phones.next();
        String unknown = Phones.next();
        String variant = Phones.next();

        c.post("/auth/api/Register/", "a new number", register(p1)).capture("p1.token", "token").code("p1.code", p1);
        c.post("/auth/api/Register/", "the same number again", register(p1));
        c.post("/auth/api/Register/", "not a phone number", register("12345"));
        c.post("/auth/api/Register/", "a national number without country code", register("015112345678"));
        c.post("/auth/api/Register/", "a number with spaces", register(Phones.spaced(Phones.next())));
        c.post("/auth/api/Register/", "a second number, never verified", register(p2)).capture("p2.token", "token");

        c.post("/auth/api/verify/", "a wrong code", verify("\"000000\"", "${p1.token}", p1));
        c.post("/auth/api/verify/", "a wrong token", verify("\"${p1.code}\"", "eb3ed707-f72e-4271-930a-a6e5c89f0ca0", p1));
        c.post("/auth/api/verify/", "another number's token", verify("\"${p1.code}\"", "${p2.token}", p1));
        c.post("/auth/api/verify/", "the right token for another number", verify("\"${p1.code}\"", "${p1.token}", p2));
        c.post("/auth/api/verify/", "missing code", "{\"token\": \"${p1.token}\", \"phone\": " + Corpus.quote(p1) + "}");
        c.post("/auth/api/verify/", "missing everything", "{}");
        c.post("/auth/api/verify/", "the code as a number", verify("${p1.code.num}", "${p1.token}", p1));
        c.post("/auth/api/verify/", "the same again", verify("\"${p1.code}\"", "${p1.token}", p1));

        c.post("/auth/api/login/", "a verified number", login(p1)).capture("p1.user", "user_id").code("p1.login", p1);
        c.post("/auth/api/login/", "again within five minutes", login(p1));
        c.post("/auth/api/login/", "an unknown number", login(unknown));
        c.post("/auth/api/login/", "not a phone number", login("12345"));
        c.post("/auth/api/login/", "an unverified number", login(p2)).capture("p2.user", "user_id").code("p2.login", p2);

        c.post("/auth/api/login/verify/", "a wrong code", loginVerify("\"000000\"", "${p1.user}"));
        c.post("/auth/api/login/verify/", "an unknown user id", loginVerify("\"${p1.login}\"", "587c0bae-5a92-4c75-a2a8-ce1e164bcaf5"));
        c.post("/auth/api/login/verify/", "missing user_id", "{\"code\": \"${p1.login}\"}");
        c.post("/auth/api/login/verify/", "the right code", loginVerify("\"${p1.login}\"", "${p1.user}"))
                .capture("p1.access", "access_token").capture("p1.refresh", "refresh_token");
        c.post("/auth/api/login/verify/", "the same code again", loginVerify("\"${p1.login}\"", "${p1.user}"));
        c.post("/auth/api/login/verify/", "an unverified number's code as a number", loginVerify("${p2.login.num}", "${p2.user}"));
        c.post("/auth/api/login/", "after a completed login", login(p1));

        c.post("/auth/api/login/", "an unverified number again within five minutes", login(p2));
        c.post("/auth/api/verify/", "the unverified number's registration code, after its login",
                verify("\"000000\"", "${p2.token}", p2));
        c.post("/auth/api/Register/", "the seed's full round: register", register(p4)).capture("p4.token", "token").code("p4.code", p4);
        c.post("/auth/api/verify/", "verify with the code as a number", verify("${p4.code.num}", "${p4.token}", p4));
        c.post("/auth/api/login/", "login", login(p4)).capture("p4.user", "user_id").code("p4.login", p4);
        c.post("/auth/api/login/verify/", "a code with spaces around it", loginVerify("\" ${p4.login} \"", "${p4.user}"))
                .capture("p4.access", "access_token");
        c.post("/auth/api/login/", "login again right after completing one", login(p4));
        c.post("/auth/api/Register/", "a number to delete", register(p3)).code("p3.code", p3);
        c.post("/auth/api/login/", "it logs in", login(p3)).capture("p3.user", "user_id");
        c.action("delete it", side -> side.deleteUser(p3));
        c.post("/auth/api/login/verify/", "a deleted user's pending login", loginVerify("\"000000\"", "${p3.user}"));
        c.post("/auth/api/login/", "a deleted user's number", login(p3));
        c.post("/auth/api/Register/", "a deleted user's number registers again", register(p3));

        c.variants(new Corpus.Endpoint("POST", "/auth/api/Register/", Map.of("phonenumber", Corpus.quote(variant)),
                Set.of("POST"), null, false));
        Map<String, String> verify = new LinkedHashMap<>();
        verify.put("code", "\"000000\"");
        verify.put("token", "\"${p2.token}\"");
        verify.put("phone", Corpus.quote(p2));
        c.variants(new Corpus.Endpoint("POST", "/auth/api/verify/", verify, Set.of("POST"), null, false));
        c.variants(new Corpus.Endpoint("POST", "/auth/api/login/", Map.of("phone", Corpus.quote(unknown)), Set.of("POST"),
                null, false));
        Map<String, String> loginVerify = new LinkedHashMap<>();
        loginVerify.put("code", "\"000000\"");
        loginVerify.put("user_id", "\"${p1.user}\"");
        c.variants(new Corpus.Endpoint("POST", "/auth/api/login/verify/", loginVerify, Set.of("POST"), null, false));
        return c.steps;
    }

    static String register(String phone) {
        return "{\"phonenumber\": " + Corpus.quote(phone) + "}";
    }

    static String verify(String code, String token, String phone) {
        return "{\"code\": " + code + ", \"token\": " + Corpus.quote(token) + ", \"phone\": " + Corpus.quote(phone) + "}";
    }

    static String login(String phone) {
        return "{\"phone\": " + Corpus.quote(phone) + "}";
    }

    static String loginVerify(String code, String userId) {
        return "{\"code\": " + code + ", \"user_id\": " + Corpus.quote(userId) + "}";
    }
}
