package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;

import java.util.List;

/**
 * A request for codes: one purpose and policy, one or more {@link Delivery deliveries} (a registration may text the
 * phone and email the address at once), and the request's event, which the service completes with the failure and
 * its reason when the request cannot be served.
 *
 * @param clientIp    the caller's address for the per-IP limit; {@code null} skips that limit
 * @param afterCommit send once the request's transaction committed, in the background (for answers that must not
 *                    depend on whether the recipient has an account); nothing is sent if the request rolls back
 */
public record CodeRequest(RealmModel realm, CodePurpose purpose, CodePolicy policy, String clientIp,
                          EventBuilder event, List<Delivery> deliveries, boolean afterCommit) {

    public CodeRequest {
        deliveries = List.copyOf(deliveries);
    }

    public static CodeRequest of(RealmModel realm, CodePurpose purpose, CodePolicy policy, String clientIp,
                                 EventBuilder event, Delivery... deliveries) {
        return new CodeRequest(realm, purpose, policy, clientIp, event, List.of(deliveries), false);
    }

    /** The same request, sent after the transaction commits. */
    public CodeRequest sendAfterCommit() {
        return new CodeRequest(realm, purpose, policy, clientIp, event, deliveries, true);
    }
}
