package io.github.dropin.keycloak.importing;

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

    /** Realm settings (scope {@value #SCOPE}) with the defaults of the import's options. */
    public static final String SCOPE = "import";
    public static final String STAFF_ROLE = "staffRole";
    public static final String SUPERUSER_ROLE = "superuserRole";
    public static final String DEFAULT_STAFF_ROLE = "staff";
    public static final String DEFAULT_SUPERUSER_ROLE = "superuser";
    public static final int DEFAULT_BATCH_SIZE = 100;
}
