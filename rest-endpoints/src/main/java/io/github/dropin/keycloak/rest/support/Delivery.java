package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.IssuedCode;
import io.github.dropin.keycloak.delivery.CodeMessenger;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.rest.http.ApiError;
import io.github.dropin.keycloak.rest.http.Call;
import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.UserModel;

import java.util.function.Supplier;

/**
 * Sends a freshly issued code and turns delivery failures into the caller's answer: a validation error when the
 * provider refuses the recipient, 503 otherwise, and in both cases an error event with the provider's reason.
 * The dispatcher then rolls the request back, so the code, its cooldown and any account created for it vanish.
 */
public final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private Delivery() {
    }

    public static void sms(Call call, EventBuilder event, UserModel user, String phone, CodePurpose purpose,
                           IssuedCode code, Supplier<ApiError> recipientError) throws ApiError {
        try {
            new CodeMessenger(call.session()).sendSms(call.realm(), user, phone, purpose, code.code(), code.lifetimeSeconds());
        } catch (DeliveryException e) {
            throw failed(call, event, e, recipientError);
        }
    }

    public static void email(Call call, EventBuilder event, UserModel user, String address, CodePurpose purpose,
                             IssuedCode code, Supplier<ApiError> recipientError) throws ApiError {
        try {
            new CodeMessenger(call.session()).sendEmail(call.realm(), user, address, purpose, code.code(), code.lifetimeSeconds());
        } catch (DeliveryException e) {
            throw failed(call, event, e, recipientError);
        }
    }

    private static ApiError failed(Call call, EventBuilder event, DeliveryException e, Supplier<ApiError> recipientError) {
        event.detail("reason", e.reason() + ": " + e.detail()).detail("channel", e.channel());
        if (e.isRecipientProblem()) {
            event.error("invalid_recipient");
            return recipientError.get();
        }
        // The cause may carry provider details useful to operators; it never holds the code or credentials.
        LOG.warnf("Realm '%s', dialect '%s': %s delivery failed: %s (%s)", call.realm().getName(),
                call.dialect().id(), e.channel(), e.reason(), e.detail());
        event.error("delivery_failed");
        return ApiError.unavailable();
    }
}
