package io.github.dropin.keycloak.rest.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {

    @Test
    void pathsMatchWithAndWithoutTrailingSlash() {
        assertThat(DialectResource.segments("api/login/")).containsExactly("api", "login");
        assertThat(DialectResource.segments("/api/login")).containsExactly("api", "login");
        assertThat(DialectResource.segments("")).isEmpty();
        assertThat(DialectResource.segments("api//login")).isNull();
    }

    @Test
    void parametersAreCaptured() {
        Route route = Route.at("api/v1/users/{id}").get(call -> null).build();
        assertThat(route.match(new String[]{"api", "v1", "users", "42"})).isEqualTo(Map.of("id", "42"));
        assertThat(route.match(new String[]{"api", "v1", "users"})).isNull();
        assertThat(route.match(new String[]{"api", "v2", "users", "42"})).isNull();
    }

    @Test
    void allowHeaderListsOptionsAndHead() {
        assertThat(ErrorStyle.allowHeader(java.util.Set.of("POST"))).isEqualTo("OPTIONS, POST");
        assertThat(ErrorStyle.allowHeader(java.util.Set.of("GET", "PUT"))).isEqualTo("GET, HEAD, OPTIONS, PUT");
    }

    @Test
    void anonymousMethodsOfAnAuthenticatedRouteSkipAuthentication() {
        Route route = Route.at("users").authenticated().anonymous("POST")
                .get(call -> null).post(call -> null).build();
        assertThat(route.requiresAuth("GET")).isTrue();
        assertThat(route.requiresAuth("POST")).isFalse();
        assertThat(route.requiresAuth("DELETE")).as("unknown methods authenticate before the 405").isTrue();
        assertThat(Route.at("open").post(call -> null).build().requiresAuth("POST")).isFalse();
    }
}
