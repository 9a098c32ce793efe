package io.github.dropin.keycloak.testing;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeyManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Just enough of Keycloak to run code that needs a {@link KeycloakSession} for the single-use object store, realm
 * keys, session attributes and the transaction manager, without a server: sessions that are plain Java proxies over
 * an {@link InMemorySingleUseObjects} shared by all of them (as the cluster-wide cache is), realms that have an id
 * and a name, and one active HS512 key per realm, as every Keycloak realm has by default.
 * <p>
 * Anything else a session or realm is asked for fails loudly with {@link UnsupportedOperationException}, so a test
 * never passes on a silently faked answer. Clock: Keycloak's {@link org.keycloak.common.util.Time}; tests move it with
 * {@code Time.setOffset} and reset it afterwards.
 */
public final class FakeKeycloak {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InMemorySingleUseObjects store = new InMemorySingleUseObjects();
    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> codeKeys = new ConcurrentHashMap<>();
    private final Set<String> realmsWithoutKey = ConcurrentHashMap.newKeySet();

    /** What every session's single-use object store reads and writes. */
    public InMemorySingleUseObjects store() {
        return store;
    }

    /** A realm with this id (also its name). */
    public RealmModel realm(String id) {
        return proxy(RealmModel.class, (proxy, method, args) -> switch (method.getName()) {
            case "getId", "getName" -> id;
            default -> unsupported(proxy, method, args, "RealmModel");
        });
    }

    /**
     * The engine's per-realm code keys ({@code CodeKeys}): a random key per realm, stable for this fake's lifetime, as
     * the pack's code secret is in a server.
     */
    public javax.crypto.SecretKey codeKey(RealmModel realm) {
        return codeKeys.computeIfAbsent(realm.getId(), id -> {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            return new SecretKeySpec(secret, "HmacSHA256");
        });
    }

    /** Removes the realm's HS512 key, as an administrator deleting the realm's {@code hmac-generated} provider would. */
    public void removeHmacKey(RealmModel realm) {
        realmsWithoutKey.add(realm.getId());
    }

    /** Opens a session with a begun transaction; finish it with {@link Session#commit()} or {@link Session#rollback()}. */
    public Session openSession() {
        return new Session();
    }

    /**
     * Runs {@code work} as one request: in a new session whose transaction commits if it returns and rolls back if
     * it throws (as Keycloak does for a request, and as the pack's REST resources do for error responses).
     */
    public <T> T inRequest(Work<T> work) throws Exception {
        Session session = openSession();
        T result;
        try {
            result = work.run(session.session());
        } catch (Exception | Error e) {
            session.rollback();
            throw e;
        }
        session.commit();
        return result;
    }

    /** What one request does. */
    @FunctionalInterface
    public interface Work<T> {
        T run(KeycloakSession session) throws Exception;
    }

    /** One Keycloak session: its own transaction, attributes and view of the single-use object store. */
    public final class Session {

        private final FakeTransactionManager transactions = new FakeTransactionManager();
        private final Map<String, Object> attributes = new HashMap<>();
        private final KeycloakSession session;
        private InMemorySingleUseObjectProvider singleUseObjects;

        private Session() {
            KeyManager keyManager = proxy(KeyManager.class, (proxy, method, args) -> {
                if (method.getName().equals("getKeysStream") && args != null && args.length == 3) {
                    return keysOf((RealmModel) args[0], (KeyUse) args[1], (String) args[2]);
                }
                return unsupported(proxy, method, args, "KeyManager");
            });
            this.session = proxy(KeycloakSession.class, (proxy, method, args) -> switch (method.getName()) {
                case "singleUseObjects" -> singleUseObjects();
                case "keys" -> keyManager;
                case "getTransactionManager" -> transactions;
                case "getAttribute" -> args.length == 2
                        ? ((Class<?>) args[1]).cast(attributes.get((String) args[0]))
                        : attributes.get((String) args[0]);
                case "setAttribute" -> {
                    attributes.put((String) args[0], args[1]);
                    yield null;
                }
                case "removeAttribute" -> attributes.remove((String) args[0]);
                case "getAttributes" -> attributes;
                case "close" -> null;
                default -> unsupported(proxy, method, args, "KeycloakSession");
            });
            transactions.begin();
        }

        public KeycloakSession session() {
            return session;
        }

        public FakeTransactionManager transactions() {
            return transactions;
        }

        public void commit() {
            transactions.commit();
        }

        public void rollback() {
            transactions.rollback();
        }

        private InMemorySingleUseObjectProvider singleUseObjects() {
            // One provider per session, as Keycloak keeps one instance of each provider per session.
            if (singleUseObjects == null) {
                singleUseObjects = store.provider(transactions);
            }
            return singleUseObjects;
        }
    }

    private Stream<KeyWrapper> keysOf(RealmModel realm, KeyUse use, String algorithm) {
        if (use != KeyUse.SIG || !Algorithm.HS512.equals(algorithm) || realmsWithoutKey.contains(realm.getId())) {
            return Stream.empty();
        }
        KeyWrapper key = new KeyWrapper();
        key.setKid("hs512-" + realm.getId());
        key.setProviderId("hmac-generated");
        key.setType(KeyType.OCT);
        key.setAlgorithm(Algorithm.HS512);
        key.setUse(KeyUse.SIG);
        key.setStatus(KeyStatus.ACTIVE);
        key.setSecretKey(keys.computeIfAbsent(realm.getId(), id -> {
            byte[] secret = new byte[64];
            RANDOM.nextBytes(secret);
            return new SecretKeySpec(secret, "HmacSHA512");
        }));
        return Stream.of(key);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FakeKeycloak.class.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
                };
            }
            return handler.invoke(proxy, method, args);
        });
    }

    private static Object unsupported(Object proxy, Method method, Object[] args, String type) throws Throwable {
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        throw new UnsupportedOperationException("FakeKeycloak does not fake " + type + "." + method.getName());
    }
}
