package io.github.dropin.keycloak.sms;

import org.keycloak.models.KeycloakSession;

/** Base of the senders that call a provider over the network: the request's session and the factory's clients. */
abstract class NetworkSender implements SmsSenderProvider {

    final KeycloakSession session;
    final OutboundHttp http;

    NetworkSender(KeycloakSession session, OutboundHttp http) {
        this.session = session;
        this.http = http;
    }
}
