package io.github.dropin.keycloak.settings;

import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * One setting a provider of the pack reads: its key (the realm attribute {@code dropin.<scope>.<key>} and the SPI
 * option {@code --spi-<spi>--<provider>--<key-in-dashes>}), type, default and help text. Providers list their settings
 * once, and the list serves as their SPI option metadata ({@code kc.sh show-config}, the admin console's provider
 * info) and as the documentation's source of defaults.
 *
 * @param key          the setting's name, camel case
 * @param type         a {@link ProviderConfigProperty} type ({@code int}, {@code String}, {@code boolean}, ...)
 * @param defaultValue the built-in default, or {@code null}
 * @param help         what it does, for administrators
 */
public record Setting(String key, String type, Object defaultValue, String help) {

    public static Setting integer(String key, int defaultValue, String help) {
        return new Setting(key, ProviderConfigProperty.INTEGER_TYPE, defaultValue, help);
    }

    public static Setting text(String key, String defaultValue, String help) {
        return new Setting(key, ProviderConfigProperty.STRING_TYPE, defaultValue, help);
    }

    public static Setting flag(String key, boolean defaultValue, String help) {
        return new Setting(key, ProviderConfigProperty.BOOLEAN_TYPE, defaultValue, help);
    }

    /** Keycloak's provider-option metadata for a list of settings. */
    public static List<ProviderConfigProperty> metadata(List<Setting> settings) {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Setting setting : settings) {
            builder.property().name(setting.key()).type(setting.type()).defaultValue(setting.defaultValue())
                    .helpText(setting.help()).add();
        }
        return builder.build();
    }
}
