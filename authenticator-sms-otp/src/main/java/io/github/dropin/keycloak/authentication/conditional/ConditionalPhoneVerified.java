package io.github.dropin.keycloak.authentication.conditional;

import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.PhoneInput;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Condition "user has a verified phone number": true when the flow's user holds a phone number marked verified
 * (or the opposite, with "negate"). Put it in front of the SMS code form to ask only users who can receive a code.
 */
public class ConditionalPhoneVerified implements ConditionalAuthenticator {

    /** Config key: match users <em>without</em> a verified phone number instead. */
    public static final String NEGATE = "negate";

    static final ConditionalPhoneVerified SINGLETON = new ConditionalPhoneVerified();

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        boolean verified = user != null && PhoneInput.verifiedPhone(user).isPresent();
        boolean negate = CodeConfig.of(context).flag(NEGATE, false);
        return verified != negate;
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
