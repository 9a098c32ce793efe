package io.github.dropin.keycloak.rest.tokenauth;

import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.rest.http.ApiError;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAuthDialectTest {

    static String body(Response response) {
        return response.getStatus() + " " + new String((byte[]) response.getEntity(), StandardCharsets.UTF_8);
    }

    @Test
    void aCodeSubjectNamesTheAccountAndTheChannel() {
        CodeSubject phone = new CodeSubject("user", "53852112-c3a3-4bcd-84c7-199b02d9fe82/SMS");
        assertThat(TokenAuthDialect.channel(phone)).contains(Channel.SMS);
        assertThat(TokenAuthDialect.userId(phone)).isEqualTo("53852112-c3a3-4bcd-84c7-199b02d9fe82");
        assertThat(TokenAuthDialect.channel(new CodeSubject("user", "f:ldap:uid=a/EMAIL"))).contains(Channel.EMAIL);
    }

    @Test
    void subjectsOfOtherFlowsAreNotRegistrationChannels() {
        assertThat(TokenAuthDialect.channel(CodeSubject.user("53852112-c3a3-4bcd-84c7-199b02d9fe82"))).isEmpty();
        assertThat(TokenAuthDialect.channel(CodeSubject.phone("+4915112345678"))).isEmpty();
        assertThat(TokenAuthDialect.channel(new CodeSubject("phone", "x/SMS"))).isEmpty();
        assertThat(TokenAuthDialect.channel(new CodeSubject("user", "x/PHONE"))).isEmpty();
    }

    @Test
    void fieldErrorsAreWrappedAndFrameworkErrorsKeepDrfsDetail() {
        TokenAuthErrors style = new TokenAuthErrors();
        assertThat(body(ApiError.fields(Map.of("code", List.of("Invalid or expired verification code."))).render(style)))
                .isEqualTo("400 {\"error_message\":{\"code\":[\"Invalid or expired verification code.\"]}}");
        assertThat(body(ApiError.nonField("Unable to log in with provided credentials.").render(style)))
                .isEqualTo("400 {\"error_message\":{\"non_field_errors\":[\"Unable to log in with provided credentials.\"]}}");
        assertThat(body(ApiError.notFound().render(style))).isEqualTo("404 {\"detail\":\"Not found.\"}");
        assertThat(body(ApiError.throttled(3600).render(style)))
                .isEqualTo("429 {\"detail\":\"Request was throttled. Expected available in 3600 seconds.\"}");
    }
}
