package io.github.dropin.keycloak;

/**
 * Names shared by every part of the pack: user attributes, realm-attribute prefixes and log markers.
 */
public final class Dropin {

    private Dropin() {
    }

    /** User attribute holding the E.164 phone number (the name Keycloak's built-in {@code phone} scope maps). */
    public static final String ATTR_PHONE_NUMBER = "phoneNumber";

    /** User attribute holding {@code true}/{@code false}. */
    public static final String ATTR_PHONE_NUMBER_VERIFIED = "phoneNumberVerified";

    /**
     * User attribute naming what created the account, where that matters for who may sign in (phone-otp's
     * passwordless accounts: {@code phone-otp}).
     */
    public static final String ATTR_REGISTERED_BY = "dropin.registeredBy";

    /** Prefix of every realm attribute the pack reads, e.g. {@code dropin.phone-otp.clientId}. */
    public static final String REALM_ATTRIBUTE_PREFIX = "dropin.";

    /** Prefix of every key the pack keeps in Keycloak's single-use object store. */
    public static final String STORE_PREFIX = "dropin:";
}
