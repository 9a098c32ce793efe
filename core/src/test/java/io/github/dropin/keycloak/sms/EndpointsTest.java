package io.github.dropin.keycloak.sms;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's allow-list of realm endpoints and the plain-http rule for credentials. */
class EndpointsTest {

    static final Endpoints LIST = Endpoints.parse(" sms.example.com, *.gateways.example.org ,"
            + "https://api.twilio.com/proxy/ , http://10.0.0.5:8080/sms, not a url://, ,ftp://x.example");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A host name: any port, any path, any scheme.
            "https://sms.example.com/send, true",
            "https://SMS.example.com:8443/x, true",
            "http://sms.example.com/send, true",
            "https://sms.example.com.evil.test/send, false",
            "https://evilsms.example.com/send, false",
            // Subdomains only, not the domain itself.
            "https://eu.gateways.example.org/send, true",
            "https://gateways.example.org/send, false",
            // A URL prefix: scheme, host, path at or below; any port when the entry names none.
            "https://api.twilio.com/proxy, true",
            "https://api.twilio.com/proxy/2010-04-01, true",
            "https://api.twilio.com/proxying, false",
            "https://api.twilio.com, false",
            "http://api.twilio.com/proxy, false",
            // The port when the entry names one.
            "http://10.0.0.5:8080/sms/send, true",
            "http://10.0.0.5:8081/sms/send, false",
            "https://10.0.0.5:8080/sms, false",
            "https://x.example/, false",
    })
    void realmsMayUseWhatAnEntryMatches(String url, boolean allowed) {
        assertThat(LIST.allows(URI.create(url))).isEqualTo(allowed);
    }

    @Test
    void withoutEntriesRealmsUseTheServersEndpointsOnly() {
        assertThat(Endpoints.parse(null).isEmpty()).isTrue();
        assertThat(Endpoints.parse(" , ").allows(URI.create("https://sms.example.com"))).isFalse();
        assertThat(Endpoints.parse(null).allows(URI.create("http://127.0.0.1:8080/"))).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://anywhere.example/send, true",
            "http://127.0.0.1:9000/send, true",
            "http://127.8.9.10/send, true",
            "http://localhost:8080/send, true",
            "http://[::1]:8080/send, true",
            // Plain http to anything else only where an http:// entry says so.
            "http://sms.example.com/send, false",
            "http://10.0.0.5:8080/sms/send, true",
            "http://10.0.0.5:8080/other, false",
            "http://0.0.0.0:8080/send, false",
            "http://localhost.example.com/send, false",
            "http://127.0.0.1.nip.io/send, false",
            "http://[::ffff:10.0.0.1]/send, false",
    })
    void credentialsTravelOverHttpsOrToLoopback(String url, boolean may) {
        assertThat(LIST.mayCarryCredentials(URI.create(url))).isEqualTo(may);
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.0.0.1", "127.0.0.256", "::2", "gateway", "[::1"})
    void onlyLiteralLoopbackAddressesAndLocalhostAreLoopback(String host) {
        assertThat(Endpoints.isLoopback(host)).isFalse();
    }
}
