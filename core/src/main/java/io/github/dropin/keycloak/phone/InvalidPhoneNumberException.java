package io.github.dropin.keycloak.phone;

/**
 * A phone number that cannot be used: not a number, not valid for its region, or from a region or of a type
 * the realm does not accept. The reason is a stable code for events and logs; user-facing text comes from
 * message bundles.
 */
public class InvalidPhoneNumberException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a number was refused. */
    public enum Reason {
        MISSING, NOT_A_NUMBER, INVALID, REGION_NOT_ALLOWED, TYPE_NOT_ALLOWED
    }

    private final Reason reason;

    public InvalidPhoneNumberException(Reason reason) {
        super(reason.name());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
