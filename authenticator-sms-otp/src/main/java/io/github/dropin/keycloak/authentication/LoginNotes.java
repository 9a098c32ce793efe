package io.github.dropin.keycloak.authentication;

/** Names of the authentication-session notes the pack's authenticators share. None of them ever holds a code. */
public final class LoginNotes {

    private LoginNotes() {
    }

    /** The E.164 number a person entered on a phone page of this flow (known or not). */
    public static final String PHONE = "dropin.phone";

    /** {@code true} when the phone page decided that an unknown number may register when its code is right. */
    public static final String REGISTER_ON_SUCCESS = "dropin.phone.register";
}
