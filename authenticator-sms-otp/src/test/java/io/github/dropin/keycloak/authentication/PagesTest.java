package io.github.dropin.keycloak.authentication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PagesTest {

    @Test
    void masksAllButTheCountryCodeAndTheLastTwoDigits() {
        assertThat(Pages.mask("+4915112345678")).isEqualTo("+49\u00A0•••••••••78");
        assertThat(Pages.mask("+14155550123")).isEqualTo("+14\u00A0•••••••23");
    }

    @Test
    void masksNonsenseCompletely() {
        assertThat(Pages.mask(null)).isEqualTo("••••");
        assertThat(Pages.mask("+1234")).isEqualTo("••••");
    }
}
