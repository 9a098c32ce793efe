package io.github.dropin.keycloak.rest.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.Codes;
import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.messaging.CodeMessenger;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.rest.http.Json;
import io.github.dropin.keycloak.rest.support.AdminResource;
import io.github.dropin.keycloak.settings.RealmSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code POST /admin/realms/{realm}/dropin-delivery/test}: sends a user the message they would get for a code
 * ({@code purpose}, default {@code login}), through the realm's configured SMS sender or email delivery, so an
 * administrator can check a Twilio account, a gateway or the SMTP settings without signing anyone up. The
 * counterpart of the admin console's "Test connection" for SMTP.
 * <p>
 * Body: {@code {"channel": "sms"|"email", "userId": "...", "to": "optional override", "purpose": "login"}}. The
 * message holds a random code that was never stored, so it verifies nowhere. The text follows the user's locale
 * (or the request's {@code Accept-Language}). Needs the {@code manage-realm} role; sending to the user's own number or
 * address (no {@code to}) also needs permission to view the user ({@code view-users}), since the answer names it.
 * <p>
 * Answers 200 {@code {"channel", "to", "provider", "purpose"}}; 400 for a bad request; 403 without permission to view
 * the user when {@code to} is left out; 404 for an unknown user; 400 (recipient refused) or 503 when delivery failed,
 * with {@code {"error", "category", "hint"}}: a fixed category ({@link DeliveryException.Category}) and a fixed hint,
 * or the text of a configuration problem found before sending. Never what the network or the provider answered (the
 * server log has that for operators): a realm administrator chooses where the sender connects, and an echo of
 * "connection refused" or a status code would make this endpoint a scanner of whatever they point it at.
 */
public class DeliveryTestResource extends AdminResource {

    private static final Logger LOG = Logger.getLogger(DeliveryTestResource.class);
    private static final RandomGenerator RANDOM = new SecureRandom();

    /** The request body; unknown fields are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class TestMessage {
        public String channel;
        public String userId;
        public String to;
        public String purpose;
    }

    DeliveryTestResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                         AdminEventBuilder adminEvent) {
        super(session, realm, auth, adminEvent);
    }

    @POST
    @Path("test")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response test(TestMessage message) {
        // Sending through the realm's paid SMS account is a realm configuration matter.
        auth.realm().requireManageRealm();

        if (message == null || message.channel == null || message.userId == null) {
            return error(400, "channel and userId are required");
        }
        String channel = message.channel.toLowerCase(Locale.ROOT);
        if (!channel.equals("sms") && !channel.equals("email")) {
            return error(400, "channel must be sms or email");
        }
        Optional<CodePurpose> purpose = message.purpose == null ? Optional.of(CodePurpose.LOGIN)
                : Arrays.stream(CodePurpose.values()).filter(p -> p.id().equals(message.purpose)).findFirst();
        if (purpose.isEmpty()) {
            return error(400, "purpose must be one of " + Arrays.stream(CodePurpose.values()).map(CodePurpose::id).toList());
        }
        UserModel user = session.users().getUserById(realm, message.userId);
        if (user == null) {
            return error(404, "user not found");
        }
        if (message.to == null && !auth.users().canView(user)) {
            // The answer (and a "has no phone number") would tell a realm manager what only user viewers may see.
            return error(403, "sending to the user's own phone number or email address needs permission to view the "
                    + "user (view-users): give the recipient in \"to\"");
        }

        String code = Codes.generate(RANDOM, CodePolicy.DEFAULTS.length());
        int lifetime = CodePolicy.DEFAULTS.lifetimeSeconds();
        CodeMessenger messenger = new CodeMessenger(session);
        String to;
        String provider;
        try {
            if (channel.equals("sms")) {
                String number = message.to != null ? message.to : user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
                if (number == null || number.isBlank()) {
                    return error(400, "the user has no phone number: give one in \"to\"");
                }
                to = session.getProvider(PhoneNumberProvider.class).toE164(realm, number);
                provider = RealmSettings.of(realm, CodeMessenger.SMS_SCOPE).get(CodeMessenger.SENDER)
                        .orElseGet(() -> Optional.ofNullable(Config.getDefaultProvider("sms-sender")).orElse("(none)"));
                messenger.sendSms(realm, user, to, purpose.get(), code, lifetime);
            } else {
                to = message.to != null ? message.to : user.getEmail();
                if (to == null || to.isBlank()) {
                    return error(400, "the user has no email address: give one in \"to\"");
                }
                provider = RealmSettings.of(realm, CodeMessenger.EMAIL_SCOPE).get(CodeMessenger.DELIVERY, "smtp");
                messenger.sendEmail(realm, user, to, purpose.get(), code, lifetime);
            }
        } catch (InvalidPhoneNumberException e) {
            return error(400, "invalid phone number (" + e.reason() + ")");
        } catch (DeliveryException e) {
            // Operators get everything in the log; the administrator a category.
            LOG.warnf("Realm '%s': test %s message failed: %s (%s)", realm.getName(), channel, e.reason(), e.detail());
            return Json.response(e.isRecipientProblem() ? 400 : 503, Json.object(
                    "error", e.isRecipientProblem() ? "recipient refused" : "delivery failed",
                    "category", e.category().id(),
                    "hint", e.configurationProblem().orElseGet(() -> hint(e))));
        }
        adminEvent.operation(OperationType.ACTION).resource(ResourceType.REALM)
                .resourcePath(session.getContext().getUri()).success();
        return Json.ok(Json.object("channel", channel, "to", to, "provider", provider, "purpose", purpose.get().id()));
    }

    /** A fixed sentence per category: nothing in it comes from the network. */
    static String hint(DeliveryException e) {
        String peer = e.channel() == Channel.SMS ? "The SMS provider" : "The mail server";
        return switch (e.category()) {
            case UNREACHABLE -> peer + " could not be reached. The server log has the details.";
            case TIMEOUT -> peer + " did not answer in time. The server log has the details.";
            case REJECTED_CREDENTIALS -> peer + " refused the credentials. The server log names the settings to check.";
            case REFUSED_RECIPIENT -> peer + " refused the recipient.";
            case MISCONFIGURED -> peer + " refused the request as configured. The server log names the settings to check.";
            case THROTTLED -> peer + " is throttling requests. Try again later.";
            case PROVIDER_ERROR -> peer + " failed to handle the request. The server log has the details.";
        };
    }

    private static Response error(int status, String message) {
        return Json.response(status, Json.object("error", message));
    }
}
