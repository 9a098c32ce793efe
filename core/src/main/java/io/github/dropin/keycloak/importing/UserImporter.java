package io.github.dropin.keycloak.importing;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.hash.LegacyHashes;
import io.github.dropin.keycloak.importing.ImportReport.Outcome;
import io.github.dropin.keycloak.importing.ImportReport.Result;
import io.github.dropin.keycloak.phone.InvalidPhoneNumberException;
import io.github.dropin.keycloak.phone.PhoneNumberProvider;
import io.github.dropin.keycloak.users.LegacyIds;
import io.github.dropin.keycloak.users.LegacyRefreshTokens;
import io.github.dropin.keycloak.users.LegacyTokens;
import io.github.dropin.keycloak.users.PhoneUsers;
import io.github.dropin.keycloak.users.UniqueGuard;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes one record into a realm inside the caller's transaction ({@link ImportRun} gives each batch one), after
 * checking everything Keycloak would otherwise refuse only at commit: the legacy id, username, email and phone number
 * are locked ({@link UniqueGuard}, in that order) and looked up, so a row either goes in whole or is refused with the
 * reason, and two imports (or an import and a registration) cannot both take a value.
 * <p>
 * Idempotent by legacy id: a user that already has the row's {@code legacyId} is updated (username, email, names,
 * enabled, phone number, groups and roles joined; nothing is taken away), never created twice. Its password is set
 * when it has none, and replaced only while it is still the credential an earlier import made from a different legacy
 * hash (the legacy password changed before the move); a credential Keycloak made since (after a sign-in re-hashed it,
 * or a password change) is never touched.
 */
final class UserImporter {

    /** Run-wide caches of groups and roles by name, so that each is looked up once per run (ids: valid across sessions). */
    static final class Lookups {
        final Map<String, String> groupsByName = new HashMap<>();
        final Map<Long, String> groupsByLegacyId = new HashMap<>();
        /**
         * SimpleJWT's outstanding tokens of this run by primary key (up to {@link #MAX_OUTSTANDING}): what a blacklist
         * row of the same run, even of a dry run or of the same batch, needs; beyond that, and across the parts of a
         * file sent in several requests, the single-use store has them.
         */
        final Map<Long, Long> outstandingExp = new HashMap<>();
        final Map<Long, String> outstandingJti = new HashMap<>();
        static final int MAX_OUTSTANDING = 100_000;
    }

    /** How long an expired outstanding token is remembered: only for its blacklist row, which comes right after. */
    private static final long EXPIRED_OUTSTANDING_SECONDS = 3600;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ImportOptions options;
    private final Lookups lookups;
    /** Locks this importer's transaction holds. */
    private final Set<String> held = new HashSet<>();

    UserImporter(KeycloakSession session, RealmModel realm, ImportOptions options, Lookups lookups) {
        this.session = session;
        this.realm = realm;
        this.options = options;
        this.lookups = lookups;
    }

    Outcome write(ImportItem item) {
        if (item instanceof ImportItem.User user) {
            return user(user);
        }
        if (item instanceof ImportItem.Group group) {
            return group(group);
        }
        if (item instanceof ImportItem.Token token) {
            return token(token);
        }
        if (item instanceof ImportItem.OutstandingRefreshToken token) {
            return outstanding(token);
        }
        if (item instanceof ImportItem.BlacklistedRefreshToken token) {
            return blacklisted(token);
        }
        if (item instanceof ImportItem.Unreadable bad) {
            return Outcome.refused(bad.row(), bad.legacyId(), null, bad.reason());
        }
        return new Outcome(Result.SKIPPED, item.row(), null, null, null, List.of(), false, List.of());
    }

    private Outcome user(ImportItem.User row) {
        String legacyId = Long.toString(row.legacyId());
        List<String> warnings = new ArrayList<>(row.notes());

        LegacyHashes.Conversion password = LegacyHashes.convert(row.passwordHash());
        if (!password.isConverted()) {
            if (!options.withoutPassword()) {
                return Outcome.refused(row.row(), legacyId, row.username(), "password not carried over: "
                        + password.refusal() + " (withoutPassword=true imports the user without one)");
            }
            warnings.add("imported without a password: " + password.refusal());
        }

        String phone = null;
        String phoneProblem = null;
        if (row.phone() != null) {
            try {
                phone = session.getProvider(PhoneNumberProvider.class).toE164(realm, row.phone());
            } catch (InvalidPhoneNumberException e) {
                phoneProblem = "phone number '" + row.phone() + "' is not valid for the realm ("
                        + e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            }
        }
        String email = row.email() == null ? null : row.email().toLowerCase(Locale.ROOT);
        String username = row.username() != null ? row.username() : email != null ? email : phone;
        boolean namedByPhone = row.username() == null && email == null;
        if (username == null) {
            return Outcome.refused(row.row(), legacyId, null, phoneProblem != null ? phoneProblem
                    : "no username, email or phone number to name the user by");
        }
        // Keycloak keeps usernames in lower case: two legacy users differing only in case cannot both come.
        username = username.toLowerCase(Locale.ROOT);
        if (namedByPhone && phoneProblem != null) {
            return Outcome.refused(row.row(), legacyId, username, phoneProblem);
        }

        // One fixed order (legacy id, username, email, phone), as everywhere: two requests never wait in a circle.
        if (!lock(LegacyIds.LOCK_KIND, legacyId) || !lock("username", username)
                || email != null && !lock("email", email) || phone != null && !lock(Dropin.ATTR_PHONE_NUMBER, phone)) {
            return Outcome.refused(row.row(), legacyId, username, "busy: another import or registration holds this "
                    + "user's id, username, email or phone number; import the row again");
        }
        UserModel existing = LegacyIds.findByLegacyId(session, realm, row.legacyId()).orElse(null);
        UserModel named = session.users().getUserByUsername(realm, username);
        if (named != null && (existing == null || !named.getId().equals(existing.getId()))) {
            return Outcome.refused(row.row(), legacyId, username, "username '" + username + "' belongs to "
                    + describe(named) + (row.username() != null && !row.username().equals(username)
                    ? " (Keycloak's usernames ignore case)" : ""));
        }
        if (email != null && !realm.isDuplicateEmailsAllowed()) {
            UserModel holder = session.users().getUserByEmail(realm, email);
            if (holder != null && (existing == null || !holder.getId().equals(existing.getId()))) {
                return Outcome.refused(row.row(), legacyId, username, "email '" + email + "' belongs to " + describe(holder));
            }
        }
        if (phone != null) {
            UserModel holder = PhoneUsers.findByPhone(session, realm, phone).orElse(null);
            if (holder != null && (existing == null || !holder.getId().equals(existing.getId()))) {
                phoneProblem = "phone number " + phone + " belongs to " + describe(holder);
                if (namedByPhone) {
                    return Outcome.refused(row.row(), legacyId, username, phoneProblem);
                }
                phone = null;
            }
        }
        if (phoneProblem != null) {
            warnings.add(phoneProblem + "; imported without it");
        }

        boolean created = existing == null;
        UserModel user = created ? session.users().addUser(realm, username) : existing;
        if (!created && user.getFederationLink() != null) {
            // Imported by the lazy migration and not signed in since: from now on the bulk import's user, with the
            // password set below, and kept when the federation provider (which deletes its linked users) is removed.
            user.setFederationLink(null);
        }
        if (!created && !username.equals(user.getUsername())) {
            user.setUsername(username);
        }
        user.setEnabled(!Boolean.FALSE.equals(row.active()));
        user.setEmail(email);
        user.setEmailVerified(email != null && (row.emailVerified() != null ? row.emailVerified() : options.emailVerified()));
        user.setFirstName(row.firstName());
        user.setLastName(row.lastName());
        if (row.joinedMillis() != null) {
            user.setCreatedTimestamp(row.joinedMillis());
        }
        user.setSingleAttribute(LegacyIds.ATTR_LEGACY_ID, legacyId);
        if (row.publicId() != null) {
            user.setSingleAttribute(LegacyIds.ATTR_LEGACY_PUBLIC_ID, row.publicId());
        }
        if (phone != null) {
            PhoneUsers.setPhone(user, phone, Boolean.TRUE.equals(row.phoneVerified()));
        }
        for (String name : row.groupNames()) {
            join(user, groupByName(name), created);
        }
        for (Long id : row.groupIds()) {
            GroupModel group = groupByLegacyId(id);
            if (group == null) {
                warnings.add("group with legacy id " + id + " is unknown (import the auth.group objects before the "
                        + "users, as dumpdata auth.group auth.user writes them); not joined");
            } else {
                join(user, group, created);
            }
        }
        List<String> rolesCreated = new ArrayList<>();
        if (row.staff()) {
            grant(user, options.staffRole(), rolesCreated);
        }
        if (row.superuser()) {
            grant(user, options.superuserRole(), rolesCreated);
        }
        if (password.isConverted()) {
            setPassword(user, password.credential(), row.passwordHash());
        }
        return new Outcome(created ? Result.CREATED : Result.UPDATED, row.row(), legacyId, username, null,
                List.copyOf(warnings), !password.isConverted(), rolesCreated);
    }

    private Outcome group(ImportItem.Group row) {
        String legacyId = Long.toString(row.legacyId());
        if (row.name() == null || row.name().isBlank()) {
            return Outcome.refused(row.row(), legacyId, null, "group without a name");
        }
        if (!lock("group", row.name())) {
            return Outcome.refused(row.row(), legacyId, null, "busy: another import is creating group '" + row.name() + "'");
        }
        GroupModel group = findGroupByName(row.name());
        boolean created = group == null;
        if (created) {
            group = session.groups().createGroup(realm, row.name());
        }
        group.setSingleAttribute(LegacyIds.ATTR_LEGACY_ID, legacyId);
        lookups.groupsByName.put(row.name(), group.getId());
        lookups.groupsByLegacyId.put(row.legacyId(), group.getId());
        return new Outcome(created ? Result.GROUP_CREATED : Result.GROUP_UPDATED, row.row(), legacyId, row.name(),
                null, List.of(), false, List.of());
    }

    /**
     * Stores a legacy DRF key on the user it belongs to (found by legacy id, or by username for a dump with natural
     * keys), which an earlier row or import must have brought. Only the key's hash is written; the key itself appears
     * nowhere, not even in the report.
     */
    private Outcome token(ImportItem.Token row) {
        String legacyId = row.userLegacyId() == null ? null : Long.toString(row.userLegacyId());
        if (row.key() == null || row.key().isBlank() || row.key().length() > LegacyTokens.MAX_KEY_LENGTH) {
            return Outcome.refused(row.row(), legacyId, row.username(), "token without a key (the dump's pk)");
        }
        UserModel user = row.userLegacyId() != null
                ? LegacyIds.findByLegacyId(session, realm, row.userLegacyId()).orElse(null)
                : row.username() == null ? null : session.users().getUserByUsername(realm, row.username().toLowerCase(Locale.ROOT));
        if (user == null) {
            return Outcome.refused(row.row(), legacyId, row.username(), "token of a user that was not imported "
                    + "(import the users first: dumpdata auth.user authtoken.token writes them in that order)");
        }
        if (!lock(LegacyTokens.LOCK_KIND, user.getId())) {
            return Outcome.refused(row.row(), legacyId, user.getUsername(), "busy: the user's legacy key is being "
                    + "used for the first time right now; import the row again");
        }
        String id = legacyId != null ? legacyId : LegacyIds.legacyId(user).stream().mapToObj(Long::toString)
                .findFirst().orElse(null);
        return new Outcome(LegacyTokens.store(user, row.key()) ? Result.TOKEN : Result.TOKEN_UNCHANGED, row.row(), id,
                user.getUsername(), null, List.of(), false, List.of());
    }

    /**
     * Remembers an outstanding SimpleJWT token's {@code jti} and expiry (never the token) for the blacklist rows that
     * name it by primary key: dumpdata writes {@code token_blacklist.outstandingtoken} before
     * {@code token_blacklist.blacklistedtoken}.
     */
    private Outcome outstanding(ImportItem.OutstandingRefreshToken row) {
        if (row.jti() == null || row.jti().isBlank() || row.expSeconds() == null) {
            return Outcome.refused(row.row(), null, null, "outstanding token " + row.pk() + " without its jti or a "
                    + "readable expires_at");
        }
        long lifespan = row.expSeconds() - Time.currentTime();
        if (lookups.outstandingExp.size() < Lookups.MAX_OUTSTANDING) {
            lookups.outstandingExp.put(row.pk(), row.expSeconds());
            lookups.outstandingJti.put(row.pk(), row.jti());
        }
        session.singleUseObjects().put(outstandingKey(row.pk()), lifespan > 0 ? lifespan : EXPIRED_OUTSTANDING_SECONDS,
                Map.of("jti", row.jti(), "exp", Long.toString(row.expSeconds())));
        return new Outcome(Result.REFRESH_TOKEN, row.row(), null, null, null, List.of(), false, List.of());
    }

    /** Puts a blacklisted SimpleJWT token's {@code jti} on the realm's blacklist, unless it has expired anyway. */
    private Outcome blacklisted(ImportItem.BlacklistedRefreshToken row) {
        String jti = lookups.outstandingJti.get(row.tokenPk());
        Long exp = jti == null ? null : lookups.outstandingExp.get(row.tokenPk());
        if (jti == null) {
            Map<String, String> stored = session.singleUseObjects().get(outstandingKey(row.tokenPk()));
            if (stored != null && stored.get("jti") != null && stored.get("exp") != null) {
                jti = stored.get("jti");
                exp = Long.parseLong(stored.get("exp"));
            }
        }
        if (jti == null) {
            return Outcome.refused(row.row(), null, null, "blacklisted token names outstanding token " + row.tokenPk()
                    + ", which this import has not read (import dumpdata token_blacklist whole: it writes the "
                    + "outstanding tokens first)");
        }
        return LegacyRefreshTokens.blacklist(session, realm, jti, exp)
                ? new Outcome(Result.REFRESH_TOKEN_BLACKLISTED, row.row(), null, null, null, List.of(), false, List.of())
                : new Outcome(Result.SKIPPED, row.row(), null, null, null, List.of(), false, List.of());
    }

    private String outstandingKey(long pk) {
        return Dropin.STORE_PREFIX + "legacy-outstanding:" + realm.getId() + ":" + pk;
    }

    private void setPassword(UserModel user, PasswordCredentialModel credential, String legacyHash) {
        Optional<CredentialModel> current = user.credentialManager()
                .getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE).findFirst();
        if (current.isPresent()) {
            String made = PasswordCredentialModel.createFromCredentialModel(current.get()).getPasswordCredentialData()
                    .getAdditionalParameters().getFirst(LegacyHashes.FINGERPRINT);
            if (made == null || made.equals(LegacyHashes.fingerprint(legacyHash))) {
                // Keycloak's own credential, or this very hash imported before.
                return;
            }
            user.credentialManager().removeStoredCredentialById(current.get().getId());
        }
        credential.setCreatedDate(Time.currentTimeMillis());
        user.credentialManager().createStoredCredential(credential);
    }

    private void join(UserModel user, GroupModel group, boolean created) {
        if (created || !user.isMemberOf(group)) {
            user.joinGroup(group);
        }
    }

    private void grant(UserModel user, String roleName, List<String> rolesCreated) {
        if (roleName == null || roleName.isBlank()) {
            return;
        }
        RoleModel role = realm.getRole(roleName);
        if (role == null) {
            if (!lock("role", roleName)) {
                return;
            }
            role = realm.getRole(roleName);
            if (role == null) {
                role = realm.addRole(roleName);
                rolesCreated.add(roleName);
            }
        }
        user.grantRole(role);
    }

    /** The top-level group {@code name}, created when the realm has none. */
    private GroupModel groupByName(String name) {
        String id = lookups.groupsByName.get(name);
        GroupModel group = id == null ? null : session.groups().getGroupById(realm, id);
        if (group == null) {
            lock("group", name);
            group = findGroupByName(name);
            if (group == null) {
                group = session.groups().createGroup(realm, name);
            }
            lookups.groupsByName.put(name, group.getId());
        }
        return group;
    }

    private GroupModel groupByLegacyId(long legacyId) {
        String id = lookups.groupsByLegacyId.get(legacyId);
        GroupModel group = id == null ? null : session.groups().getGroupById(realm, id);
        if (group == null) {
            group = session.groups().searchGroupsByAttributes(realm, Map.of(LegacyIds.ATTR_LEGACY_ID, Long.toString(legacyId)), 0, 1)
                    .findFirst().orElse(null);
            if (group != null) {
                lookups.groupsByLegacyId.put(legacyId, group.getId());
            }
        }
        return group;
    }

    private GroupModel findGroupByName(String name) {
        return session.groups().getGroupByName(realm, null, name);
    }

    /**
     * Takes a {@link UniqueGuard} lock until the batch's transaction ends; a lock this batch already holds (a value
     * two of its rows share) is held, and the second row then finds the first one's user.
     */
    private boolean lock(String kind, String value) {
        String key = kind + "\u0000" + value.toLowerCase(Locale.ROOT);
        if (held.contains(key)) {
            return true;
        }
        boolean locked = UniqueGuard.lock(session, realm, kind, value);
        if (locked) {
            held.add(key);
        }
        return locked;
    }

    private static String describe(UserModel user) {
        return LegacyIds.legacyId(user).stream().mapToObj(id -> "the user with legacy id " + id).findFirst()
                .orElse("a user that was not imported (" + user.getUsername() + ")");
    }
}
