package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.LowerCaseId;

/**
 * What a one-time code authorises. A code issued for one purpose never verifies for another.
 * {@link #id()} appears in store keys, message keys ({@code dropin.sms.<id>}) and gateway payloads.
 */
public enum CodePurpose implements LowerCaseId {
    REGISTRATION(false),
    LOGIN(true),
    PASSWORD_RESET(true),
    PIN_RESET(true),
    PHONE_CHANGE(false),
    PHONE_VERIFICATION(false),
    EMAIL_VERIFICATION(false);

    private final boolean guardsAccount;

    CodePurpose(boolean guardsAccount) {
        this.guardsAccount = guardsAccount;
    }

    /**
     * Whether a right code opens the account (signs in, or sets a credential): then a locked account may not use
     * it, and wrong codes count towards Keycloak's brute-force detector. Codes that only prove possession of an
     * address (registration, verification, a phone change of a signed-in user) do neither: counting them would let
     * anyone who knows an address lock its owner out, and the engine's attempt limits bound them already.
     */
    public boolean guardsAccount() {
        return guardsAccount;
    }
}
