package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Objects;

/**
 * "A number that changed is not verified" (SPEC §2.1): whatever changes a user's {@code phoneNumber} in a request
 * (the admin console and REST API, the account console, the update-profile page, a dialect's profile write) leaves
 * {@code phoneNumberVerified=false}, even when the request sent the old {@code true} back, as the admin console's
 * form does. Only the pack's own code paths that have just checked a texted code mark a number verified, and they
 * write number and flag together after any such check.
 * <p>
 * How: every user-profile write validates the attributes it is given first, and the {@code dropin-phone-number}
 * validator calls {@link #watch} for the user then, which notes the number as it is stored and enlists a check in
 * the prepare phase of the request's transaction (before the database commit): if the number at commit differs from
 * the one noted, the flag is reset. Comparing at commit rather than in the validator is what makes it exact: a
 * validation that is not followed by a write, or a write that changes nothing, resets nothing.
 */
public final class PhoneChanges {

    private static final String WATCHED = PhoneChanges.class.getName() + ".watched:";

    private PhoneChanges() {
    }

    /** Resets {@code user}'s verified flag at commit if its number changed meanwhile. Once per user and request. */
    public static void watch(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null || realm == null || user.getId() == null) {
            return;
        }
        String marker = WATCHED + user.getId();
        if (session.getAttribute(marker) != null) {
            return;
        }
        session.setAttribute(marker, Boolean.TRUE);
        String before = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
        String userId = user.getId();
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                UserModel current = session.users().getUserById(realm, userId);
                if (current != null && !Objects.equals(before, current.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER))
                        && PhoneUsers.isPhoneVerified(current)) {
                    current.setSingleAttribute(Dropin.ATTR_PHONE_NUMBER_VERIFIED, "false");
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
