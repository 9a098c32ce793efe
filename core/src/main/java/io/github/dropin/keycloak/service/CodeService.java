package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.EventErrors;
import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.CodeSubject;
import io.github.dropin.keycloak.code.IssuedCode;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.code.Verification;
import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.messaging.AfterCommit;
import io.github.dropin.keycloak.messaging.CodeMessenger;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.shield.Budget;
import io.github.dropin.keycloak.shield.Budgets;
import io.github.dropin.keycloak.settings.ShieldSettings;
import io.github.dropin.keycloak.shield.SmsShield;
import io.github.dropin.keycloak.metrics.PackMetrics;
import io.github.dropin.keycloak.store.Compensations;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pack's two use cases around one-time codes, the same for Keycloak's login flows, the code request endpoint
 * and every dialect. Callers are thin adapters: they map the returned outcome to a login page, an OAuth2 error or
 * their dialect's error shape; the rules live here.
 * <ul>
 *     <li>{@link #issueAndDeliver}: claims every limit of every message of the request before anything is sent
 *     (cooldowns, back-off and hourly limits per subject and per address, per client network, and the SMS fraud
 *     shield's budgets), then sends, emails before SMS; a refused limit sends nothing and gives back what the request
 *     claimed; a message that was sent keeps its limits used whatever happens to the request afterwards (otherwise
 *     each failed request would be a free message).</li>
 *     <li>{@link #verifyAndAccount}: the lock check from Keycloak's failure record, the engine's atomic attempt claim
 *     and constant-time comparison, brute-force reporting, and the event's failure with its details.</li>
 * </ul>
 * State lives in the engine ({@link OneTimeCodeProvider}); this class holds none, so it is made per request.
 */
public final class CodeService {

    private static final Logger LOG = Logger.getLogger(CodeService.class);

    private final KeycloakSession session;
    private final OneTimeCodeProvider engine;

    private CodeService(KeycloakSession session) {
        this.session = session;
        this.engine = session.getProvider(OneTimeCodeProvider.class);
    }

    public static CodeService of(KeycloakSession session) {
        return new CodeService(session);
    }

    /** The engine itself, for the few callers that need a lookup rather than a use case ({@code isPending}, ...). */
    public OneTimeCodeProvider engine() {
        return engine;
    }

    /** Issues a code per delivery and sends them, under every limit; see the class comment for the guarantees. */
    public IssueResult issueAndDeliver(CodeRequest request) {
        Compensations undo = Compensations.of(session);
        int start = undo.mark();
        RealmModel realm = request.realm();
        // Emails before SMS: should an email fail, no SMS (the message that costs money) has gone out for nothing.
        List<Delivery> deliveries = cheapestFirst(request.deliveries());
        SmsShield shield = SmsShield.of(session, realm);
        String network = ShieldSettings.of(realm).network(request.clientIp());

        // Numbers the realm does not text are refused before anything is claimed, silent codes alike (typed numbers
        // were refused when parsed; this catches numbers stored before the realm's settings changed).
        for (Delivery delivery : deliveries) {
            if (delivery.channel() == Channel.SMS) {
                Optional<InvalidPhoneNumberException.Reason> refusal = shield.refusal(delivery.address());
                if (refusal.isPresent()) {
                    return failed(request, DeliveryException.sms(DeliveryException.Reason.INVALID_RECIPIENT,
                            "the realm does not text this number: " + refusal.get()));
                }
            }
        }
        // An answer given before the SMS leaves cannot report a failed send, but a sender that cannot work at all
        // (missing, misconfigured) is known now, for every request alike, real or silent.
        if (request.afterCommit() && deliveries.stream().anyMatch(d -> d.channel() == Channel.SMS)) {
            try {
                new CodeMessenger(session).checkSmsSender(realm);
            } catch (DeliveryException e) {
                return failed(request, e);
            }
        }

        List<IssuedCode> codes = new ArrayList<>(deliveries.size());
        List<List<String>> places = new ArrayList<>(deliveries.size());
        int[] marks = new int[deliveries.size() + 1];
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            marks[i] = undo.mark();
            try {
                codes.add(engine.issue(realm, request.purpose(), delivery.subject(), delivery.addressSubject(),
                        request.policy(), network));
                places.add(delivery.channel() == Channel.SMS
                        ? shield.claim(delivery.address(), delivery.deliver(), request.clientIp()) : List.of());
            } catch (RateLimitedException e) {
                return throttled(request, undo, start, e);
            }
        }
        marks[deliveries.size()] = undo.mark();
        int lifetime = request.policy().lifetimeSeconds();
        if (request.afterCommit()) {
            for (int i = 0; i < deliveries.size(); i++) {
                Delivery delivery = deliveries.get(i);
                IssuedCode code = codes.get(i);
                List<String> taken = places.get(i);
                if (delivery.deliver()) {
                    AfterCommit.send(session, request.event(), delivery.user(), (messenger, r, user) ->
                            send(messenger, r, delivery, user, request.purpose(), code),
                            // Not sent after all: its places in the SMS budgets go back (its limits stay used).
                            s -> SmsShield.release(s, taken));
                }
            }
            PackMetrics.codesIssued(request.realm(), request.purpose(), request.event(), deliveries.size());
            return IssueResult.issued(lifetime);
        }
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            if (!delivery.deliver()) {
                continue;
            }
            try {
                send(new CodeMessenger(session), realm, delivery, delivery.user(), request.purpose(), codes.get(i));
            } catch (DeliveryException e) {
                // This message and the ones after it were not sent: their limits go back now (a login flow keeps its
                // authentication session and cannot roll the request back). The ones before it were sent.
                undo.undoSince(marks[i]);
                return failed(request, e);
            }
            undo.keep(marks[i], marks[i + 1]);
        }
        PackMetrics.codesIssued(request.realm(), request.purpose(), request.event(), deliveries.size());
        return IssueResult.issued(lifetime);
    }

    /** Email deliveries first, SMS last, each group in the caller's order. */
    private static List<Delivery> cheapestFirst(List<Delivery> deliveries) {
        List<Delivery> ordered = new ArrayList<>(deliveries.size());
        deliveries.stream().filter(d -> d.channel() != Channel.SMS).forEach(ordered::add);
        deliveries.stream().filter(d -> d.channel() == Channel.SMS).forEach(ordered::add);
        return ordered;
    }

    /**
     * Claims the limits of one message per delivery without issuing codes, for messages that carry a secret of their
     * own (a password-reset token) and are sent by the caller. Given back if the request's transaction rolls back.
     */
    public IssueResult claimLimits(CodeRequest request) {
        Compensations undo = Compensations.of(session);
        int start = undo.mark();
        String network = ShieldSettings.of(request.realm()).network(request.clientIp());
        for (Delivery delivery : request.deliveries()) {
            try {
                engine.claimSendLimits(request.realm(), request.purpose(), delivery.subject(), delivery.addressSubject(),
                        request.policy(), network);
            } catch (RateLimitedException e) {
                return throttled(request, undo, start, e);
            }
        }
        return IssueResult.issued(request.policy().lifetimeSeconds());
    }

    /**
     * Counts one verification attempt of a code that alone identifies its subject (so guessing is not bound to one
     * account) against the caller's hourly budget, per client network. Deliberately never given back: every guess
     * costs.
     *
     * @return seconds to wait when the budget is spent (the event records it), else empty
     */
    public OptionalLong claimGuess(RealmModel realm, String scope, String clientIp, int hourlyLimit, EventBuilder event) {
        try {
            engine.countVerificationAttempt(realm, scope, ShieldSettings.of(realm).network(clientIp), hourlyLimit);
            return OptionalLong.empty();
        } catch (RateLimitedException e) {
            PackMetrics.codeThrottled(realm, null, event, e.limit());
            event.detail(Details.REASON, e.limit().name()).error(EventErrors.RATE_LIMITED);
            return OptionalLong.of(e.retryAfterSeconds());
        }
    }

    /**
     * Takes a place in the realm-wide budget of failed guesses at codes that alone identify their subject
     * ({@code budget} per {@code windowSeconds}, fixed windows), before the guess is looked at: once the budget is
     * spent, no such code is compared until the next window, so guesses from many addresses cannot cover the code
     * space. A right code gives its place back ({@link GuessPlace#giveBack()}); a wrong one keeps it, also when the
     * request rolls back. The first refusal of a window raises the shield's WARN and admin event.
     *
     * @param name what the budget is of, e.g. {@code token-auth/verify-failures}
     * @return the place, or the seconds until the next window when the budget is spent (the event records it)
     */
    public GuessPlace claimFailedGuess(RealmModel realm, String name, String what, int budget, int windowSeconds,
                                       String clientIp, EventBuilder event) {
        Budgets budgets = Budgets.of(session);
        try {
            Optional<String> place = budgets.claim(realm, new Budget(name, what, budget, Math.max(1, windowSeconds),
                    RateLimitedException.Limit.VERIFY_FAILURES), clientIp, false);
            return new GuessPlace(OptionalLong.empty(), () -> place.ifPresent(budgets::release));
        } catch (RateLimitedException e) {
            event.detail(Details.REASON, e.limit().name()).error(EventErrors.RATE_LIMITED);
            return new GuessPlace(OptionalLong.of(e.retryAfterSeconds()), () -> { });
        }
    }

    /**
     * A place in a budget of failed guesses.
     *
     * @param refusedFor seconds until the budget resumes, when it is spent (then there is no place)
     * @param giveBack   gives the place back, for a guess that was right
     */
    public record GuessPlace(OptionalLong refusedFor, Runnable giveBack) {
        public boolean isRefused() {
            return refusedFor.isPresent();
        }
    }

    /**
     * The subject of a pending code of a purpose whose codes are unique among pending ones, without consuming it or
     * counting an attempt; follow with {@link #verifyAndAccount}.
     */
    public Optional<CodeSubject> findSubject(RealmModel realm, CodePurpose purpose, Object submitted, CodePolicy policy) {
        return engine.findSubjectByCode(realm, purpose, submitted, policy);
    }

    /** Checks a submitted code and accounts for it; see the class comment. */
    public CheckResult verifyAndAccount(CodeCheck check) {
        RealmModel realm = check.realm();
        CodePurpose purpose = check.purpose();
        UserModel user = check.user();
        EventBuilder event = check.event();
        // A locked account may not use a code, right or wrong, and is told what the code itself deserves.
        String lockError = purpose.guardsAccount() ? BruteForce.lockError(session, realm, user) : null;
        Verification result = engine.verify(realm, purpose, check.subject(), check.submitted(), check.policy());
        if (result.isValid() && lockError == null && check.mayUse()) {
            if (purpose.guardsAccount()) {
                BruteForce.success(session, realm, user, BruteForce.CODE);
            }
            PackMetrics.codeVerified(realm, purpose, event);
            return new CheckResult(CheckResult.Outcome.VALID, 0, false);
        }
        CheckResult.Outcome outcome = switch (result.outcome()) {
            case INVALID -> CheckResult.Outcome.INVALID;
            case NOT_FOUND -> CheckResult.Outcome.EXPIRED;
            case EXHAUSTED, VALID -> CheckResult.Outcome.EXHAUSTED;
        };
        PackMetrics.codeRefused(realm, purpose, event, result.outcome(), lockError != null);
        if (lockError != null) {
            event.error(lockError);
            return new CheckResult(outcome, result.attemptsLeft(), true);
        }
        if (outcome == CheckResult.Outcome.EXPIRED) {
            event.error(EventErrors.EXPIRED_CODE);
        } else if (!check.mayUse()) {
            // A silent code of a number without a usable account: nobody's credential was guessed.
            event.error(Errors.USER_NOT_FOUND);
        } else {
            event.detail("attempts_left", Integer.toString(result.attemptsLeft()))
                    .error(purpose == CodePurpose.LOGIN ? EventErrors.INVALID_CREDENTIALS : EventErrors.INVALID_CODE);
            if (result.guessed() && purpose.guardsAccount()) {
                BruteForce.failure(session, realm, user, BruteForce.CODE);
            }
        }
        return new CheckResult(outcome, result.attemptsLeft(), false);
    }

    /**
     * After {@code verified} succeeded: the same code stays pending for {@code next} (same purpose) for
     * {@code lifetimeSeconds}, so that a following step can demand that very code again.
     */
    public void carryOver(CodeCheck verified, CodeSubject next, int lifetimeSeconds) {
        engine.remember(verified.realm(), verified.purpose(), next, verified.submitted(),
                verified.policy().withLifetime(lifetimeSeconds));
    }

    private static IssueResult throttled(CodeRequest request, Compensations undo, int start, RateLimitedException e) {
        // Nothing was sent: everything this request claimed goes back now.
        undo.undoSince(start);
        PackMetrics.codeThrottled(request.realm(), request.purpose(), request.event(), e.limit());
        request.event().detail(Details.REASON, e.limit().name()).error(EventErrors.RATE_LIMITED);
        return IssueResult.throttled(e);
    }

    private IssueResult failed(CodeRequest request, DeliveryException e) {
        request.event().detail("channel", e.channel().id()).detail(Details.REASON, e.reason() + ": " + e.detail());
        if (e.isRecipientProblem()) {
            request.event().error(EventErrors.INVALID_RECIPIENT);
        } else {
            // Operators need the provider's reason; the person only learns that it did not work.
            LOG.warnf("Realm '%s': %s could not be sent: %s (%s)", request.realm().getName(), e.channel().id(),
                    e.reason(), e.detail());
            request.event().error(e.channel().sendFailedError());
        }
        return IssueResult.failed(e);
    }

    private static void send(CodeMessenger messenger, RealmModel realm, Delivery delivery, UserModel user,
                             CodePurpose purpose, IssuedCode code) throws DeliveryException {
        if (delivery.channel() == Channel.SMS) {
            messenger.sendSms(realm, user, delivery.address(), purpose, code.code(), code.lifetimeSeconds());
        } else {
            messenger.sendEmail(realm, user, delivery.address(), purpose, code.code(), code.lifetimeSeconds());
        }
    }
}
