package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CodeConfigTest {

    private static Config.Scope options(Map<String, String> values) {
        return new Config.AbstractScope() {
            @Override
            public String get(String key) {
                return values.get(key);
            }

            @Override
            public Config.Scope scope(String... scope) {
                return this;
            }

            @Override
            @SuppressWarnings("deprecation")
            public Set<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Config.Scope root() {
                return this;
            }
        };
    }

    @Test
    void aMissingConfigurationGivesThePackDefaults() {
        CodePolicy policy = CodeConfig.of(null, null).policy();
        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.lifetimeSeconds()).isEqualTo(300);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isEqualTo(60);
        assertThat(policy.uniqueAmongPending()).isFalse();
    }

    @Test
    void theFormWinsOverProviderOptionsWhichWinOverEngineOptions() {
        Config.Scope provider = options(Map.of(CodePolicy.LIFETIME, "120", CodePolicy.LENGTH, "8"));
        Config.Scope engine = options(Map.of(CodePolicy.LIFETIME, "900", CodePolicy.MAX_ATTEMPTS, "7",
                CodePolicy.HOURLY_LIMIT_PER_IP, "50"));
        CodePolicy policy = CodeConfig.of(null, Map.of(CodePolicy.LENGTH, "4"), provider, engine).policy();
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
        CodePolicy policy = CodeConfig.of(null, form, options(Map.of(CodePolicy.RESEND_COOLDOWN, "30"))).policy();
        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.lifetimeSeconds()).isEqualTo(300);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isEqualTo(30);
    }

    @Test
    void aZeroCooldownIsAllowed() {
        assertThat(CodeConfig.of(null, Map.of(CodePolicy.RESEND_COOLDOWN, "0")).policy().resendCooldown()).isZero();
    }

    @Test
    void flagsAreOnlyOnForTrue() {
        assertThat(CodeConfig.of(null, Map.of("x", "true")).flag("x", false)).isTrue();
        assertThat(CodeConfig.of(null, Map.of("x", "TRUE")).flag("x", false)).isTrue();
        assertThat(CodeConfig.of(null, Map.of("x", "yes")).flag("x", true)).isFalse();
        assertThat(CodeConfig.of(null, Map.of()).flag("x", true)).isTrue();
        assertThat(CodeConfig.of(null, null).flag("x", false)).isFalse();
    }
}
