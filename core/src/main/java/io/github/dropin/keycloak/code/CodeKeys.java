package io.github.dropin.keycloak.code;

import org.keycloak.models.RealmModel;

import javax.crypto.SecretKey;

/**
 * Where the engine gets a realm's key for code hashes, subject hashes and store keys. In a server it is
 * {@link CodeSecret} (a secret of the pack's own per realm); unit tests give the engine keys of their own.
 */
@FunctionalInterface
public interface CodeKeys {

    /** The realm's HMAC-SHA256 key for one-time codes; the same on every cluster node and across restarts. */
    SecretKey of(RealmModel realm);
}
