package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.Verification;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

/**
 * The code page of an authenticator: sends, resends, shows and fails it the same way in every flow (sign-in,
 * reset), with a Keycloak event and a flow error for every failure and one {@code otp} brute-force failure per
 * wrong code of a known user.
 */
public final class CodeChallenge {

    private static final Logger LOG = Logger.getLogger(CodeChallenge.class);

    /**
     * Whom the code is for.
     *
     * @param phone   the number the page is about (E.164)
     * @param user    the user it signs in, or {@code null} for a number that may not sign in
     * @param deliver whether to really text it (false: a silent code, see {@link CodeStep})
     */
    public record Target(String phone, UserModel user, boolean deliver) {
    }

    private final AuthenticationFlowContext context;
    private final CodeStep step;
    private final Pages.Texts texts;
    private final boolean changeNumber;

    public CodeChallenge(AuthenticationFlowContext context, CodeStep step, Pages.Texts texts, boolean changeNumber) {
        this.context = context;
        this.step = step;
        this.texts = texts;
        this.changeNumber = changeNumber;
    }

    public CodeStep step() {
        return step;
    }

    /** Sends the step's code unless it was sent already, and shows the code page. */
    public void sendOnceAndShow(Target target) {
        CodeStep.SendResult sent = step.sendOnce(target.phone(), target.user(), target.deliver(), clientIp());
        if (!reportSendFailure(target, sent)) {
            context.challenge(page(context.form(), target, 0));
        }
    }

    /** Sends a new code on request and shows the code page with the outcome. */
    public void resend(Target target) {
        CodeStep.SendResult sent = step.resend(target.phone(), target.user(), target.deliver(), clientIp());
        if (!reportSendFailure(target, sent)) {
            context.challenge(page(context.form().setSuccess(CodeMessages.SENT_AGAIN), target, 0));
        }
    }

    /** Shows the page again for an empty submission: nothing was tried, so no event and no attempt used. */
    public void missing(Target target) {
        context.challenge(page(context.form().addError(new FormMessage(Pages.FIELD_CODE, CodeMessages.MISSING)), target, 0));
    }

    /**
     * Checks a submitted code. Returns true when it is right and may be used, after which the caller completes the
     * step; otherwise the failure is already reported (event, flow error, page).
     *
     * @param mayUse whether a right code may complete the step (false for a number that may not sign in)
     */
    public boolean verify(Target target, String submitted, boolean mayUse) {
        EventBuilder event = event(target);
        // A locked account may not use a code, right or wrong, and is told exactly what a wrong code is told.
        String lockError = BruteForceGuard.lockError(context.getSession(), context.getRealm(), target.user());
        Verification result = step.verify(target.phone(), submitted.strip());
        if (result.isValid() && mayUse && lockError == null) {
            return true;
        }
        AuthenticationFlowError flowError = AuthenticationFlowError.INVALID_CREDENTIALS;
        if (lockError != null) {
            event.error(lockError);
        } else if (result.outcome() == Verification.Outcome.NOT_FOUND) {
            event.error(Errors.EXPIRED_CODE);
            flowError = AuthenticationFlowError.EXPIRED_CODE;
        } else {
            event.error(mayUse ? Errors.INVALID_USER_CREDENTIALS : Errors.USER_NOT_FOUND);
            if (result.guessed() || result.isValid()) {
                BruteForceGuard.wrongCode(context.getSession(), context.getRealm(), target.user());
            }
        }
        Verification shown = result.isValid() ? new Verification(Verification.Outcome.EXHAUSTED, 0) : result;
        context.failureChallenge(flowError, page(context.form().addError(CodeMessages.forOutcome(shown)), target, 0));
        return false;
    }

    /** Fails the step after a right code that can no longer be used (e.g. the number was taken meanwhile). */
    public void failUnusable(Target target, String eventError) {
        event(target).error(eventError);
        context.failureChallenge(AuthenticationFlowError.USER_CONFLICT, page(context.form()
                .addError(CodeMessages.forOutcome(new Verification(Verification.Outcome.EXHAUSTED, 0))), target, 0));
    }

    /**
     * Shows the page with the reason when a send did not happen (limit, delivery failure) and returns true;
     * returns false when there is nothing to report.
     */
    private boolean reportSendFailure(Target target, CodeStep.SendResult sent) {
        switch (sent.status()) {
            case RATE_LIMITED -> {
                event(target).detail(Details.REASON, sent.limit().name()).error(Errors.SLOW_DOWN);
                FormMessage message = CodeMessages.forLimit(sent.limit(), sent.retryAfterSeconds());
                context.failureChallenge(AuthenticationFlowError.ACCESS_DENIED, page(context.form()
                        .setError(message.getMessage(), message.getParameters()), target, sent.retryAfterSeconds()));
                return true;
            }
            case FAILED -> {
                // Operators need the provider's reason; the person only learns that it did not work.
                LOG.warnf("Realm '%s': SMS code could not be sent: %s (%s)", context.getRealm().getName(),
                        sent.failure().reason(), sent.failure().detail());
                event(target).detail(Details.REASON, sent.failure().reason() + ": " + sent.failure().detail())
                        .error(CodeMessages.EVENT_SMS_SEND_FAILED);
                context.failureChallenge(AuthenticationFlowError.INTERNAL_ERROR,
                        page(context.form().setError(CodeMessages.SEND_FAILED), target, 0));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private Response page(LoginFormsProvider form, Target target, long retryAfter) {
        return Pages.code(form, texts, target.phone(), step.policy(), Math.max(step.resendIn(), retryAfter), changeNumber);
    }

    private EventBuilder event(Target target) {
        EventBuilder event = context.getEvent();
        if (target.user() != null) {
            event.user(target.user()).detail(Details.USERNAME, target.user().getUsername());
        } else {
            event.detail(Details.USERNAME, target.phone());
        }
        return event;
    }

    private String clientIp() {
        return context.getConnection().getRemoteAddr();
    }
}
