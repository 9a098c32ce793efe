package io.github.dropin.keycloak.federation;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.federation.LegacyDatabase.LegacyUser;
import io.github.dropin.keycloak.hash.LegacyHashes;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.users.LegacyIds;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.UserLookupProvider;
import org.keycloak.storage.user.UserQueryMethodsProvider;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Lazy migration from a legacy Django database (one instance per session and component). A lookup by username, email
 * or phone number that Keycloak's own users cannot answer reads the legacy user table and imports the user into
 * Keycloak's database with its legacy id ({@value LegacyIds#ATTR_LEGACY_ID}, as the bulk import stores it) and a
 * federation link to this component; the first right password is checked against the legacy hash ({@code core/hash}),
 * then stored as Keycloak's own password credential, re-hashed by the realm's policy, and the link is cut, so the
 * legacy database is never asked about that user again.
 * <p>
 * Fail closed: an unreachable database makes the lookup or the password check answer "nobody" / "wrong" (logged once
 * per outage, see {@link Outages}), and nothing is written before the legacy row has been read; a user whose legacy id
 * is already in Keycloak (bulk-imported) is never imported again. Imported users are not re-validated against the
 * legacy database on later loads ({@code ImportedUserValidation} is deliberately not implemented): an outage must not
 * disable or delete anyone, and the legacy application no longer changes users once Keycloak answers for it.
 */
public final class LegacyUserStorageProvider implements UserStorageProvider, UserLookupProvider,
        UserQueryMethodsProvider, CredentialInputValidator {

    private static final Logger LOG = Logger.getLogger(LegacyUserStorageProvider.class);
    /** {@link UniqueGuard} kind held while a user's password moves into Keycloak. */
    static final String MIGRATION_LOCK = "legacyPasswordMigration";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final LegacyDatabaseConfig config;
    private final Outages outages;
    /**
     * Set while this provider looks up Keycloak's own users: those lookups come back through the user storage
     * manager to this provider, which must not answer them from the legacy database.
     */
    private boolean lookingUpLocally;

    LegacyUserStorageProvider(KeycloakSession session, ComponentModel model, Outages outages) {
        this.session = session;
        this.model = model;
        this.config = LegacyDatabaseConfig.of(model);
        this.outages = outages;
    }

    @Override
    public void close() {
    }

    // Lookups -------------------------------------------------------------------------------------------------------

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        // Imported users have Keycloak ids and are found in Keycloak's database; no id names a legacy row.
        return null;
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        return byName(realm, username, LegacyDatabase::byUsername);
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        return byName(realm, email, LegacyDatabase::byEmail);
    }

    /** Phone numbers: {@code PhoneUsers.findByPhone} searches attribute {@value Dropin#ATTR_PHONE_NUMBER}. */
    @Override
    public Stream<UserModel> searchForUserByUserAttributeStream(RealmModel realm, String attrName, String attrValue) {
        if (skip() || !Dropin.ATTR_PHONE_NUMBER.equals(attrName) || attrValue == null) {
            return Stream.empty();
        }
        return byPhone(realm, attrValue).stream();
    }

    /** The admin console's attribute search ({@code q=phoneNumber:+49...}) finds a legacy user by phone too. */
    @Override
    public Stream<UserModel> searchForUserStream(RealmModel realm, Map<String, String> params, Integer firstResult,
                                                 Integer maxResults) {
        String phone = params.get(Dropin.ATTR_PHONE_NUMBER);
        if (skip() || phone == null || (firstResult != null && firstResult > 0)) {
            return Stream.empty();
        }
        return byPhone(realm, phone).stream();
    }

    @Override
    public Stream<UserModel> getGroupMembersStream(RealmModel realm, GroupModel group, Integer firstResult,
                                                   Integer maxResults) {
        return Stream.empty();
    }

    /** Whether lookups must not reach the legacy database now (see {@link #lookingUpLocally}, the bulk import). */
    private boolean skip() {
        return lookingUpLocally || session.getAttribute(LegacyIds.BULK_IMPORT_SESSION) != null;
    }

    /** A lookup by a name that names one legacy row at most (a username or an email), imported if found. */
    private UserModel byName(RealmModel realm, String name, NameLookup lookup) {
        if (skip() || name == null || name.isBlank()) {
            return null;
        }
        return read(realm, db -> lookup.find(db, name.strip())).flatMap(Function.identity())
                .map(row -> importUser(realm, row)).orElse(null);
    }

    private Optional<UserModel> byPhone(RealmModel realm, String number) {
        String e164;
        try {
            e164 = session.getProvider(PhoneNumberProvider.class).toE164(realm, number);
        } catch (InvalidPhoneNumberException e) {
            return Optional.empty();
        }
        // The ways a stored number may be written that an index can find; anything else is compared after reading.
        Set<String> writings = new LinkedHashSet<>(List.of(e164, e164.substring(1), "00" + e164.substring(1)));
        return read(realm, db -> db.byPhone(writings))
                .flatMap(rows -> {
                    List<LegacyUser> matching = rows.stream()
                            .filter(row -> e164.equals(toE164(realm, row.phone()))).toList();
                    return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
                })
                .map(row -> importUser(realm, row));
    }

    // Import --------------------------------------------------------------------------------------------------------

    /**
     * Imports the legacy row, or answers {@code null} when it must not be: a user with its legacy id already exists
     * (bulk-imported, or imported by another lookup), its name, email or number belongs to another Keycloak user, or
     * another request is importing it right now. Writes happen only in the request's transaction.
     */
    private UserModel importUser(RealmModel realm, LegacyUser row) {
        String legacyId = Long.toString(row.id());
        String email = row.email() == null ? null : row.email().toLowerCase(Locale.ROOT);
        String phone = toE164(realm, row.phone());
        String username = row.username() != null ? row.username() : email;
        if (username == null) {
            return null;
        }
        username = username.toLowerCase(Locale.ROOT);
        // The bulk import's order (legacy id, username, email, phone): two requests never wait in a circle.
        if (!UniqueGuard.lock(session, realm, LegacyIds.LOCK_KIND, legacyId)
                || !UniqueGuard.lock(session, realm, "username", username)
                || email != null && !UniqueGuard.lock(session, realm, "email", email)
                || phone != null && !UniqueGuard.lock(session, realm, Dropin.ATTR_PHONE_NUMBER, phone)) {
            LOG.debugf("Legacy user %s is being imported by another request; not imported by this one", legacyId);
            return null;
        }
        lookingUpLocally = true;
        try {
            if (LegacyIds.findByLegacyId(session, realm, row.id()).isPresent()) {
                // Already in Keycloak under other names (renamed since, or bulk-imported with another username).
                LOG.debugf("Legacy user %s is already in realm %s; not imported again", legacyId, realm.getName());
                return null;
            }
            if (session.users().getUserByUsername(realm, username) != null) {
                LOG.warnf("Legacy user %s not imported into realm %s: username '%s' belongs to a Keycloak user",
                        legacyId, realm.getName(), username);
                return null;
            }
            if (email != null && !realm.isDuplicateEmailsAllowed() && emailTaken(realm, email)) {
                LOG.warnf("Legacy user %s imported into realm %s without its email: it belongs to a Keycloak user",
                        legacyId, realm.getName());
                email = null;
            }
            if (phone != null && PhoneUsers.findByPhone(session, realm, phone).isPresent()) {
                LOG.warnf("Legacy user %s imported into realm %s without its phone number: it belongs to a Keycloak "
                        + "user", legacyId, realm.getName());
                phone = null;
            }
            UserModel user = session.users().addUser(realm, username);
            user.setEnabled(row.active());
            user.setEmail(email);
            // Django's auth_user has no verified flag; the bulk import's default for it is "not verified" too.
            user.setEmailVerified(false);
            user.setFirstName(row.firstName());
            user.setLastName(row.lastName());
            if (row.joinedMillis() != null) {
                user.setCreatedTimestamp(row.joinedMillis());
            }
            user.setSingleAttribute(LegacyIds.ATTR_LEGACY_ID, legacyId);
            if (phone != null) {
                PhoneUsers.setPhone(user, phone, row.phoneVerified());
            }
            // Keycloak's own users never get this number (the allocator starts above it); once this transaction has
            // ended, in one of its own, so that parallel imports do not fail each other on the realm attribute.
            LegacyIds.raiseNextAfterEnd(session, realm, row.id() + 1);
            user.setFederationLink(model.getId());
            LOG.debugf("Imported legacy user %s into realm %s", legacyId, realm.getName());
            return user;
        } finally {
            lookingUpLocally = false;
        }
    }

    private boolean emailTaken(RealmModel realm, String email) {
        try {
            return session.users().getUserByEmail(realm, email) != null;
        } catch (ModelDuplicateException several) {
            return true;
        }
    }

    private String toE164(RealmModel realm, String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return session.getProvider(PhoneNumberProvider.class).toE164(realm, stored);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    // Passwords -----------------------------------------------------------------------------------------------------

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return PasswordCredentialModel.TYPE.equals(credentialType);
    }

    /** A linked user's password is in the legacy database until Keycloak has one of its own. */
    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType) && model.getId().equals(user.getFederationLink())
                && !hasOwnPassword(user);
    }

    /**
     * Checks the password against the legacy hash, read afresh by legacy id (a password changed in the legacy
     * application since the import counts). A right one becomes the user's Keycloak password and cuts the link.
     */
    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || !model.getId().equals(user.getFederationLink())
                || input.getChallengeResponse() == null) {
            return false;
        }
        if (hasOwnPassword(user)) {
            // Set in Keycloak while linked (an administrator's reset, a bulk import): Keycloak's own check decides.
            user.setFederationLink(null);
            return false;
        }
        long legacyId = LegacyIds.legacyId(user).orElse(-1);
        if (legacyId < 1) {
            return false;
        }
        Optional<LegacyUser> row = read(realm, db -> db.byId(legacyId)).flatMap(Function.identity());
        if (row.isEmpty() || !row.get().active()) {
            return false;
        }
        LegacyHashes.Conversion legacy = LegacyHashes.convert(row.get().passwordHash());
        if (!legacy.isConverted()) {
            LOG.debugf("Legacy user %d has no usable password hash: %s", legacyId, legacy.refusal());
            return false;
        }
        PasswordCredentialModel stored = legacy.credential();
        PasswordHashProvider verifier = session.getProvider(PasswordHashProvider.class,
                stored.getPasswordCredentialData().getAlgorithm());
        if (verifier == null || !verifier.verify(input.getChallengeResponse(), stored)) {
            return false;
        }
        // Two first sign-ins at once (two nodes) must not both store a password: the second is refused this once.
        if (!UniqueGuard.lock(session, realm, MIGRATION_LOCK, user.getId())) {
            return false;
        }
        storePassword(realm, user, input.getChallengeResponse());
        user.setFederationLink(null);
        LOG.debugf("Legacy user %d migrated: password stored in Keycloak, federation link cut", legacyId);
        return true;
    }

    /**
     * Stores the password with the realm's hash algorithm and iterations, as Keycloak's password provider would, but
     * without applying the policy's rules (length, history ...): the password is the one the user already had, and
     * refusing it here would lock the user out of the migration.
     */
    private void storePassword(RealmModel realm, UserModel user, String password) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        String algorithm = policy == null ? null : policy.getHashAlgorithm();
        PasswordHashProvider hasher = algorithm == null ? session.getProvider(PasswordHashProvider.class)
                : session.getProvider(PasswordHashProvider.class, algorithm);
        PasswordCredentialModel credential = hasher.encodedCredential(password,
                policy == null ? -1 : policy.getHashIterations());
        credential.setCreatedDate(Time.currentTimeMillis());
        user.credentialManager().createStoredCredential(credential);
    }

    private static boolean hasOwnPassword(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE).findAny()
                .isPresent();
    }

    // Database ------------------------------------------------------------------------------------------------------

    /** A read, or empty when the database cannot answer (fail closed; the outage is logged once). */
    private <T> Optional<T> read(RealmModel realm, Query<T> query) {
        try {
            T result = query.call(new LegacyDatabase(config, LegacyDatabase.password(session, config)));
            outages.succeeded(model, config);
            return Optional.ofNullable(result);
        } catch (SQLException | RuntimeException e) {
            outages.failed(model, config, realm, e);
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface Query<T> {
        T call(LegacyDatabase db) throws SQLException;
    }

    @FunctionalInterface
    private interface NameLookup {
        Optional<LegacyUser> find(LegacyDatabase db, String name) throws SQLException;
    }
}
