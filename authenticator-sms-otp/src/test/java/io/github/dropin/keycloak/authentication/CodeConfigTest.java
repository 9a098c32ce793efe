package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside a server, Keycloak's configuration reads system properties ({@code keycloak.<spi>.<provider>.<key>}), so the
 * SPI options a provider falls back on are set as such here.
 */
class CodeConfigTest {

    private static final String SPI = "authenticator";
    private static final String PROVIDER = "dropin-test-provider";
    private static final String PROVIDER_PREFIX = "keycloak." + SPI + "." + PROVIDER + ".";
    private static final String ENGINE_PREFIX = "keycloak.one-time-code.default.";

    @AfterEach
    void clearOptions() {
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith(PROVIDER_PREFIX) || n.startsWith(ENGINE_PREFIX))
                .forEach(System::clearProperty);
    }

    private static CodeConfig config(Map<String, String> form) {
        return CodeConfig.of(null, form, SPI, PROVIDER);
    }

    @Test
    void aMissingConfigurationGivesThePackDefaults() {
        CodePolicy policy = config(null).policy();
        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.lifetimeSeconds()).isEqualTo(300);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isEqualTo(60);
        assertThat(policy.uniqueAmongPending()).isFalse();
    }

    @Test
    void theFormWinsOverProviderOptionsWhichWinOverEngineOptions() {
        System.setProperty(PROVIDER_PREFIX + CodePolicy.LIFETIME, "120");
        System.setProperty(PROVIDER_PREFIX + CodePolicy.LENGTH, "8");
        System.setProperty(ENGINE_PREFIX + CodePolicy.LIFETIME, "900");
        System.setProperty(ENGINE_PREFIX + CodePolicy.MAX_ATTEMPTS, "7");
        System.setProperty(ENGINE_PREFIX + CodePolicy.HOURLY_LIMIT_PER_IP, "50");
        CodePolicy policy = config(Map.of(CodePolicy.LENGTH, "4")).policy();
        assertThat(policy.length()).isEqualTo(4);
        assertThat(policy.lifetimeSeconds()).isEqualTo(120);
        assertThat(policy.maxAttempts()).isEqualTo(7);
        assertThat(policy.hourlyLimitPerIp()).isEqualTo(50);
    }

    @Test
    void emptyMalformedAndOutOfRangeValuesFallThrough() {
        Map<String, String> form = new HashMap<>();
        form.put(CodePolicy.LENGTH, "12");
        form.put(CodePolicy.LIFETIME, "soon");
        form.put(CodePolicy.MAX_ATTEMPTS, "0");
        form.put(CodePolicy.RESEND_COOLDOWN, " ");
        System.setProperty(PROVIDER_PREFIX + CodePolicy.RESEND_COOLDOWN, "30");
        CodePolicy policy = config(form).policy();
        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.lifetimeSeconds()).isEqualTo(300);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isEqualTo(30);
    }

    @Test
    void aZeroCooldownIsAllowed() {
        assertThat(config(Map.of(CodePolicy.RESEND_COOLDOWN, "0")).policy().resendCooldown()).isZero();
    }

    @Test
    void flagsAreOnlyOnForTrue() {
        assertThat(config(Map.of("x", "true")).flag("x", false)).isTrue();
        assertThat(config(Map.of("x", "TRUE")).flag("x", false)).isTrue();
        assertThat(config(Map.of("x", "yes")).flag("x", true)).isFalse();
        assertThat(config(Map.of()).flag("x", true)).isTrue();
        assertThat(config(null).flag("x", false)).isFalse();
    }
}
