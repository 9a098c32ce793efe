package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.Dropin;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.common.util.Time;
import org.keycloak.component.ComponentModel;
import org.keycloak.keys.KeyProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RealmProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link CodeKeys} of a running server: each realm's code key is derived (HKDF-SHA256, {@link Hkdf}) from a random
 * 256-bit secret of the pack's own, kept in a key provider component of the realm ({@link CodeSecretProviderFactory})
 * and created the first time the realm needs it.
 * <p>
 * Why not the realm's HS512 token key, as before: administrators rotate signing keys (that is what Realm settings &gt;
 * Keys is for), and every rotation silently dropped all pending codes and reset every cooldown and limit, which are
 * stored under keyed hashes; and a realm without an active HS512 key fell back to a key derived from the realm id,
 * which anyone can compute. A secret of the pack's own changes only if someone deletes it from the database.
 * <p>
 * Why a key provider component: that is where Keycloak keeps a realm's generated secrets (its {@code hmac-generated}
 * and {@code aes-generated} keys): database rows of the realm, cached and invalidated across the cluster like any
 * realm data, part of a realm export, hidden from the admin API. A realm attribute would be readable by anyone with
 * {@code view-realm}; the single-use object store would lose it on a full cluster restart. There is no fallback: when
 * the secret can be neither read nor created, issuing and checking codes fails rather than using a guessable key.
 * <p>
 * Created once, cluster-safely: the node that wins a cluster-wide {@code putIfAbsent} creates the component in a
 * transaction of its own (committed at once, whatever becomes of the request); a node that loses reads the winner's
 * secret once it is committed. Should two components ever exist (a realm import that brings one), every node picks the
 * same one: the oldest, then the lowest id.
 */
public final class CodeSecret implements CodeKeys {

    private static final Logger LOG = Logger.getLogger(CodeSecret.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Component config: the secret (base64url), and when it was created (epoch millis, for a stable choice). */
    static final String SECRET = "secret";
    static final String CREATED = "created";
    static final int SECRET_BYTES = 32;
    /** What the derived key is for (HKDF {@code info}); another use of the secret would get another label. */
    static final byte[] CODES_INFO = "dropin one-time codes v1".getBytes(StandardCharsets.UTF_8);

    private static final int CREATE_LOCK_SECONDS = 30;
    private static final long WAIT_FOR_OTHER_NODE_MILLIS = 3000;

    private final KeycloakSession session;

    public CodeSecret(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public SecretKey of(RealmModel realm) {
        // One derivation per request and realm: the secret does not change while a request runs.
        String attribute = CodeSecret.class.getName() + "." + realm.getId();
        SecretKey cached = session.getAttribute(attribute, SecretKey.class);
        if (cached != null) {
            return cached;
        }
        byte[] secret = find(realm).map(CodeSecret::secretOf).orElseGet(() -> create(realm));
        SecretKey key = derive(secret, realm.getId());
        session.setAttribute(attribute, key);
        return key;
    }

    /** The realm's code key from its secret: HKDF-SHA256 with the realm id as salt. */
    static SecretKey derive(byte[] secret, String realmId) {
        return new SecretKeySpec(Hkdf.derive(secret, realmId.getBytes(StandardCharsets.UTF_8), CODES_INFO, 32),
                "HmacSHA256");
    }

    /** The secret held by a component, or {@code null} if it holds none of the right size. */
    static byte[] secretOf(ComponentModel model) {
        String encoded = model.get(SECRET);
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            byte[] secret = Base64Url.decode(encoded);
            return secret.length >= SECRET_BYTES ? secret : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Optional<ComponentModel> find(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), KeyProvider.class.getName())
                .filter(c -> CodeSecretProviderFactory.PROVIDER_ID.equals(c.getProviderId()))
                .filter(c -> secretOf(c) != null)
                .min(Comparator.comparingLong((ComponentModel c) -> c.get(CREATED, Long.MAX_VALUE))
                        .thenComparing(ComponentModel::getId));
    }

    private byte[] create(RealmModel realm) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        String lock = Dropin.STORE_PREFIX + "code-secret:" + realmId;
        if (session.singleUseObjects().putIfAbsent(lock, CREATE_LOCK_SECONDS)) {
            try {
                byte[] secret = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                    // Read from the database, not the realm cache: another node may have created it a moment ago and
                    // this node's cache may not have heard yet.
                    Optional<ComponentModel> existing = find(s.getProvider(RealmProvider.class).getRealm(realmId));
                    if (existing.isPresent()) {
                        return secretOf(existing.get());
                    }
                    RealmModel r = s.realms().getRealm(realmId);
                    byte[] fresh = new byte[SECRET_BYTES];
                    RANDOM.nextBytes(fresh);
                    ComponentModel model = new ComponentModel();
                    model.setName("dropin-code-secret");
                    model.setParentId(realmId);
                    model.setProviderId(CodeSecretProviderFactory.PROVIDER_ID);
                    model.setProviderType(KeyProvider.class.getName());
                    MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
                    config.putSingle(SECRET, Base64Url.encode(fresh));
                    config.putSingle(CREATED, Long.toString(Time.currentTimeMillis()));
                    model.setConfig(config);
                    r.addComponentModel(model);
                    LOG.infof("Realm '%s': created the secret of the pack's one-time codes", r.getName());
                    return fresh;
                });
                return secret;
            } finally {
                session.singleUseObjects().remove(lock);
            }
        }
        // Another request (maybe on another node) is creating it: read it once committed. This happens at most once
        // per realm, in the first moments it issues codes, so a short wait is cheaper than a failed request.
        long deadline = System.currentTimeMillis() + WAIT_FOR_OTHER_NODE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            byte[] secret = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    s -> find(s.getProvider(RealmProvider.class).getRealm(realmId)).map(CodeSecret::secretOf).orElse(null));
            if (secret != null) {
                return secret;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Realm '" + realm.getName() + "': the secret of one-time codes is being "
                + "created by another request and did not appear within " + WAIT_FOR_OTHER_NODE_MILLIS + " ms");
    }
}
