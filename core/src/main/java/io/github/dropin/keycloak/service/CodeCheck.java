package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A submitted code to check.
 *
 * @param submitted what the client sent: a string or a JSON number (leading zeros restored)
 * @param user      the account the code is for, {@code null} for a number or address without one (its lock is
 *                  checked and its wrong guesses counted towards Keycloak's brute-force detector)
 * @param mayUse    whether a right code may be used: false for a silent code of a number that may not sign in, which
 *                  then fails like a dead code
 * @param event     the request's event; the service records the failure on it (never the success, which is the
 *                  caller's once it has done what the code authorises)
 */
public record CodeCheck(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object submitted,
                        CodePolicy policy, UserModel user, boolean mayUse, EventBuilder event) {

    public static CodeCheck of(RealmModel realm, CodePurpose purpose, CodeSubject subject, Object submitted,
                               CodePolicy policy, UserModel user, EventBuilder event) {
        return new CodeCheck(realm, purpose, subject, submitted, policy, user, true, event);
    }

    /** The same check for a code that may not be used even if right. */
    public CodeCheck unusable() {
        return new CodeCheck(realm, purpose, subject, submitted, policy, user, false, event);
    }
}
