package io.github.dropin.keycloak.importing;

import io.github.dropin.keycloak.settings.Setting;

/**
 * How an import treats what it reads.
 *
 * @param dryRun          check and write every row exactly as an import would, then roll every write back
 * @param withoutPassword import a user whose password hash cannot be carried over without a password (reported as a
 *                        warning) instead of refusing the row
 * @param emailVerified   whether an email address counts as verified when the record has no verified flag for it
 *                        (Django's {@code auth.user} has none)
 * @param staffRole       realm role for {@code is_staff} users (created when missing); {@code null}: not mapped
 * @param superuserRole   realm role for {@code is_superuser} users (created when missing); {@code null}: not mapped
 * @param batchSize       rows written per transaction
 */
public record ImportOptions(boolean dryRun, boolean withoutPassword, boolean emailVerified, String staffRole,
                            String superuserRole, int batchSize) {

    /** Scope of the realm settings below, the defaults of the import's options. */
    public static final String SCOPE = "import";
    public static final Setting STAFF_ROLE = Setting.text("staffRole", "staff",
            "Realm role for is_staff users (created when missing); empty: not mapped.");
    public static final Setting SUPERUSER_ROLE = Setting.text("superuserRole", "superuser",
            "Realm role for is_superuser users (created when missing); empty: not mapped.");
    public static final Setting EMAIL_VERIFIED = Setting.flag("emailVerified", false,
            "Whether an email address counts as verified when the record has no verified flag for it.");

    /** Rows per transaction unless the import asks for another number. */
    public static final int DEFAULT_BATCH_SIZE = 100;
}
