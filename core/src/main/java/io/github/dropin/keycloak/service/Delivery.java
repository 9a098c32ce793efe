package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.delivery.Channel;
import org.keycloak.models.UserModel;

/**
 * One message of a code request: for whom the code is ({@link #subject}), where it goes, and whether it really goes
 * there. A silent delivery ({@code deliver = false}) issues the code exactly as a real one does, under the same
 * limits, and texts nobody: flows use it for numbers that must not learn anything (unknown, disabled, locked), so
 * that every number sees the same answers.
 *
 * @param subject whom the code verifies
 * @param channel SMS or email
 * @param address E.164 number or email address
 * @param user    the recipient's account if known (for the message's language; email needs one), may be {@code null}
 * @param deliver whether to send it
 */
public record Delivery(CodeSubject subject, Channel channel, String address, UserModel user, boolean deliver) {

    public static Delivery sms(CodeSubject subject, String phone, UserModel user) {
        return new Delivery(subject, Channel.SMS, phone, user, true);
    }

    public static Delivery email(CodeSubject subject, String address, UserModel user) {
        return new Delivery(subject, Channel.EMAIL, address, user, true);
    }

    /**
     * Where it goes, as a subject of limits: the number or the address. Cooldowns and hourly limits apply per address
     * as well as per subject, so that naming one number under many subjects (new accounts) does not multiply them.
     */
    public CodeSubject addressSubject() {
        return channel == Channel.SMS ? CodeSubject.phone(address) : CodeSubject.email(address);
    }

    /** The same delivery, sent only if {@code deliver}. */
    public Delivery onlyIf(boolean deliver) {
        return new Delivery(subject, channel, address, user, this.deliver && deliver);
    }
}
