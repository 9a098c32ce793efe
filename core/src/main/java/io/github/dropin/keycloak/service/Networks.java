package io.github.dropin.keycloak.service;

import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.store.ClientNetwork;

/**
 * The client network a request comes from, for limits per network ({@link ClientNetwork}), with the prefix lengths
 * the realm sets: {@code ipv4Prefix} (default 32) and {@code ipv6Prefix} (default 64), read in the caller's settings
 * scope, so {@code dropin.<scope>.ipv6Prefix} for one use and {@code dropin.ipv6Prefix} for all.
 */
public final class Networks {

    public static final String IPV4_PREFIX = "ipv4Prefix";
    public static final String IPV6_PREFIX = "ipv6Prefix";

    private Networks() {
    }

    /** {@code address}'s network (e.g. {@code 2001:db8:1:2::/64}), or the address as given if it is not a literal IP. */
    public static String of(RealmSettings settings, String address) {
        if (address == null) {
            return "unknown";
        }
        return ClientNetwork.of(address, settings.getInt(IPV4_PREFIX, ClientNetwork.DEFAULT_IPV4_PREFIX),
                settings.getInt(IPV6_PREFIX, ClientNetwork.DEFAULT_IPV6_PREFIX)).orElse(address);
    }
}
