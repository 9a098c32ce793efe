package io.github.dropin.keycloak;

import org.keycloak.events.Errors;

/**
 * The event errors the pack records in Keycloak's event store, in one place, so that every flow and dialect names
 * the same failure the same way (event listeners, dashboards and tests read them). Keycloak's own names are used
 * wherever Keycloak has one.
 */
public final class EventErrors {

    private EventErrors() {
    }

    /** A limit (cooldown, hourly cap, attempt budget) refused a request; the event's {@code reason} says which. */
    public static final String RATE_LIMITED = Errors.SLOW_DOWN;
    /** A wrong code for a sign-in (Keycloak's error for a wrong OTP). */
    public static final String INVALID_CREDENTIALS = Errors.INVALID_USER_CREDENTIALS;
    /** A wrong code that verifies something (registration, an address, a phone change, a PIN reset). */
    public static final String INVALID_CODE = Errors.INVALID_CODE;
    /** No pending code: never sent, expired, used, or sent for another purpose. */
    public static final String EXPIRED_CODE = Errors.EXPIRED_CODE;
    /** A number libphonenumber refuses, or one outside the realm's allowed regions. */
    public static final String INVALID_PHONE_NUMBER = "invalid_phone_number";
    /** A phone number another account holds. */
    public static final String PHONE_NUMBER_IN_USE = "phone_number_in_use";
    /** The provider refused the recipient (a number that cannot get SMS, an address the mail server refuses). */
    public static final String INVALID_RECIPIENT = "invalid_recipient";
    /** An SMS could not be sent (the counterpart of Keycloak's {@code email_send_failed}). */
    public static final String SMS_SEND_FAILED = "sms_send_failed";
    /** An email could not be sent. */
    public static final String EMAIL_SEND_FAILED = Errors.EMAIL_SEND_FAILED;
    /** A login with the right password to an account whose phone and email are both unverified. */
    public static final String ACCOUNT_NOT_VERIFIED = "account_not_verified";
}
