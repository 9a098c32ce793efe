package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ids the legacy apps already store (SPEC §5): the legacy primary key of an imported user (user attribute
 * {@value #ATTR_LEGACY_ID}, a positive integer, unique in the realm), its public id where the legacy API showed one
 * instead ({@value #ATTR_LEGACY_PUBLIC_ID}, phone-otp's {@code public_id}), and the next integer for users created
 * after the move.
 * <p>
 * A dialect shows these ids instead of Keycloak's when its setting {@value #SETTING} is on (realm attribute
 * {@code dropin.<dialect>.legacyIds}). A user without a legacy id then gets one when a dialect first needs it (at
 * registration through the dialect, or at the first answer or token about a user created elsewhere).
 * <p>
 * The allocator is cluster-safe without a table of its own: a candidate is claimed with the single-use store's
 * cluster-atomic {@code putIfAbsent} (so two nodes never hand out the same number, and neither waits for the other),
 * then locked like every other unique value ({@link UniqueGuard}, which the importer takes too) and checked against the
 * users in the database. Claims live a day; what must survive a restart of every node is the realm attribute
 * {@value #NEXT_ATTRIBUTE}, the lowest number that may still be handed out, raised after every allocation and by every
 * import, so that a number is never given twice, not even the number of a user deleted since.
 */
public final class LegacyIds {

    /** User attribute: the legacy primary key. */
    public static final String ATTR_LEGACY_ID = "legacyId";
    /** User attribute: the public id a legacy API showed instead of its primary key (phone-otp's {@code public_id}). */
    public static final String ATTR_LEGACY_PUBLIC_ID = "legacyPublicId";
    /** Dialect setting: show legacy ids in bodies, paths and token claims. */
    public static final String SETTING = "legacyIds";
    /** Realm attribute: the next legacy id the allocator may give. */
    public static final String NEXT_ATTRIBUTE = Dropin.REALM_ATTRIBUTE_PREFIX + "legacyIds.next";
    /** The SPI of the dialects, whose options are the server-wide defaults of their settings. */
    public static final String DIALECT_SPI = "realm-restapi-extension";
    /**
     * Session attribute set by the bulk import in the sessions it writes with: lookups there concern Keycloak's own
     * users only, so a lazy-migration provider (federation) does not import from the legacy database.
     */
    public static final String BULK_IMPORT_SESSION = Dropin.REALM_ATTRIBUTE_PREFIX + "bulkImport";
    /** {@link UniqueGuard} kind of a legacy id. */
    public static final String LOCK_KIND = ATTR_LEGACY_ID;

    /** How long a claimed number stays claimed in the single-use store, well beyond any transaction. */
    private static final long CLAIM_SECONDS = 24 * 3600;
    /** Candidates tried before giving up (each one taken means another node is allocating at the same moment). */
    private static final int MAX_PROBES = 1000;

    private static final Logger LOG = Logger.getLogger(LegacyIds.class);

    private LegacyIds() {
    }

    /** Whether {@code dialect} shows legacy ids in {@code realm}: its setting, else the SPI option, else off. */
    public static boolean enabled(RealmModel realm, String dialect) {
        return RealmSettings.forCodes(realm, dialect, DIALECT_SPI, dialect).getBoolean(SETTING, false);
    }

    /** The user's legacy id, if it has one. */
    public static OptionalLong legacyId(UserModel user) {
        String value = user.getFirstAttribute(ATTR_LEGACY_ID);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The user whose legacy id is {@code id}. */
    public static Optional<UserModel> findByLegacyId(KeycloakSession session, RealmModel realm, long id) {
        String value = Long.toString(id);
        return UsersByAttribute.find(session, realm, ATTR_LEGACY_ID, value);
    }

    /** The user a dialect's id names: a legacy id when {@code legacy} and the id is an integer, else a Keycloak id. */
    public static Optional<UserModel> find(KeycloakSession session, RealmModel realm, String id, boolean legacy) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        if (legacy) {
            OptionalLong number = parse(id);
            if (number.isPresent()) {
                return findByLegacyId(session, realm, number.getAsLong());
            }
        }
        return Optional.ofNullable(session.users().getUserById(realm, id));
    }

    /** The public id a legacy API showed for the user, or its Keycloak id (the same kind of value: a UUID). */
    public static String publicId(UserModel user) {
        String value = user.getFirstAttribute(ATTR_LEGACY_PUBLIC_ID);
        return value == null || value.isBlank() ? user.getId() : value;
    }

    /** The user whose public id (or, for users without one, Keycloak id) is {@code id}. */
    public static Optional<UserModel> findByPublicId(KeycloakSession session, RealmModel realm, String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Optional<UserModel> imported = UsersByAttribute.find(session, realm, ATTR_LEGACY_PUBLIC_ID, id);
        if (imported.isPresent()) {
            return imported;
        }
        UserModel user = session.users().getUserById(realm, id);
        // A user with a legacy public id is named by it only, as the legacy API named it.
        return user == null || user.getFirstAttribute(ATTR_LEGACY_PUBLIC_ID) != null ? Optional.empty() : Optional.of(user);
    }

    /** The user's legacy id, allocating and storing the next one if it has none yet. */
    public static long idOf(KeycloakSession session, RealmModel realm, UserModel user) {
        OptionalLong existing = legacyId(user);
        if (existing.isPresent()) {
            return existing.getAsLong();
        }
        long id = allocate(session, realm);
        user.setSingleAttribute(ATTR_LEGACY_ID, Long.toString(id));
        return id;
    }

    /**
     * The next free legacy id, reserved for the caller's transaction (which stores it on a user). A number given out
     * is never given again, even if that transaction rolls back.
     *
     * @throws ModelException when no number could be reserved (only under a pathological number of parallel claims)
     */
    public static long allocate(KeycloakSession session, RealmModel realm) {
        SingleUseObjectProvider store = session.singleUseObjects();
        long candidate = next(realm);
        for (int probe = 0; probe < MAX_PROBES; probe++, candidate++) {
            if (!store.putIfAbsent(claimKey(realm, candidate), CLAIM_SECONDS)) {
                continue;
            }
            // An import may be writing this very number; its lock ends with its transaction, after which the
            // lookup below sees its user.
            if (!UniqueGuard.lock(session, realm, LOCK_KIND, Long.toString(candidate))
                    || findByLegacyId(session, realm, candidate).isPresent()) {
                continue;
            }
            raiseNextAfterEnd(session, realm, candidate + 1);
            return candidate;
        }
        throw new ModelException("No legacy id could be reserved in realm " + realm.getName());
    }

    /** The lowest number the allocator may still give in {@code realm} (at least 1). */
    public static long next(RealmModel realm) {
        return Math.max(1, parse(realm.getAttribute(NEXT_ATTRIBUTE)).orElse(1));
    }

    /** Raises {@link #NEXT_ATTRIBUTE} to {@code next} unless it is already there or above. */
    public static void raiseNext(RealmModel realm, long next) {
        if (next > next(realm)) {
            realm.setAttribute(NEXT_ATTRIBUTE, Long.toString(next));
        }
    }

    /**
     * Raises {@link #NEXT_ATTRIBUTE} once the caller's transaction has ended, in a transaction of its own: two
     * registrations writing the realm attribute at once must not fail each other (the first write of it is an insert).
     * A write that fails anyway changes nothing that matters, the claims and the lookup keep the numbers unique.
     * Raised after a rollback too: the number stays claimed and is never given again, so the allocator's window of
     * {@value #MAX_PROBES} candidates must move past it, or enough rolled-back allocations would fill that window and
     * leave the realm without legacy ids until the claims expire.
     */
    public static void raiseNextAfterEnd(KeycloakSession session, RealmModel realm, long next) {
        String realmId = realm.getId();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                raise();
            }

            @Override
            protected void rollbackImpl() {
                raise();
            }

            private void raise() {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, s -> {
                        RealmModel fresh = s.realms().getRealm(realmId);
                        if (fresh != null) {
                            raiseNext(fresh, next);
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.debugf(e, "Could not raise %s to %d (a concurrent write won)", NEXT_ATTRIBUTE, next);
                }
            }
        });
    }

    /** A positive integer, or empty. */
    public static OptionalLong parse(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String text = value.trim();
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long number = Long.parseLong(text);
        return number > 0 ? OptionalLong.of(number) : OptionalLong.empty();
    }

    private static String claimKey(RealmModel realm, long id) {
        return Dropin.STORE_PREFIX + "legacy-id:" + realm.getId() + ":" + id;
    }
}
