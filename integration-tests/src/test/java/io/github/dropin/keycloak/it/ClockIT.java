package io.github.dropin.keycloak.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The harness moves the test server's clock ({@link TestClock}) and puts it back after the test. */
@KeycloakRealm("realms/smoke.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClockIT {

    @Test
    @Order(1)
    void movesAddUpAndTheServerDatesWhatItIssuesOnItsClock(KeycloakServer server, TestRealm realm) {
        assertThat(server.clockOffset()).isZero();
        server.moveClock(Duration.ofHours(2));
        server.moveClock(Duration.ofSeconds(30));
        assertThat(server.clockOffset()).isEqualTo(7230);
        assertThat(server.isClockMoved()).isTrue();

        long issuedAt = Jwts.payload(server.adminToken()).path("iat").asLong();
        assertThat(issuedAt - Instant.now().getEpochSecond()).as("iat ahead of the real time").isBetween(7200L, 7260L);
        // The admin API keeps working: the harness fetched its token again after the move.
        assertThat(realm.admin().realm().path("realm").asText()).isEqualTo(realm.name());
    }

    @Test
    @Order(2)
    void theNextTestRunsOnTheRealTimeAgain(KeycloakServer server) {
        assertThat(server.isClockMoved()).isFalse();
        assertThat(server.clockOffset()).isZero();
    }

    @Test
    @Order(3)
    void onlyTheMasterRealmsAdministratorsReachIt(KeycloakServer server, TestRealm realm) {
        given().contentType(ContentType.JSON).body(Map.of("offset", 60)).put(server.serverUrl() + TestClock.RESOURCE)
                .then().statusCode(401);
        given().auth().oauth2(server.adminToken()).get(server.serverUrl() + "/admin/realms/" + realm.name()
                + "/dropin-test-time/offset").then().statusCode(404);
        given().auth().oauth2(server.adminToken()).contentType(ContentType.JSON).body(Map.of())
                .put(server.serverUrl() + TestClock.RESOURCE).then().statusCode(400);
        assertThat(server.clockOffset()).isZero();
    }
}
