package io.github.dropin.keycloak.code;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

class CodesTest {

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 6, 8, 9})
    void generatesExactlyTheConfiguredNumberOfDigits(int length) {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2000; i++) {
            assertThat(Codes.generate(random, length)).hasSize(length).containsOnlyDigits();
        }
    }

    @Test
    void keepsLeadingZeros() {
        Random zero = new Random() {
            @Override
            public int nextInt(int bound) {
                return 42;
            }
        };
        assertThat(Codes.generate(zero, 6)).isEqualTo("000042");
    }

    @Test
    void codesAreSpreadOverTheWholeSpace() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(Codes.generate(random, 6));
        }
        // 1000 draws from 10^6 values: collisions are possible but many would mean a broken generator.
        assertThat(seen.size()).isGreaterThan(990);
    }

    @Test
    void normalisesStringsAndNumbersAlike() {
        assertThat(Codes.normalise("533712", 6)).isEqualTo("533712");
        assertThat(Codes.normalise(533712, 6)).isEqualTo("533712");
        assertThat(Codes.normalise(" 533712 ", 6)).isEqualTo("533712");
        assertThat(Codes.normalise(BigInteger.valueOf(12345), 6)).isEqualTo("012345");
        assertThat(Codes.normalise(12345L, 6)).isEqualTo("012345");
        assertThat(Codes.normalise("12345", 6)).isEqualTo("012345");
        assertThat(Codes.normalise(new BigDecimal("12345"), 6)).isEqualTo("012345");
        assertThat(Codes.normalise(7, 5)).isEqualTo("00007");
    }

    @Test
    void refusesWhatCannotBeACode() {
        assertThat(Codes.normalise(null, 6)).isNull();
        assertThat(Codes.normalise("", 6)).isNull();
        assertThat(Codes.normalise("1234567", 6)).isNull();
        assertThat(Codes.normalise("12a456", 6)).isNull();
        assertThat(Codes.normalise("-12345", 6)).isNull();
        assertThat(Codes.normalise(-1, 6)).isNull();
        assertThat(Codes.normalise(new BigDecimal("1234.5"), 6)).isNull();
        assertThat(Codes.normalise(12.0d, 6)).isNull();
        assertThat(Codes.normalise(true, 6)).isNull();
        assertThat(Codes.normalise("１２３４５６", 6)).as("full-width digits").isNull();
    }

    @Test
    void hmacBindsEveryPartAndTheirBoundaries() {
        SecretKeySpec key = new SecretKeySpec(new byte[32], "HmacSHA256");
        String base = Codes.hmacBase64(key, "a", "bc");
        assertThat(Codes.hmacBase64(key, "a", "bc")).isEqualTo(base);
        assertThat(Codes.hmacBase64(key, "ab", "c")).isNotEqualTo(base);
        assertThat(Codes.hmacBase64(new SecretKeySpec(new byte[]{1}, "HmacSHA256"), "a", "bc")).isNotEqualTo(base);
    }

    @Test
    void constantTimeEqualsHandlesNullsAndLengths() {
        assertThat(Codes.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Codes.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Codes.constantTimeEquals("abc", "abcd")).isFalse();
        assertThat(Codes.constantTimeEquals(null, "abc")).isFalse();
    }
}
