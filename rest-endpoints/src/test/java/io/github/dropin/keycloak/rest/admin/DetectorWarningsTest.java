package io.github.dropin.keycloak.rest.admin;

import io.github.dropin.keycloak.rest.jwtauth.JwtAuthDialectFactory;
import io.github.dropin.keycloak.rest.phoneotp.PhoneOtpDialectFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes a realm one that "uses the pack" for {@link DetectorWarnings}, the same test at start-up and after admin
 * changes: a dialect's client, a flow with one of the pack's authenticators, one of its required actions enabled.
 */
class DetectorWarningsTest {

    /** A realm with these client ids, flows (alias to authenticators) and required actions. */
    static RealmModel realm(Set<String> clients, Map<String, List<String>> flows, List<String> requiredActions,
                            Map<String, String> attributes) {
        ClientModel client = proxy(ClientModel.class, (name, args) -> null);
        return proxy(RealmModel.class, (name, args) -> switch (name) {
            case "getName", "getId" -> "test";
            case "isBruteForceProtected" -> false;
            case "getAttribute" -> attributes.get((String) args[0]);
            case "getClientByClientId" -> clients.contains((String) args[0]) ? client : null;
            case "getAuthenticationFlowsStream" -> flows.keySet().stream().map(alias -> {
                AuthenticationFlowModel flow = new AuthenticationFlowModel();
                flow.setId(alias);
                flow.setAlias(alias);
                return flow;
            });
            case "getAuthenticationExecutionsStream" -> flows.get((String) args[0]).stream().map(authenticator -> {
                AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
                execution.setAuthenticator(authenticator);
                return execution;
            });
            case "getRequiredActionProvidersStream" -> requiredActions.stream().map(id -> {
                RequiredActionProviderModel action = new RequiredActionProviderModel();
                action.setProviderId(id);
                action.setEnabled(true);
                return action;
            });
            default -> throw new UnsupportedOperationException("RealmModel." + name);
        });
    }

    static KeycloakSession session() {
        KeycloakSessionFactory factory = proxy(KeycloakSessionFactory.class, (name, args) -> {
            if (name.equals("getProviderFactoriesStream")) {
                return Stream.of(new JwtAuthDialectFactory(), new PhoneOtpDialectFactory());
            }
            throw new UnsupportedOperationException("KeycloakSessionFactory." + name);
        });
        return proxy(KeycloakSession.class, (name, args) -> {
            if (name.equals("getKeycloakSessionFactory")) {
                return factory;
            }
            throw new UnsupportedOperationException("KeycloakSession." + name);
        });
    }

    @Test
    void aRealmWithADialectsClientUsesThePack() {
        RealmModel realm = realm(Set.of("jwt-auth", "account"), Map.of(), List.of(), Map.of());

        assertThat(DetectorWarnings.packUses(session(), realm)).containsExactly("dialects jwt-auth");
    }

    @Test
    void theDialectsClientIsTheOneItsSettingNames() {
        RealmModel realm = realm(Set.of("mobile-app"), Map.of(), List.of(),
                Map.of("dropin.phone-otp.clientId", "mobile-app"));

        assertThat(DetectorWarnings.packUses(session(), realm)).containsExactly("dialects phone-otp");
    }

    @Test
    void flowsAndRequiredActionsOfThePackCountToo() {
        RealmModel realm = realm(Set.of(), Map.of("browser", List.of("auth-cookie"),
                        "phone browser", List.of("auth-cookie", "dropin-sms-code-form")),
                List.of("VERIFY_EMAIL", "dropin-verify-phone-number"), Map.of());

        assertThat(DetectorWarnings.packUses(session(), realm))
                .containsExactly("flows 'phone browser'", "its required actions");
    }

    @Test
    void aRealmWithoutAnyOfItDoesNot() {
        RealmModel realm = realm(Set.of("account", "admin-cli"), Map.of("browser", List.of("auth-cookie")),
                List.of("VERIFY_EMAIL"), Map.of());

        assertThat(DetectorWarnings.packUses(session(), realm)).isEmpty();
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> type.getSimpleName();
                };
            }
            return answer.answer(method.getName(), args);
        });
    }
}
