package io.github.dropin.keycloak.sms;

import org.keycloak.models.RealmModel;

import java.util.Locale;

/**
 * One text message to send.
 *
 * @param realm   the realm on whose behalf it is sent (its settings choose and configure the sender)
 * @param to      recipient in E.164 form
 * @param text    the full text, already localised
 * @param purpose why it is sent (e.g. {@code login}); gateways may route or bill by it
 * @param locale  the locale the text is written in
 */
public record SmsMessage(RealmModel realm, String to, String text, String purpose, Locale locale) {
}
