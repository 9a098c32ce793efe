package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.testing.MapScope;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodePolicyTest {

    /** SPI options as Keycloak hands them to a factory. */
    static Config.Scope options(Map<String, String> values) {
        return new MapScope(values);
    }

    @Test
    void defaultsFollowTheSpec() {
        CodePolicy d = CodePolicy.DEFAULTS;
        assertThat(d.length()).isEqualTo(6);
        assertThat(d.lifetimeSeconds()).isEqualTo(300);
        assertThat(d.maxAttempts()).isEqualTo(5);
        assertThat(d.resendCooldown()).isEqualTo(60);
        assertThat(d.hourlyLimitPerSubject()).isEqualTo(5);
        assertThat(d.hourlyLimitPerIp()).isEqualTo(20);
    }

    @Test
    void firstSpiOptionWinsOverLaterOnesAndOverDefaults() {
        RealmSettings settings = RealmSettings.of(null, "token-auth",
                options(Map.of(CodePolicy.LENGTH, "5")),
                options(Map.of(CodePolicy.LENGTH, "8", CodePolicy.LIFETIME, "120")));
        CodePolicy policy = CodePolicy.from(settings, CodePolicy.DEFAULTS);
        assertThat(policy.length()).isEqualTo(5);
        assertThat(policy.lifetimeSeconds()).isEqualTo(120);
        assertThat(policy.maxAttempts()).isEqualTo(5);
    }

    @Test
    void nonsenseValuesFallBackToDefaultsInsteadOfFailingRequests() {
        RealmSettings settings = RealmSettings.of(null, "x", options(Map.of(
                CodePolicy.LENGTH, "2", CodePolicy.LIFETIME, "-5", CodePolicy.MAX_ATTEMPTS, "many",
                CodePolicy.RESEND_COOLDOWN, "-1")));
        CodePolicy policy = CodePolicy.from(settings, CodePolicy.DEFAULTS);
        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.lifetimeSeconds()).isEqualTo(300);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.resendCooldown()).isZero();
    }

    @Test
    void rejectsImpossiblePolicies() {
        assertThatThrownBy(() -> new CodePolicy(3, 300, 5, 60, 5, 20, 20, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodePolicy(6, 0, 5, 60, 5, 20, 20, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodePolicy(6, 300, 0, 60, 5, 20, 20, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
