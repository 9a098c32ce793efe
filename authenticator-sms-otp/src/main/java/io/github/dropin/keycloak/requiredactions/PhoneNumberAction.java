package io.github.dropin.keycloak.requiredactions;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.MessageKeys;
import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeMessages;
import io.github.dropin.keycloak.authentication.CodeStep;
import io.github.dropin.keycloak.authentication.Pages;
import io.github.dropin.keycloak.authentication.PhoneInput;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.service.CheckResult;
import io.github.dropin.keycloak.service.IssueResult;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Objects;

/**
 * The two phone-number required actions, which differ only in where they start.
 * <ul>
 *     <li>{@link Mode#VERIFY} ("verify phone number"): texts a code to the user's unverified number and marks it
 *     verified when the code comes back; asks for a number first if the user has none; does nothing if the number
 *     is verified already.</li>
 *     <li>{@link Mode#UPDATE} ("update phone number"): asks for a new number, texts it a code, and only when that
 *     code comes back replaces the old number (verified). Until then the old number stays as it was.</li>
 * </ul>
 * Both work as application-initiated actions ({@code kc_action}). Wrong codes are counted by the code engine (attempt
 * and daily limits), not by the brute-force detector: the user has already signed in.
 */
public class PhoneNumberAction implements RequiredActionProvider {

    /** Where the action starts. */
    public enum Mode {
        VERIFY(VerifyPhoneNumberFactory.PROVIDER_ID, "Verify phone number", CodePurpose.PHONE_VERIFICATION,
                Pages.Texts.VERIFY, Pages.Texts.VERIFY_CODE),
        UPDATE(UpdatePhoneNumberFactory.PROVIDER_ID, "Update phone number", CodePurpose.PHONE_CHANGE,
                Pages.Texts.UPDATE, Pages.Texts.UPDATE_CODE);

        /** The required action's provider id. */
        final String id;
        /** Its name in the admin console. */
        final String displayText;
        final CodePurpose purpose;
        final Pages.Texts phoneTexts;
        final Pages.Texts codeTexts;

        Mode(String id, String displayText, CodePurpose purpose, Pages.Texts phoneTexts, Pages.Texts codeTexts) {
            this.id = id;
            this.displayText = displayText;
            this.purpose = purpose;
            this.phoneTexts = phoneTexts;
            this.codeTexts = codeTexts;
        }
    }

    /** The SPI of required actions, whose options are {@code --spi-required-action--<id>--<key>}. */
    static final String SPI = "required-action";

    private final Mode mode;

    public PhoneNumberAction(Mode mode) {
        this.mode = mode;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Set explicitly: by registration (verify), by an administrator, or by an application (kc_action).
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        UserModel user = context.getUser();
        String pending = pending(context);
        if (pending == null && mode == Mode.VERIFY) {
            String current = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
            if (current != null && !current.isBlank()) {
                if (PhoneUsers.isPhoneVerified(user)) {
                    context.success();
                    return;
                }
                pending = current;
                setPending(context, pending);
            }
        }
        if (pending == null) {
            context.challenge(phonePage(context, context.form(), null));
            return;
        }
        sendAndShow(context, pending, false);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String pending = pending(context);
        if (pending == null) {
            choosePhone(context, form.getFirst(Pages.FIELD_PHONE));
            return;
        }
        CodeStep step = step(context);
        if (form.containsKey(Pages.ACTION_CHANGE_NUMBER)) {
            step.forget();
            context.getAuthenticationSession().removeAuthNote(pendingNote());
            context.challenge(phonePage(context, context.form(), null));
            return;
        }
        if (form.containsKey(Pages.ACTION_RESEND)) {
            sendAndShow(context, pending, true);
            return;
        }
        String submitted = form.getFirst(Pages.FIELD_CODE);
        if (submitted == null || submitted.isBlank()) {
            context.challenge(codePage(context, context.form().addError(new FormMessage(Pages.FIELD_CODE,
                    MessageKeys.CODE_MISSING)), step, pending, 0));
            return;
        }
        EventBuilder event = context.getEvent().detail(Details.USERNAME, context.getUser().getUsername());
        CheckResult result = step.verify(pending, context.getUser(), submitted, true, event);
        if (!result.isValid()) {
            context.challenge(codePage(context, context.form().addError(CodeMessages.forOutcome(result)), step, pending, 0));
            return;
        }
        UserModel user = context.getUser();
        if (!UniqueGuard.lock(context.getSession(), context.getRealm(), Dropin.ATTR_PHONE_NUMBER, pending)
                || heldByAnother(context, pending)) {
            // Someone else got the number verified between the phone page and now.
            event.error(EventErrors.PHONE_NUMBER_IN_USE);
            step.forget();
            context.getAuthenticationSession().removeAuthNote(pendingNote());
            context.challenge(phonePage(context, context.form().addError(
                    new FormMessage(Pages.FIELD_PHONE, MessageKeys.PHONE_IN_USE)), null));
            return;
        }
        String previous = user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
        PhoneUsers.setPhone(user, pending, true);
        step.forget();
        context.getAuthenticationSession().removeAuthNote(pendingNote());
        // Both actions are done now: the number is the user's and verified.
        user.removeRequiredAction(VerifyPhoneNumberFactory.PROVIDER_ID);
        user.removeRequiredAction(UpdatePhoneNumberFactory.PROVIDER_ID);
        if (mode == Mode.UPDATE || !Objects.equals(previous, pending)) {
            // Keycloak's attribute audit details, as an UPDATE_PROFILE event (sent on success by the caller).
            event.event(EventType.UPDATE_PROFILE)
                    .detail("previous_" + Dropin.ATTR_PHONE_NUMBER, previous == null ? "" : previous)
                    .detail("updated_" + Dropin.ATTR_PHONE_NUMBER, pending);
        }
        event.detail("updated_" + Dropin.ATTR_PHONE_NUMBER_VERIFIED, "true");
        context.success();
    }

    private void choosePhone(RequiredActionContext context, String input) {
        EventBuilder event = context.getEvent().detail(Details.USERNAME, context.getUser().getUsername());
        String phone;
        try {
            phone = PhoneInput.toE164(context.getSession(), context.getRealm(), input);
        } catch (InvalidPhoneNumberException e) {
            event.detail(Details.REASON, e.reason().name()).error(EventErrors.INVALID_PHONE_NUMBER);
            context.challenge(phonePage(context, context.form().addError(
                    new FormMessage(Pages.FIELD_PHONE, PhoneInput.messageFor(e))), input));
            return;
        }
        UserModel user = context.getUser();
        if (phone.equals(user.getFirstAttribute(Dropin.ATTR_PHONE_NUMBER)) && PhoneUsers.isPhoneVerified(user)) {
            // Already the user's verified number: nothing to confirm.
            user.removeRequiredAction(VerifyPhoneNumberFactory.PROVIDER_ID);
            context.success();
            return;
        }
        if (heldByAnother(context, phone)) {
            event.error(EventErrors.PHONE_NUMBER_IN_USE);
            context.challenge(phonePage(context, context.form().addError(
                    new FormMessage(Pages.FIELD_PHONE, MessageKeys.PHONE_IN_USE)), input));
            return;
        }
        setPending(context, phone);
        sendAndShow(context, phone, false);
    }

    private void sendAndShow(RequiredActionContext context, String phone, boolean resend) {
        CodeStep step = step(context);
        String ip = context.getConnection().getRemoteAddr();
        EventBuilder event = context.getEvent();
        IssueResult sent = resend ? step.resend(phone, context.getUser(), true, ip, event)
                : step.sendOnce(phone, context.getUser(), true, ip, event).orElse(null);
        LoginFormsProvider form = context.form();
        long retryAfter = 0;
        if (sent != null && !sent.isIssued()) {
            FormMessage message = CodeMessages.forSendFailure(sent);
            form.setError(message.getMessage(), message.getParameters());
            retryAfter = sent.status() == IssueResult.Status.THROTTLED ? sent.retryAfterSeconds() : 0;
        } else if (sent != null && resend) {
            form.setSuccess(MessageKeys.CODE_SENT_AGAIN);
        }
        context.challenge(codePage(context, form, step, phone, retryAfter));
    }

    private Response phonePage(RequiredActionContext context, LoginFormsProvider form, String value) {
        String current = context.getUser().getFirstAttribute(Dropin.ATTR_PHONE_NUMBER);
        return Pages.phone(form, mode.phoneTexts, value, mode == Mode.UPDATE ? current : null);
    }

    private Response codePage(RequiredActionContext context, LoginFormsProvider form, CodeStep step, String phone,
                              long retryAfter) {
        return step.page(form, mode.codeTexts, phone, retryAfter, true);
    }

    private boolean heldByAnother(RequiredActionContext context, String phone) {
        return PhoneUsers.findByPhone(context.getSession(), context.getRealm(), phone)
                .filter(other -> !other.getId().equals(context.getUser().getId()))
                .isPresent();
    }

    private CodeStep step(RequiredActionContext context) {
        RequiredActionConfigModel config = context.getConfig();
        CodeConfig codeConfig = CodeConfig.of(context.getRealm(), config == null ? null : config.getConfig(), SPI, mode.id);
        return new CodeStep(context.getSession(), context.getAuthenticationSession(), mode.purpose, codeConfig.policy());
    }

    private String pending(RequiredActionContext context) {
        return context.getAuthenticationSession().getAuthNote(pendingNote());
    }

    private void setPending(RequiredActionContext context, String phone) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(pendingNote(), phone);
    }

    private String pendingNote() {
        return "dropin.action." + mode.id + ".phone";
    }

    @Override
    public void close() {
    }
}
