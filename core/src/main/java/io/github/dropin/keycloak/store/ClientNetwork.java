package io.github.dropin.keycloak.store;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The network a client address belongs to, for limits "per client" that one person cannot escape by hopping between
 * addresses of one network: an IPv6 customer usually gets a whole /64 (or more), so a per-address limit on IPv6 is no
 * limit at all. Addresses are grouped by prefix length: IPv4 /32 and IPv6 /64 by default, configurable.
 * <p>
 * Only literal addresses are parsed (never a name lookup). The result is a short canonical text such as
 * {@code 203.0.113.0/24} or {@code 2001:db8:1:2::/64}, to be hashed into store keys like any other subject.
 */
public final class ClientNetwork {

    /** Default prefix lengths: one IPv4 address, one IPv6 /64 (a typical single subscriber). */
    public static final int DEFAULT_IPV4_PREFIX = 32;
    public static final int DEFAULT_IPV6_PREFIX = 64;

    private ClientNetwork() {
    }

    /**
     * The network of {@code address} with the given prefix lengths, or empty when it is not a literal IP address.
     * Prefix lengths are clamped to 0..32 (IPv4) and 0..128 (IPv6). An IPv4-mapped IPv6 address counts as IPv4.
     */
    public static Optional<String> of(String address, int ipv4Prefix, int ipv6Prefix) {
        if (address == null || address.isBlank() || !looksLiteral(address)) {
            return Optional.empty();
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address.strip());
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        byte[] bytes = parsed.getAddress();
        int prefix;
        if (parsed instanceof Inet4Address) {
            prefix = clamp(ipv4Prefix, 32);
        } else if (parsed instanceof Inet6Address) {
            prefix = clamp(ipv6Prefix, 128);
        } else {
            return Optional.empty();
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** With the default prefix lengths. */
    public static Optional<String> of(String address) {
        return of(address, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX);
    }

    /** Hex digits, dots, colons (and a zone id): never a host name, so parsing never resolves anything. */
    private static boolean looksLiteral(String address) {
        String a = address.strip();
        int zone = a.indexOf('%');
        String body = zone >= 0 ? a.substring(0, zone) : a;
        return !body.isEmpty() && body.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                && (body.indexOf(':') >= 0 || body.chars().filter(c -> c == '.').count() == 3);
    }

    private static int clamp(int prefix, int max) {
        return Math.max(0, Math.min(max, prefix));
    }
}
