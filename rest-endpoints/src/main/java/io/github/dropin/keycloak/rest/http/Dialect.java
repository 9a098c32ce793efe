package io.github.dropin.keycloak.rest.http;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One drop-in API: an id (its URL segment under {@code /realms/{realm}/}), a route table, and the conventions of
 * the framework the original was built on (error shapes, accepted bodies, authentication, the seed's code rules).
 * <p>
 * A dialect is a stateless singleton created by its factory; settings (realm attributes over SPI options) are read
 * on each request through {@link #settings(RealmModel)}. A subclass passes its id and conventions to the constructor
 * and its routes to {@link #serve}.
 */
public abstract class Dialect {

    /** The SPI of the dialects' factories, whose options ({@code --spi-realm-restapi-extension--<id>--<key>}) they read. */
    public static final String SPI = "realm-restapi-extension";

    /**
     * How the original framework behaved around the endpoints.
     *
     * @param errors        error bodies ({@link ErrorStyle#DRF} unless the seed had its own)
     * @param accepts       request bodies the original parsed
     * @param authenticator how protected routes authenticate callers
     * @param codeDefaults  the seed's code rules (length, lifetime, limits), under the realm's and the server's settings
     * @param trailingSlash whether the seed writes its paths with their final {@code /} (Django's habit), as the
     *                      OpenAPI description then does; the dispatcher serves both forms either way
     */
    public record Conventions(ErrorStyle errors, BodyReader.Accepts accepts, CallerAuthenticator authenticator,
                              CodePolicy codeDefaults, boolean trailingSlash) {

        /** Django REST framework's: DRF errors, JSON and form bodies, no authentication, the pack's code rules. */
        public static final Conventions DRF = new Conventions(ErrorStyle.DRF, BodyReader.Accepts.JSON_OR_FORM,
                CallerAuthenticator.NONE, CodePolicy.DEFAULTS, true);

        public Conventions errors(ErrorStyle style) {
            return new Conventions(style, accepts, authenticator, codeDefaults, trailingSlash);
        }

        public Conventions accepts(BodyReader.Accepts bodies) {
            return new Conventions(errors, bodies, authenticator, codeDefaults, trailingSlash);
        }

        public Conventions authenticator(CallerAuthenticator callers) {
            return new Conventions(errors, accepts, callers, codeDefaults, trailingSlash);
        }

        public Conventions codeDefaults(CodePolicy policy) {
            return new Conventions(errors, accepts, authenticator, policy, trailingSlash);
        }

        public Conventions trailingSlash(boolean documented) {
            return new Conventions(errors, accepts, authenticator, codeDefaults, documented);
        }
    }

    private final String id;
    private final Conventions conventions;
    private final List<Setting> options;
    private List<Route> routes = List.of();
    private List<Route> served = List.of();

    /**
     * @param options the dialect's own settings beyond {@link Call#CLIENT_ID} and {@link LegacyIds#SETTING} (which
     *                every dialect has), with their
     *                defaults: realm attributes {@code dropin.<id>.<key>} and SPI options
     *                {@code --spi-realm-restapi-extension--<id>--<key>}
     */
    protected Dialect(String id, Conventions conventions, List<Setting> options) {
        this.id = id;
        this.conventions = conventions;
        List<Setting> all = new ArrayList<>();
        all.add(Setting.text(Call.CLIENT_ID, id, "OIDC client whose sessions and tokens the dialect issues."));
        all.add(Setting.flag(LegacyIds.SETTING, false, "Show users' legacy ids (imported legacyId; the next integer "
                + "for new users) instead of Keycloak's in bodies, paths and token claims."));
        all.addAll(options);
        this.options = List.copyOf(all);
    }

    /** Sets the route table; called once from the subclass's constructor. */
    protected final void serve(List<Route> table) {
        this.routes = List.copyOf(table);
        List<Route> all = new ArrayList<>(routes);
        all.add(OpenApi.route(this));
        this.served = List.copyOf(all);
    }

    /** The URL segment and provider id, e.g. {@code phone-otp}. */
    public final String id() {
        return id;
    }

    /** Every endpoint of the dialect. */
    public final List<Route> routes() {
        return routes;
    }

    /**
     * What the dispatcher serves: {@link #routes()}, then {@code openapi.json}, the dialect's OpenAPI description
     * generated from them ({@link OpenApi}).
     */
    public final List<Route> served() {
        return served;
    }

    public final ErrorStyle errors() {
        return conventions.errors();
    }

    public final BodyReader.Accepts accepts() {
        return conventions.accepts();
    }

    public final CallerAuthenticator authenticator() {
        return conventions.authenticator();
    }

    public final CodePolicy codeDefaults() {
        return conventions.codeDefaults();
    }

    /** Whether the OpenAPI description writes paths with their final {@code /}, as the seed does. */
    public final boolean trailingSlash() {
        return conventions.trailingSlash();
    }

    /** Every setting the dialect reads, with its default. */
    public final List<Setting> options() {
        return options;
    }

    /**
     * This dialect's settings for a realm: realm attributes {@code dropin.<id>.*} then {@code dropin.*}, then the
     * dialect's SPI options, then the code engine's SPI options.
     */
    public RealmSettings settings(RealmModel realm) {
        return RealmSettings.forCodes(realm, id, SPI, id);
    }
}
