package io.github.dropin.keycloak;

/**
 * Keys of the texts the pack shows or sends, in the theme's message bundles ({@code theme/.../messages_*.properties}).
 * Java code never holds the words; this is where it finds the keys.
 */
public final class MessageKeys {

    private MessageKeys() {
    }

    /** SMS text of a code, by purpose: {@code dropin.sms.<purpose id>} with the code, realm name and minutes. */
    public static final String SMS_PREFIX = "dropin.sms.";
    /** Email subject of a code, by purpose: {@code dropin.email.subject.<purpose id>}. */
    public static final String EMAIL_SUBJECT_PREFIX = "dropin.email.subject.";
    /** Email body: when a code expires, <code>{0}</code> minutes (a plural choice). */
    public static final String EMAIL_EXPIRY = "dropin.email.body.expiry";
    /** Email body: when a password-reset token expires, in minutes or in hours (plural choices). */
    public static final String EMAIL_TOKEN_EXPIRY_MINUTES = "dropin.email.body.token.expiry.minutes";
    public static final String EMAIL_TOKEN_EXPIRY_HOURS = "dropin.email.body.token.expiry.hours";

    public static final String CODE_MISSING = "dropin.code.missing";
    public static final String CODE_INVALID = "dropin.code.invalid";
    public static final String CODE_EXHAUSTED = "dropin.code.exhausted";
    public static final String CODE_EXPIRED = "dropin.code.expired";
    public static final String CODE_SENT_AGAIN = "dropin.code.sentAgain";
    public static final String CODE_RESEND_TOO_SOON = "dropin.code.resendTooSoon";
    public static final String CODE_TOO_MANY = "dropin.code.tooManyCodes";
    public static final String CODE_SEND_FAILED = "dropin.code.sendFailed";

    public static final String PHONE_REQUIRED = "dropin.phone.required";
    public static final String PHONE_INVALID = "dropin.phone.invalid";
    public static final String PHONE_IN_USE = "dropin.phone.inUse";
    /** A username that is a phone number other than the account's own. */
    public static final String USERNAME_IS_PHONE = "dropin.username.phoneNumber";
}
