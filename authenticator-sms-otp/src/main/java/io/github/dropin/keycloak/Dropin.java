package io.github.dropin.keycloak;

/** Names shared by every part of the pack. */
public final class Dropin {
    private Dropin() {
    }

    /** User attribute holding the E.164 phone number (the name Keycloak's built-in {@code phone} scope maps). */
    public static final String ATTR_PHONE_NUMBER = "phoneNumber";
    /** User attribute holding {@code true}/{@code false}. */
    public static final String ATTR_PHONE_NUMBER_VERIFIED = "phoneNumberVerified";
}
