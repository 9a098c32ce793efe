package io.github.dropin.keycloak.rest.http;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.http.CallerAuthenticator;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One drop-in API: an id (its URL segment under {@code /realms/{realm}/}), a route table, and the conventions of
 * the framework the original was built on (error shapes, accepted bodies, authentication).
 * <p>
 * A dialect is a stateless singleton created by its factory; settings (realm attributes over SPI options) are read
 * on each request through {@link #settings(RealmModel)}.
 */
public abstract class Dialect {

    /** The SPI of the dialects' factories, whose options ({@code --spi-realm-restapi-extension--<id>--<key>}) they read. */
    public static final String SPI = "realm-restapi-extension";

    private volatile List<Route> served;

    /** The URL segment and provider id, e.g. {@code phone-otp}. */
    public abstract String id();

    /** Every endpoint of the dialect. */
    public abstract List<Route> routes();

    /**
     * What the dispatcher serves: {@link #routes()}, then {@code openapi.json}, the dialect's OpenAPI description
     * generated from them ({@link OpenApi}).
     */
    public final List<Route> served() {
        List<Route> all = served;
        if (all == null) {
            List<Route> list = new ArrayList<>(routes());
            list.add(OpenApi.route(this));
            all = List.copyOf(list);
            served = all;
        }
        return all;
    }

    /**
     * Whether the original's documentation writes paths with their final {@code /} (Django's habit), as the
     * OpenAPI description then does. The dispatcher serves both forms either way.
     */
    public boolean trailingSlash() {
        return true;
    }

    public ErrorStyle errors() {
        return ErrorStyle.DRF;
    }

    public BodyReader.Accepts accepts() {
        return BodyReader.Accepts.JSON_OR_FORM;
    }

    public CallerAuthenticator authenticator() {
        return CallerAuthenticator.NONE;
    }

    /** The seed's code rules (length, lifetime, limits), under the realm's and the server's settings. */
    public CodePolicy codeDefaults() {
        return CodePolicy.DEFAULTS;
    }

    /**
     * This dialect's settings for a realm: realm attributes {@code dropin.<id>.*} then {@code dropin.*}, then the
     * dialect's SPI options, then the code engine's SPI options.
     */
    public RealmSettings settings(RealmModel realm) {
        return RealmSettings.forCodes(realm, id(), SPI, id());
    }
}
