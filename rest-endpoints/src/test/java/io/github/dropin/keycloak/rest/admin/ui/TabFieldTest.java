package io.github.dropin.keycloak.rest.admin.ui;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks of the Drop-in tab's fields and how settings become fields. */
class TabFieldTest {

    @Test
    void rangesRefuseWhatIsOutsideAndWhatIsNoNumber() {
        TabField.Range range = new TabField.Range(4, 9);
        assertThat(range.problem("4")).isEmpty();
        assertThat(range.problem("9")).isEmpty();
        assertThat(range.problem("10")).contains("must be a whole number from 4 to 9");
        assertThat(range.problem("six")).contains("must be a whole number from 4 to 9");
        assertThat(new TabField.Range(0, Integer.MAX_VALUE).problem("-1")).contains("must be a whole number of at least 0");
    }

    @Test
    void regionsAreIsoCodesAlone() {
        assertThat(new TabField.Regions(true).problem("DE, at,FR")).isEmpty();
        assertThat(new TabField.Regions(true).problem("DE, XX")).contains("'XX' is not an ISO 3166 region code (such as DE or US)");
        assertThat(new TabField.Regions(false).problem("DE,FR")).isPresent();
        assertThat(new TabField.NumberTypes().problem("MOBILE, voip")).isEmpty();
        assertThat(new TabField.NumberTypes().problem("PREMIUM_RATE")).isPresent();
    }

    @Test
    void endDatesAreWhatTheOptInsRead() {
        assertThat(new TabField.EndDate().problem("2027-06-30")).isEmpty();
        assertThat(new TabField.EndDate().problem("2027-06-30T12:00:00Z")).isEmpty();
        assertThat(new TabField.EndDate().problem("1830000000")).isEmpty();
        assertThat(new TabField.EndDate().problem("soon")).isPresent();
        assertThat(new TabField.EndDate().problem("30.06.2027")).isPresent();
    }

    @Test
    void urlsAreHttpOrHttpsWithAHost() {
        assertThat(new TabField.Url().problem("https://sms.example.com/send")).isEmpty();
        assertThat(new TabField.Url().problem("http://127.0.0.1:8089/sms")).isEmpty();
        assertThat(new TabField.Url().problem("ftp://example.com")).isPresent();
        assertThat(new TabField.Url().problem("sms.example.com")).isPresent();
    }

    @Test
    void secretsOnlyAsVaultReferences() {
        assertThat(new TabField.VaultReference().problem("${vault.twilio-token}")).isEmpty();
        assertThat(new TabField.VaultReference().problem("s3cret")).contains(
                "must be a vault reference such as ${vault.sms-token}: the admin console takes no secret in clear");
        assertThat(new TabField.VaultReference().problem("${vault.}")).isPresent();
    }

    @Test
    void aSettingBecomesAFieldNamedWithoutDots() {
        ProviderConfigProperty budget = new ProviderConfigProperty("smsHourlyBudget", null, "SMS per hour.",
                ProviderConfigProperty.INTEGER_TYPE, 1000);
        TabField field = TabFields.field("Fraud shield", "shield", budget);
        assertThat(field.attribute()).isEqualTo("dropin.shield.smsHourlyBudget");
        assertThat(field.name()).isEqualTo("shield/smsHourlyBudget");
        assertThat(field.property().getLabel()).isEqualTo("Fraud shield - SMS hourly budget (default 1000)");
        assertThat(field.property().getDefaultValue()).as("an empty field means: not set in the realm").isNull();
        assertThat(field.property().getHelpText()).contains("built-in default 1000").contains("dropin.shield.smsHourlyBudget");

        ProviderConfigProperty token = new ProviderConfigProperty("authToken", "Auth token", "Token.",
                ProviderConfigProperty.PASSWORD, null, true);
        TabField secret = TabFields.field("Twilio", "sms.twilio", token);
        assertThat(secret.name()).isEqualTo("sms/twilio/authToken");
        assertThat(secret.secret()).isTrue();
        assertThat(secret.property().isSecret()).isTrue();

        ProviderConfigProperty flag = new ProviderConfigProperty("legacyIds", null, "Ids.",
                ProviderConfigProperty.BOOLEAN_TYPE, false);
        TabField choice = TabFields.field("Dialect jwt-auth", "jwt-auth", flag);
        assertThat(choice.property().getOptions()).isEqualTo(List.of(TabField.NOT_SET, "false", "true"));
        assertThat(TabFields.field("Twilio", "sms.twilio", new ProviderConfigProperty("allowedEndpoints", null,
                null, ProviderConfigProperty.STRING_TYPE, null))).as("an operator's option").isNull();
    }
}
