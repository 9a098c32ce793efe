package io.github.dropin.keycloak.it;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Requests from other client addresses, for limits "per client": Keycloak listens on 127.0.0.1 and, without proxy
 * headers configured ({@link ServerOptions}), takes the socket's source address as the client's address. Linux
 * routes all of 127.0.0.0/8 to the loopback interface, so a socket bound to 127.0.0.2, 127.0.0.3, ... before it
 * connects is, to Keycloak, another client. Nothing is forged: the server sees exactly the address the connection
 * comes from, as it would behind no proxy.
 */
public final class Loopback {

    private Loopback() {
    }

    /** {@code 127.0.0.<host>}, {@code host} from 2 to 254 (1 is the tests' usual address). */
    public static String address(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("127.0.0." + host + " is not a usable loopback host address");
        }
        return "127.0.0." + host;
    }

    /** A REST Assured request whose connection comes from {@code 127.0.0.<host>}. */
    public static RequestSpecification from(int host) {
        InetAddress local;
        try {
            local = InetAddress.getByName(address(host));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // Apache HttpClient 4 (under REST Assured) binds the socket to this local address before connecting.
        return RestAssured.given().config(RestAssured.config().httpClient(
                HttpClientConfig.httpClientConfig().setParam("http.route.local-address", local)));
    }
}
