package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.delivery.DeliveryException;

/**
 * What {@link CodeService#issueAndDeliver} did. Expected outcomes are values, not exceptions: adapters map each to a
 * page, an OAuth2 error or their dialect's error shape. The event is already recorded.
 *
 * @param status            what happened
 * @param limit             for {@link Status#THROTTLED}: which limit
 * @param retryAfterSeconds for {@link Status#THROTTLED}: when to try again (an upper bound for hourly limits)
 * @param failure           for {@link Status#UNDELIVERABLE} and {@link Status#UNAVAILABLE}: which message failed, why
 * @param lifetimeSeconds   for {@link Status#ISSUED}: how long the codes are valid
 */
public record IssueResult(Status status, RateLimitedException.Limit limit, long retryAfterSeconds,
                          DeliveryException failure, int lifetimeSeconds) {

    /** What a code request came to. */
    public enum Status {
        /** Every code was issued and sent (or will be, after commit; or silently not, as asked). */
        ISSUED,
        /** A limit refused the request before anything was sent; nothing was sent and no limit stays used. */
        THROTTLED,
        /** The provider refused a recipient (the user can fix it: another number or address). */
        UNDELIVERABLE,
        /** A message could not be sent for the service's own reasons (provider down, misconfigured): 503. */
        UNAVAILABLE
    }

    static IssueResult issued(int lifetimeSeconds) {
        return new IssueResult(Status.ISSUED, null, 0, null, lifetimeSeconds);
    }

    static IssueResult throttled(RateLimitedException e) {
        return new IssueResult(Status.THROTTLED, e.limit(), e.retryAfterSeconds(), null, 0);
    }

    static IssueResult failed(DeliveryException e) {
        return new IssueResult(e.isRecipientProblem() ? Status.UNDELIVERABLE : Status.UNAVAILABLE, null, 0, e, 0);
    }

    public boolean isIssued() {
        return status == Status.ISSUED;
    }
}
