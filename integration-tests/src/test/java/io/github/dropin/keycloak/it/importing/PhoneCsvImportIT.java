package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 for the Flask phone backend (seed 001): its users, exported as CSV by the reference backend itself
 * ({@code id,public_id,phone_number,phone_verified,date_joined}), import as passwordless users named by their number,
 * and sign in through phone-otp with a texted code. With the dialect's {@code legacyIds} on, the login answer's
 * {@code user_id} is the legacy {@code public_id} and the tokens carry flask-jwt-extended's claims with it as
 * {@code sub}, compared with a token the reference backend makes; with it off, Keycloak's id.
 */
@KeycloakRealm("realms/legacy-import.json")
class PhoneCsvImportIT {

    static LegacyExports.Run run;
    /** phone number → public id, from the exported file. */
    static Map<String, String> publicIds;

    final TestRealm realm;

    PhoneCsvImportIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void importTheCsv(TestRealm realm) throws IOException {
        publicIds = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(LegacyExports.file("phone_users.csv")).subList(1, 4)) {
            String[] fields = line.split(",");
            publicIds.put(fields[2], fields[1]);
        }
        run = LegacyExports.importTool(realm, LegacyExports.file("phone_users.csv").toString(), "--without-password");
    }

    @Test
    void phoneOnlyUsersComeNamedByTheirNumber() {
        // +447700900777 is in Ofcom's range for drama (07700 900xxx): no real number, and libphonenumber calls it
        // invalid, as the dialects do at registration. A user named by an invalid number cannot come.
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.summary().path("created").asInt()).isEqualTo(2);
        assertThat(run.summary().path("refused").asInt()).isEqualTo(1);
        assertThat(run.summary().path("withoutPassword").asInt()).isEqualTo(2);
        assertThat(run.log()).contains("row 3 (legacy id 3, None): refused phone number '+447700900777' is not valid "
                + "for the realm (invalid)");
        assertThat(realm.admin().usersByAttribute("phoneNumber", "+447700900777")).isEmpty();
        for (JsonNode legacy : LegacyExports.users("phone_otp")) {
            String phone = legacy.path("phone_number").asText();
            if (phone.startsWith("+44")) {
                continue;
            }
            JsonNode user = realm.admin().userByUsername(phone).orElseThrow();
            assertThat(user.path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(phone);
            assertThat(user.path("attributes").path("phoneNumberVerified").get(0).asText())
                    .isEqualTo(legacy.path("phone_verified").asText());
            assertThat(user.path("attributes").path("legacyPublicId").get(0).asText()).isEqualTo(publicIds.get(phone));
            assertThat(realm.admin().credentials(user.path("id").asText())).isEmpty();
        }
    }

    @Test
    void usersSignInThroughPhoneOtpWithTheirLegacyPublicIdAndFlaskClaims(SmsInbox inbox) {
        String phone = "+4915112348001";
        String publicId = publicIds.get(phone);
        JsonNode theirs;
        try (LegacyBackend reference = LegacyBackend.start("phone-otp",
                LegacyExports.manifest().path("phone_otp").path("database").asText())) {
            String code = "import datetime\nprint(token(" + LegacyExports.JSON.valueToTree(publicId)
                    + ", 'access', datetime.timedelta(seconds=900)))";
            String[] lines = reference.python(code).strip().split("\n");
            theirs = Jwts.payload(lines[lines.length - 1].strip());
        }
        assertThat(theirs.path("sub").asText()).isEqualTo(publicId);

        realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.legacyIds", "true"));
        try {
            JsonNode tokens = signIn(phone, publicId, inbox);
            JsonNode ours = Jwts.verifiedPayload(realm, tokens.path("access_token").asText());
            for (Iterator<String> names = theirs.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertThat(ours.has(name)).as("claim %s in %s", name, ours).isTrue();
                assertThat(ours.get(name).getNodeType()).as(name).isEqualTo(theirs.get(name).getNodeType());
            }
            assertThat(ours.path("type")).isEqualTo(theirs.path("type"));
            assertThat(ours.path("fresh")).isEqualTo(theirs.path("fresh"));
            assertThat(ours.path("sub")).isEqualTo(theirs.path("sub"));
            assertThat(ours.path("nbf")).isEqualTo(ours.path("iat"));
            JsonNode refresh = Jwts.payload(tokens.path("refresh_token").asText());
            assertThat(refresh.path("type").asText()).isEqualTo("refresh");
            assertThat(refresh.path("sub").asText()).isEqualTo(publicId);

            // Keycloak's own endpoints still know the user behind the legacy subject.
            given().header("Authorization", "Bearer " + tokens.path("access_token").asText())
                    .get(realm.realmUrl() + "/protocol/openid-connect/userinfo").then().statusCode(200);
            JsonNode refreshed = given().formParams(Map.of("grant_type", "refresh_token", "client_id", "phone-otp",
                            "refresh_token", tokens.path("refresh_token").asText()))
                    .post(realm.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().as(JsonNode.class);
            assertThat(Jwts.verifiedPayload(realm, refreshed.path("access_token").asText()).path("sub").asText())
                    .isEqualTo(publicId);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.legacyIds", "false"));
        }

        // With the setting off, Keycloak's ids, as before the import (an unverified imported number signs in too:
        // the code it receives proves it, and marks it verified).
        String other = "+4915112348002";
        String keycloakId = realm.admin().userByUsername(other).orElseThrow().path("id").asText();
        JsonNode tokens = signIn(other, keycloakId, inbox);
        JsonNode claims = Jwts.verifiedPayload(realm, tokens.path("access_token").asText());
        assertThat(claims.path("sub").asText()).isEqualTo(keycloakId);
        assertThat(claims.path("type").asText()).isEqualTo("access");
    }

    /** phone-otp's login and login/verify; checks the login answer's user_id and returns the tokens. */
    private JsonNode signIn(String phone, String expectedUserId, SmsInbox inbox) {
        inbox.mark();
        String userId = given().contentType(ContentType.JSON).body(Map.of("phone", phone))
                .post(realm.realmUrl() + "/phone-otp/auth/api/login/").then().statusCode(200).extract().path("user_id");
        assertThat(userId).isEqualTo(expectedUserId);
        String code = inbox.awaitSms(realm.name(), phone).code();
        return given().contentType(ContentType.JSON).body(Map.of("code", code, "user_id", userId))
                .post(realm.realmUrl() + "/phone-otp/auth/api/login/verify/").then().statusCode(200)
                .extract().as(JsonNode.class);
    }

}
