package io.github.dropin.keycloak.credential;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PinFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"0000", "1234", "12345", "000123", "987654"})
    void fourToSixAsciiDigitsAreAPin(String pin) {
        assertThat(PinCredentialProvider.isWellFormed(pin)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "123", "1234567", "12a4", " 1234", "1234\n", "-123", "١٢٣٤", "１２３４", "12.4"})
    void anythingElseIsNot(String pin) {
        assertThat(PinCredentialProvider.isWellFormed(pin)).isFalse();
    }
}
