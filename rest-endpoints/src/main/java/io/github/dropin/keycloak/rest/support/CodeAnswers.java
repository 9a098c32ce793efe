package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.service.IssueResult;

import java.util.function.Function;

/**
 * The dialects' side of {@link IssueResult}: a throttled request is DRF's 429 with {@code Retry-After} in the
 * dialect's shape, a refused recipient the dialect's validation error on the field that named it, anything else 503.
 * The event is already recorded by the service; the dispatcher rolls the request back.
 */
public final class CodeAnswers {

    private CodeAnswers() {
    }

    /**
     * Returns when the codes went out; throws the dialect's answer otherwise.
     *
     * @param recipientError the validation error for a recipient the provider refused, by channel
     */
    public static void requireIssued(IssueResult result, Function<Channel, ApiError> recipientError) throws ApiError {
        switch (result.status()) {
            case ISSUED -> {
            }
            case THROTTLED -> throw ApiError.throttled(result.retryAfterSeconds());
            case UNDELIVERABLE -> throw recipientError.apply(result.failure().channel());
            case UNAVAILABLE -> throw ApiError.unavailable();
        }
    }
}
