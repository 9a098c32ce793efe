package io.github.dropin.keycloak.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientNetworkTest {

    @Test
    void ipv4IsOneAddressByDefault() {
        assertThat(ClientNetwork.of("203.0.113.7")).contains("203.0.113.7/32");
        assertThat(ClientNetwork.of("203.0.113.7", 24, 64)).contains("203.0.113.0/24");
    }

    @Test
    void ipv6IsGroupedBySlash64() {
        assertThat(ClientNetwork.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).contains("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientNetwork.of("2001:db8:1:2::1")).isEqualTo(ClientNetwork.of("2001:db8:1:2:ffff::9"));
        assertThat(ClientNetwork.of("2001:db8:1:3::1")).isNotEqualTo(ClientNetwork.of("2001:db8:1:2::1"));
        assertThat(ClientNetwork.of("2001:db8:1:2::1", 32, 48)).contains("2001:db8:1:0:0:0:0:0/48");
    }

    @Test
    void ipv4MappedIpv6CountsAsIpv4() {
        assertThat(ClientNetwork.of("::ffff:203.0.113.7")).contains("203.0.113.7/32");
    }

    @Test
    void namesAndGarbageAreNotNetworksAndAreNeverResolved() {
        assertThat(ClientNetwork.of("localhost")).isEmpty();
        assertThat(ClientNetwork.of("example.com")).isEmpty();
        assertThat(ClientNetwork.of("")).isEmpty();
        assertThat(ClientNetwork.of(null)).isEmpty();
        assertThat(ClientNetwork.of("1.2.3")).isEmpty();
    }

    @Test
    void prefixLengthsAreClamped() {
        assertThat(ClientNetwork.of("203.0.113.7", 99, 999)).contains("203.0.113.7/32");
        assertThat(ClientNetwork.of("203.0.113.7", -1, 64)).contains("0.0.0.0/0");
    }
}
