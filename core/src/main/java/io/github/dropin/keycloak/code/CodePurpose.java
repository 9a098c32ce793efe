package io.github.dropin.keycloak.code;

import java.util.Locale;

/**
 * What a one-time code authorises. A code issued for one purpose never verifies for another.
 * {@link #id()} appears in store keys, message keys ({@code dropin.sms.<id>}) and gateway payloads.
 */
public enum CodePurpose {
    REGISTRATION,
    LOGIN,
    PASSWORD_RESET,
    PIN_RESET,
    PHONE_CHANGE,
    PHONE_VERIFICATION,
    EMAIL_VERIFICATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
