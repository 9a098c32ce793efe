package io.github.dropin.keycloak.users;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LegacyTokensTest {

    @Test
    void theEndDateIsADateToItsEndAnInstantOrEpochSeconds() {
        assertThat(LegacyTokens.parseUntil("2027-06-30")).contains(Instant.parse("2027-07-01T00:00:00Z"));
        assertThat(LegacyTokens.parseUntil(" 2027-06-30T12:00:00Z ")).contains(Instant.parse("2027-06-30T12:00:00Z"));
        assertThat(LegacyTokens.parseUntil("1814400000")).contains(Instant.ofEpochSecond(1814400000L));
    }

    @Test
    void anythingElseIsOff() {
        for (String value : new String[]{null, "", "  ", "soon", "2027-13-01", "2027-06-30T12:00", "-5", "1e9"}) {
            assertThat(LegacyTokens.parseUntil(value)).as(String.valueOf(value)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void onlyTheSha256OfTheKeyIsKept() {
        // sha256("abc"), the FIPS 180-2 test vector.
        assertThat(LegacyTokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
