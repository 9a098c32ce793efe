package io.github.dropin.keycloak.importing;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldMappingTest {

    /** A user object's fields as Django's dumpdata writes them (JSON values as the reader hands them over). */
    private static Map<String, Object> djangoUser() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pk", 7L);
        fields.put("password", "pbkdf2_sha256$260000$salt$hash");
        fields.put("is_superuser", false);
        fields.put("username", "Ada");
        fields.put("first_name", "Ada");
        fields.put("last_name", "");
        fields.put("email", "ada@example.test");
        fields.put("is_staff", true);
        fields.put("is_active", true);
        fields.put("date_joined", "2023-07-10T17:00:00.123Z");
        fields.put("groups", List.of(1L, 2L));
        fields.put("phone_number", "+4915112340001");
        fields.put("is_phone_verified", true);
        return fields;
    }

    @Test
    void readsDjangosAuthUserAndCustomModelsWithoutConfiguration() {
        ImportItem.User user = (ImportItem.User) FieldMapping.defaults().toUser(3, djangoUser());
        assertThat(user.legacyId()).isEqualTo(7);
        assertThat(user.username()).isEqualTo("Ada");
        assertThat(user.lastName()).isNull();
        assertThat(user.staff()).isTrue();
        assertThat(user.superuser()).isFalse();
        assertThat(user.active()).isTrue();
        assertThat(user.emailVerified()).isNull();
        assertThat(user.joinedMillis()).isEqualTo(1689008400123L);
        assertThat(user.groupIds()).containsExactly(1L, 2L);
        assertThat(user.phone()).isEqualTo("+4915112340001");
        assertThat(user.phoneVerified()).isTrue();
        assertThat(user.passwordHash()).startsWith("pbkdf2_sha256$");
    }

    @Test
    void fieldsCanBeRenamedOrLeftOut() {
        Map<String, Object> fields = djangoUser();
        fields.put("mobile", "0151 12340003");
        FieldMapping mapping = FieldMapping.defaults().with("phone", "mobile").with("groups", "");
        ImportItem.User user = (ImportItem.User) mapping.toUser(1, fields);
        assertThat(user.phone()).isEqualTo("0151 12340003");
        assertThat(user.groupIds()).isEmpty();
        assertThatThrownBy(() -> mapping.with("mobile", "x")).hasMessageStartingWith("unknown property 'mobile'");
    }

    @Test
    void naturalKeysAndCsvTextNameGroups() {
        Map<String, Object> fields = djangoUser();
        fields.put("groups", List.of(List.of("customers"), List.of("editors")));
        assertThat(((ImportItem.User) FieldMapping.defaults().toUser(1, fields)).groupNames())
                .containsExactly("customers", "editors");
        fields.put("groups", "customers; editors;");
        assertThat(((ImportItem.User) FieldMapping.defaults().toUser(1, fields)).groupNames())
                .containsExactly("customers", "editors");
    }

    @Test
    void datesWithoutOffsetAreUtcAndUnknownDatesAreANote() {
        assertThat(FieldMapping.epochMillis("2023-07-10T17:00:00")).isEqualTo(1689008400000L);
        assertThat(FieldMapping.epochMillis("2023-07-10 19:00:00+02:00")).isEqualTo(1689008400000L);
        Map<String, Object> fields = djangoUser();
        fields.put("date_joined", "yesterday");
        ImportItem.User user = (ImportItem.User) FieldMapping.defaults().toUser(1, fields);
        assertThat(user.joinedMillis()).isNull();
        assertThat(user.notes()).containsExactly("date joined 'yesterday' not understood (ISO 8601 expected); not imported");
    }

    @Test
    void badBooleansRefuseTheRow() {
        Map<String, Object> fields = djangoUser();
        fields.put("is_active", "maybe");
        assertThat(((ImportItem.Unreadable) FieldMapping.defaults().toUser(1, fields)).reason())
                .isEqualTo("active 'maybe' is not a boolean");
    }
}
