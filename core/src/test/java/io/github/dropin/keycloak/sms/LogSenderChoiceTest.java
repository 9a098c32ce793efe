package io.github.dropin.keycloak.sms;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may make codes go to the log: a realm in development mode, or the operator by making {@code log} the server's
 * default. Outside a server, Keycloak reads the mode from {@code kc.profile} and the default provider from
 * {@code keycloak.<spi>.provider.default}, both system properties, as set here.
 */
class LogSenderChoiceTest {

    private static final String DEFAULT = "keycloak." + SmsSenderSpi.NAME + ".provider.default";

    @AfterEach
    void clear() {
        System.clearProperty("kc.profile");
        System.clearProperty(DEFAULT);
    }

    @Test
    void inProductionModeARealmMayNotSelectItWhenTheOperatorChoseAnother() {
        System.setProperty("kc.profile", "prod");
        System.setProperty(DEFAULT, "twilio");
        assertThat(LogSmsSenderProviderFactory.selectableByRealms()).isFalse();
        System.clearProperty(DEFAULT);
        assertThat(LogSmsSenderProviderFactory.selectableByRealms()).isFalse();
    }

    @Test
    void theOperatorsDefaultKeepsItSelectable() {
        System.setProperty("kc.profile", "prod");
        System.setProperty(DEFAULT, "log");
        assertThat(LogSmsSenderProviderFactory.selectableByRealms()).isTrue();
    }

    @Test
    void developmentModeKeepsItSelectable() {
        System.setProperty("kc.profile", "dev");
        System.setProperty(DEFAULT, "twilio");
        assertThat(LogSmsSenderProviderFactory.selectableByRealms()).isTrue();
    }
}
