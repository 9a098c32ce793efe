package io.github.dropin.keycloak.importing;

import java.util.List;

/**
 * One record of an import file, as a reader understood it: a user, a group, a record that cannot be imported, or one
 * of no interest (another model of a Django dump).
 */
public sealed interface ImportItem {

    /** 1-based position of the record in the file (for a CSV file: after the header). */
    int row();

    /**
     * A legacy user.
     *
     * @param legacyId      the legacy primary key
     * @param publicId      the id the legacy API showed instead of the primary key, if any
     * @param username      as the legacy system had it, or {@code null} (the email, else the phone number, is used)
     * @param emailVerified {@code null} when the source has no such field (the import's default applies)
     * @param active        {@code null} when the source has no such field (active)
     * @param joinedMillis  when the account was created (epoch milliseconds), if known
     * @param phone         as stored (normalised to E.164 on import), or {@code null}
     * @param groupNames    groups named in the record (CSV, Django's natural keys)
     * @param groupIds      groups referred to by their legacy primary key (Django's {@code dumpdata} without natural keys)
     * @param passwordHash  the legacy framework's hash, or {@code null}
     * @param notes         what the reader could not use (e.g. a date it did not understand), reported as warnings
     */
    record User(int row, long legacyId, String publicId, String username, String email, Boolean emailVerified,
                String firstName, String lastName, Boolean active, Long joinedMillis, String phone,
                Boolean phoneVerified, List<String> groupNames, List<Long> groupIds, boolean staff, boolean superuser,
                String passwordHash, List<String> notes) implements ImportItem {
    }

    /** A legacy group ({@code auth.group}): imported as a top-level Keycloak group with attribute {@code legacyId}. */
    record Group(int row, long legacyId, String name) implements ImportItem {
    }

    /**
     * A legacy DRF {@code authtoken} key ({@code authtoken.token}): stored on its user only as a hash
     * ({@link io.github.dropin.keycloak.users.LegacyTokens}).
     *
     * @param key          the key as DRF stored it (its primary key); never written into a report
     * @param userLegacyId the user's legacy primary key, or {@code null} when the dump names the user by natural key
     * @param username     the user's username where the dump names it by natural key ({@code --natural-foreign})
     */
    record Token(int row, String key, Long userLegacyId, String username) implements ImportItem {
    }

    /**
     * One of SimpleJWT's outstanding refresh tokens ({@code token_blacklist.outstandingtoken}): only its id and expiry
     * are kept, for the blacklist rows that name it by primary key (the token itself is never read).
     *
     * @param expSeconds when the token expires (epoch seconds), or {@code null} when the dump's date is unreadable
     */
    record OutstandingRefreshToken(int row, long pk, String jti, Long expSeconds) implements ImportItem {
    }

    /** SimpleJWT's blacklist entry ({@code token_blacklist.blacklistedtoken}) of the outstanding token {@code tokenPk}. */
    record BlacklistedRefreshToken(int row, long tokenPk) implements ImportItem {
    }

    /** A record that cannot be imported, and why. */
    record Unreadable(int row, String legacyId, String reason) implements ImportItem {
    }

    /** A record of no interest to the import (another model of a dump), counted only. */
    record Skipped(int row, String what) implements ImportItem {
    }
}
