package io.github.dropin.keycloak.rest.usersapi;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ResetTokensTest {

    @Test
    void tokensAreFortyLettersOrDigitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String token = ResetTokens.generate();
            assertThat(token).matches("[A-Za-z0-9]{40}");
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void everySymbolOfTheAlphabetTurnsUp() {
        Set<Character> symbols = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            for (char c : ResetTokens.generate().toCharArray()) {
                symbols.add(c);
            }
        }
        assertThat(symbols).hasSize(62);
    }
}
