package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.IssueResult;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import java.util.Optional;

/**
 * The code page of an authenticator: an adapter from the core's outcomes to pages and flow errors, the same in every
 * flow (sign-in, reset). The core records the events and counts brute-force failures.
 */
public final class CodeChallenge {

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

    /** Forgets the step's notes (after success, or when the person switches to another number). */
    public void forget() {
        step.forget();
    }

    /** Sends the step's code unless it was sent already, and shows the code page. */
    public void sendOnceAndShow(Target target) {
        Optional<IssueResult> sent = step.sendOnce(target.phone(), target.user(), target.deliver(), clientIp(), event(target));
        if (sent.isEmpty() || sent.get().isIssued()) {
            context.challenge(page(context.form(), target, 0));
        } else {
            reportSendFailure(target, sent.get());
        }
    }

    /** Sends a new code on request and shows the code page with the outcome. */
    public void resend(Target target) {
        IssueResult sent = step.resend(target.phone(), target.user(), target.deliver(), clientIp(), event(target));
        if (sent.isIssued()) {
            context.challenge(page(context.form().setSuccess(MessageKeys.CODE_SENT_AGAIN), target, 0));
        } else {
            reportSendFailure(target, sent);
        }
    }

    /** Shows the page again for an empty submission: nothing was tried, so no event and no attempt used. */
    public void missing(Target target) {
        context.challenge(page(context.form().addError(new FormMessage(Pages.FIELD_CODE, MessageKeys.CODE_MISSING)),
                target, 0));
    }

    /**
     * Checks a submitted code. Returns true when it is right and may be used, after which the caller completes the
     * step; otherwise the failure is already reported (event, flow error, page).
     *
     * @param mayUse whether a right code may complete the step (false for a number that may not sign in)
     */
    public boolean verify(Target target, String submitted, boolean mayUse) {
        CheckResult result = step.verify(target.phone(), target.user(), submitted, mayUse, event(target));
        if (result.isValid()) {
            return true;
        }
        refuse(context, page(context.form().addError(CodeMessages.forOutcome(result)), target, 0));
        return false;
    }

    /** Fails the step after a right code that can no longer be used (e.g. the number was taken meanwhile). */
    public void failUnusable(Target target, String eventError) {
        event(target).error(eventError);
        refuse(context, page(context.form()
                .addError(new FormMessage(Pages.FIELD_CODE, MessageKeys.CODE_EXHAUSTED)), target, 0));
    }

    /** Shows the page with the reason a send did not happen (a limit, a delivery failure); the event is recorded. */
    private void reportSendFailure(Target target, IssueResult sent) {
        FormMessage message = CodeMessages.forSendFailure(sent);
        boolean throttled = sent.status() == IssueResult.Status.THROTTLED;
        refuse(context, page(context.form().setError(message.getMessage(), message.getParameters()), target,
                throttled ? sent.retryAfterSeconds() : 0));
    }

    /**
     * Shows a page that refuses the submission (wrong code, invalid number, limit). Deliberately
     * {@code context.challenge}, not {@code failureChallenge}: the flow engine answers a failure challenge with a
     * brute-force failure of its own ({@code DefaultAuthenticationFlow.processResult} -> {@code
     * AuthenticationProcessor.logFailure}), which Keycloak 26.7 drops for the pack's reference categories and 26.4,
     * which has no categories, counts: every wrong code counted twice there. The pack records the event and counts a
     * guess itself ({@code CodeService.verifyAndAccount}); page and execution status (CHALLENGED) are the same.
     */
    public static void refuse(AuthenticationFlowContext context, Response page) {
        context.challenge(page);
    }

    private Response page(LoginFormsProvider form, Target target, long retryAfter) {
        return step.page(form, texts, target.phone(), retryAfter, changeNumber);
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
