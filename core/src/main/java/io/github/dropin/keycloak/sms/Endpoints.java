package io.github.dropin.keycloak.sms;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The operator's allow-list of endpoints a network sender may be pointed at by a realm (SPI option
 * {@code --spi-sms-sender--<provider>--allowed-endpoints}, never a realm attribute), and the rule for sending
 * credentials over plain http.
 * <p>
 * Entries, comma-separated:
 * <ul>
 *     <li>a host name, e.g. {@code sms.example.com}, or {@code *.example.com} for its subdomains: that host on any port
 *         and path, over https (plain http only without credentials);</li>
 *     <li>a URL prefix, e.g. {@code https://sms.example.com:8443/acme}: same scheme, same host, the same port if the
 *         entry names one, and a path at or below the entry's. Compared part by part, so
 *         {@code https://sms.example.com} does not admit {@code https://sms.example.com.evil.test}. An entry with
 *         {@code http://} also lets credentials travel over plain http to what it matches (a gateway on a private
 *         network).</li>
 * </ul>
 * Without entries, realms use the server's endpoints only. Credentials go over plain http only to loopback
 * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}, recognised by name, without a DNS lookup) or to a URL an
 * {@code http://} entry matches.
 */
final class Endpoints {

    /** SPI option of each network sender ({@code --spi-sms-sender--<provider>--allowed-endpoints}). */
    static final String ALLOWED_ENDPOINTS = "allowedEndpoints";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Entry(String scheme, String host, boolean subdomains, int port, String path) {

        boolean matches(URI uri) {
            if (scheme != null && !scheme.equals(Endpoints.scheme(uri))) {
                return false;
            }
            String target = Endpoints.host(uri);
            boolean hostMatches = subdomains ? target.endsWith("." + host) : target.equals(host);
            if (!hostMatches || (port != -1 && port != uri.getPort())) {
                return false;
            }
            String targetPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            return path.isEmpty() || targetPath.equals(path) || targetPath.startsWith(path + "/");
        }
    }

    private final List<Entry> entries;

    private Endpoints(List<Entry> entries) {
        this.entries = entries;
    }

    /** The allow-list of option value {@code value} (may be {@code null}); entries that are not valid are skipped. */
    static Endpoints parse(String value) {
        List<Entry> entries = new ArrayList<>();
        if (value != null) {
            for (String raw : value.split(",")) {
                String item = raw.strip().toLowerCase(Locale.ROOT);
                if (item.isEmpty()) {
                    continue;
                }
                Entry entry = item.contains("://") ? urlEntry(item) : hostEntry(item);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return new Endpoints(List.copyOf(entries));
    }

    private static Entry hostEntry(String item) {
        boolean subdomains = item.startsWith("*.");
        String host = subdomains ? item.substring(2) : item;
        return host.isEmpty() || host.contains("/") || host.contains("*") ? null : new Entry(null, host, subdomains, -1, "");
    }

    private static Entry urlEntry(String item) {
        try {
            URI uri = URI.create(item.endsWith("/") ? item.substring(0, item.length() - 1) : item);
            String scheme = scheme(uri);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                return null;
            }
            return new Entry(scheme, host(uri), false, uri.getPort(), uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether a realm may point the sender at {@code uri}. */
    boolean allows(URI uri) {
        return entries.stream().anyMatch(e -> e.matches(uri));
    }

    /** Whether credentials may be sent to {@code uri}: https, loopback, or an {@code http://} entry's match. */
    boolean mayCarryCredentials(URI uri) {
        return scheme(uri).equals("https") || isLoopback(host(uri))
                || entries.stream().anyMatch(e -> "http".equals(e.scheme()) && e.matches(uri));
    }

    /** {@code localhost}, an IPv4 literal in 127.0.0.0/8 or the IPv6 literal {@code ::1}; no name is resolved. */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost")) {
            return true;
        }
        if (IPV4.matcher(name).matches()) {
            String[] octets = name.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(octets[0]) == 127;
        }
        if (name.contains(":")) {
            try {
                // In brackets, InetAddress only parses an IPv6 literal and never asks DNS.
                return InetAddress.getByName("[" + name + "]").isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }
}
