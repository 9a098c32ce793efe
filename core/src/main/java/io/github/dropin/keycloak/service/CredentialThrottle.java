package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.code.Codes;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.store.SlotLimiter;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.util.Locale;

/**
 * The pack's own throttle of password and PIN guesses, which works whether or not the realm has Keycloak's
 * brute-force detector on (it is off by default): at most {@link Limits#perAccount} wrong guesses per account and at
 * most {@link Limits#perNetwork} per client network ({@link Networks}: IPv4 /32, IPv6 /64 unless the realm says
 * otherwise) within {@link Limits#windowSeconds}; beyond that, checks are refused without comparing, right or wrong,
 * until failures age out of the window. The per-account budget caps guessing one account from many networks; the
 * per-network one caps guessing many accounts (password spraying) from one network.
 * <p>
 * Each check claims a failure slot in both budgets <em>before</em> comparing (cluster-atomic {@code putIfAbsent},
 * {@link SlotLimiter}), so parallel guesses cannot outrun the count on any node. A right guess gives its network slot
 * back and clears the account's failures (as Keycloak's detector resets on success); a wrong one keeps both, also when
 * the request then rolls back. An unknown login name has a budget of its own name, so a throttled answer tells nothing
 * about which accounts exist.
 * <p>
 * Settings, per realm ({@code dropin.<scope>.<key>}, then {@code dropin.<key>}), scope {@code password} or {@code pin}:
 * {@value #MAX_PER_ACCOUNT}, {@value #MAX_PER_NETWORK}, {@value #WINDOW} (0 switches a budget off), and the network
 * prefix lengths of {@link Networks}.
 */
public final class CredentialThrottle {

    public static final String PASSWORD_SCOPE = "password";
    public static final String PIN_SCOPE = "pin";
    public static final String MAX_PER_ACCOUNT = "maxFailuresPerAccount";
    public static final String MAX_PER_NETWORK = "maxFailuresPerNetwork";
    public static final String WINDOW = "failureWindow";

    /**
     * @param perAccount    wrong guesses per account per window (0: no account budget)
     * @param perNetwork    wrong guesses per client network per window (0: no network budget)
     * @param windowSeconds how long a wrong guess counts
     */
    public record Limits(int perAccount, int perNetwork, int windowSeconds) {

        /** Passwords: 10 per account, 100 per network, per 15 minutes. */
        public static final Limits PASSWORDS = new Limits(10, 100, 900);

        /** The realm's limits in {@code scope}, each setting falling back to {@code defaults}. */
        public static Limits of(RealmModel realm, String scope, Limits defaults) {
            RealmSettings settings = RealmSettings.of(realm, scope);
            int window = settings.getInt(WINDOW, defaults.windowSeconds());
            return new Limits(Math.max(0, settings.getInt(MAX_PER_ACCOUNT, defaults.perAccount())),
                    Math.max(0, settings.getInt(MAX_PER_NETWORK, defaults.perNetwork())),
                    window > 0 ? window : defaults.windowSeconds());
        }
    }

    /** The slots one check holds: kept if it fails, given back by {@link #succeeded()}. */
    public final class Attempt {
        private final String accountKey;
        private final String networkSlot;
        private final boolean allowed;

        private Attempt(String accountKey, String networkSlot, boolean allowed) {
            this.accountKey = accountKey;
            this.networkSlot = networkSlot;
            this.allowed = allowed;
        }

        /** Whether the check may compare at all; if not, answer "throttled" with {@link #retryAfterSeconds()}. */
        public boolean allowed() {
            return allowed;
        }

        /** An upper bound of when a refused check may be tried again: the window. */
        public long retryAfterSeconds() {
            return limits.windowSeconds();
        }

        /** The guess was right: it was no failure. */
        public void succeeded() {
            if (networkSlot != null) {
                limiter.release(networkSlot);
            }
            if (accountKey != null) {
                for (int i = 0; i < limits.perAccount(); i++) {
                    store.remove(accountKey + "#" + i);
                }
            }
        }
    }

    private final SingleUseObjectProvider store;
    private final SlotLimiter limiter;
    private final RealmModel realm;
    private final String scope;
    private final Limits limits;
    private final String network;

    private CredentialThrottle(KeycloakSession session, RealmModel realm, String scope, Limits limits) {
        this.store = session.singleUseObjects();
        this.limiter = new SlotLimiter(store);
        this.realm = realm;
        this.scope = scope;
        this.limits = limits;
        String address = session.getContext().getConnection() == null ? null
                : session.getContext().getConnection().getRemoteAddr();
        this.network = Networks.of(RealmSettings.of(realm, scope), address);
    }

    /** The password throttle of {@code realm} (scope {@value #PASSWORD_SCOPE}). */
    public static CredentialThrottle passwords(KeycloakSession session, RealmModel realm) {
        return new CredentialThrottle(session, realm, PASSWORD_SCOPE, Limits.of(realm, PASSWORD_SCOPE, Limits.PASSWORDS));
    }

    /** A throttle of {@code scope} with the given limits (PINs bring their own per-account attempt limit). */
    public static CredentialThrottle of(KeycloakSession session, RealmModel realm, String scope, Limits limits) {
        return new CredentialThrottle(session, realm, scope, limits);
    }

    /**
     * Claims a failure slot of the client's network and, if {@code account} is given, of that account (a user id, or
     * a login name that matched no one), before a credential is compared.
     */
    public Attempt begin(String account) {
        String networkSlot = null;
        if (limits.perNetwork() > 0) {
            networkSlot = limiter.tryAcquire(key("net", network), limits.perNetwork(), limits.windowSeconds());
            if (networkSlot == null) {
                return new Attempt(null, null, false);
            }
        }
        String accountKey = null;
        if (account != null && limits.perAccount() > 0) {
            accountKey = key("acct", account.toLowerCase(Locale.ROOT));
            if (limiter.tryAcquire(accountKey, limits.perAccount(), limits.windowSeconds()) == null) {
                // The network's slot is not this guess's to keep: nothing was compared.
                if (networkSlot != null) {
                    limiter.release(networkSlot);
                }
                return new Attempt(null, null, false);
            }
        }
        return new Attempt(accountKey, networkSlot, true);
    }

    /** A store key; accounts and networks appear only as hashes. */
    private String key(String kind, String value) {
        return Dropin.STORE_PREFIX + "cred:" + scope + ":" + kind + ":" + realm.getId() + ":" + Codes.digest(value);
    }
}
