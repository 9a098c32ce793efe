package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.dropin.keycloak.metrics.PackMetrics;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The JAX-RS face of a dialect: every method and path under {@code /realms/{realm}/{dialect}} arrives here and is
 * dispatched through the dialect's route table ({@link Dialect#served()}: its routes and its {@code openapi.json}),
 * so that every answer, including 404, 405, 413 and 415, is in the dialect's own shape, and paths are served with
 * and without their trailing slash.
 * <p>
 * Order of checks follows Django REST framework: route, authentication (401), method (405), body size (413),
 * media type (415), parsing (400), field validation (400), handler. Every error answer rolls the Keycloak
 * transaction back, so a failed request changes nothing.
 * <p>
 * Bodies are read raw from RESTEasy Reactive's request context rather than through a JAX-RS entity parameter: an
 * entity parameter makes RESTEasy parse the {@code Content-Type} first and refuse a malformed one ({@code foo},
 * {@code ;;;}) with its own 400, which Keycloak's security-header filter then turns into a 500 (checked in 26.7.3).
 * This way the dispatcher sees every body and answers in the dialect's shape ({@link BodyReader},
 * {@link SecurityHeaders}).
 */
@Produces(MediaType.APPLICATION_JSON)
public class DialectResource {

    private static final Logger LOG = Logger.getLogger(DialectResource.class);

    private final KeycloakSession session;
    private final Dialect dialect;

    public DialectResource(KeycloakSession session, Dialect dialect) {
        this.session = session;
        this.dialect = dialect;
    }

    @GET
    public Response getRoot() {
        return dispatch("GET", "", null);
    }

    @GET
    @Path("{path: .*}")
    public Response get(@PathParam("path") String path) {
        return dispatch("GET", path, null);
    }

    @POST
    public Response postRoot(@Context ServerRequestContext request) {
        return dispatch("POST", "", request.getInputStream());
    }

    @POST
    @Path("{path: .*}")
    public Response post(@PathParam("path") String path, @Context ServerRequestContext request) {
        return dispatch("POST", path, request.getInputStream());
    }

    @PUT
    @Path("{path: .*}")
    public Response put(@PathParam("path") String path, @Context ServerRequestContext request) {
        return dispatch("PUT", path, request.getInputStream());
    }

    @PATCH
    @Path("{path: .*}")
    public Response patch(@PathParam("path") String path, @Context ServerRequestContext request) {
        return dispatch("PATCH", path, request.getInputStream());
    }

    @DELETE
    @Path("{path: .*}")
    public Response delete(@PathParam("path") String path, @Context ServerRequestContext request) {
        return dispatch("DELETE", path, request.getInputStream());
    }

    @OPTIONS
    @Path("{path: .*}")
    public Response options(@PathParam("path") String path) {
        return dispatch("OPTIONS", path, null);
    }

    Response dispatch(String method, String path, InputStream body) {
        long started = System.nanoTime();
        ErrorStyle style = dialect.errors();
        Match match = match(path);
        Response response;
        try {
            response = serve(method, match, body);
        } catch (ApiError e) {
            response = e.render(style);
        } catch (WebApplicationException e) {
            response = e.getResponse();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Dialect '%s': unexpected failure on %s /%s", dialect.id(), method, path);
            response = style.serverError();
        }
        if (response.getStatus() >= 400) {
            session.getTransactionManager().setRollbackOnly();
        }
        Response guarded = SecurityHeaders.guard(session, response);
        // By route template, never by path: the label values stay the route table's.
        PackMetrics.dialectRequest(dialect.id(), match == null ? null : match.route().path(), method,
                guarded.getStatus(), System.nanoTime() - started);
        return guarded;
    }

    /** A route of the dialect and the path parameters it took from the request's path. */
    private record Match(Route route, Map<String, String> params) {
    }

    /** The first route of the dialect that {@code path} matches, {@code null} if none. */
    private Match match(String path) {
        String[] segments = segments(path);
        if (segments != null) {
            for (Route candidate : dialect.served()) {
                Map<String, String> params = candidate.match(segments);
                if (params != null) {
                    return new Match(candidate, params);
                }
            }
        }
        return null;
    }

    private Response serve(String method, Match match, InputStream bodyStream) throws ApiError {
        if (match == null) {
            throw ApiError.notFound();
        }
        Route route = match.route();
        Map<String, String> params = match.params();
        RealmModel realm = session.getContext().getRealm();
        Call preliminary = new Call(session, realm, dialect, params, Input.EMPTY, null, null);
        // DRF authenticates every method of a view that needs it, OPTIONS included.
        Principal principal;
        try {
            principal = route.requiresAuth(method) ? dialect.authenticator().authenticate(preliminary) : null;
        } catch (ApiError refused) {
            if (!method.equals("OPTIONS")) {
                throw refused;
            }
            // DRF sends Allow with every answer of a view; a client reads it on the answer to OPTIONS.
            Route asked = route;
            throw ApiError.of(s -> Response.fromResponse(refused.render(s))
                    .header(HttpHeaders.ALLOW, ErrorStyle.allowHeader(asked.methods())).build());
        }
        if (method.equals("OPTIONS")) {
            return dialect.errors().options(route.path(), route.methods(), dialect.accepts() == BodyReader.Accepts.JSON_ONLY
                    ? List.of(BodyReader.JSON_TYPE)
                    : List.of(BodyReader.JSON_TYPE, BodyReader.FORM_TYPE, BodyReader.MULTIPART_TYPE));
        }

        Route.Operation operation = route.operation(method);
        if (operation == null) {
            Route allowed = route;
            throw ApiError.of(s -> s.methodNotAllowed(method, allowed.methods()));
        }

        byte[] bytes = BodyReader.readLimited(bodyStream, dialect.errors());
        String contentType = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean form = dialect.accepts() == BodyReader.Accepts.JSON_OR_FORM && BodyReader.isForm(contentType);
        if (form && bytes.length == 0 && BodyReader.isFormEncoded(contentType)) {
            // Keycloak's HTTP layer parses form bodies before resources run, leaving the stream empty.
            bytes = BodyReader.encodeForm(session.getContext().getHttpRequest().getDecodedFormParameters());
            if (bytes.length > BodyReader.MAX_BYTES) {
                throw ApiError.of(s -> s.tooLarge(BodyReader.MAX_BYTES));
            }
        }
        JsonNode body;
        Input input;
        if (operation.fields().isEmpty() && bytes.length == 0) {
            body = JsonNodeFactory.instance.objectNode();
            input = Input.EMPTY;
        } else {
            // Multipart bodies of POST, PUT and PATCH are parsed by Keycloak's HTTP layer too.
            body = form && bytes.length == 0 && !BodyReader.isFormEncoded(contentType)
                    ? Multipart.fields(session.getContext().getHttpRequest().getMultiPartFormParameters())
                    : BodyReader.parse(bytes, contentType, dialect.accepts(), dialect.errors());
            input = operation.fields().isEmpty() ? Input.EMPTY
                    : Validator.validate(body, operation.fields(), form, operation.collectsFieldErrors());
        }
        Response response = operation.handler().handle(new Call(session, realm, dialect, params, input, body, principal));
        if (input.hasErrors() && response.getStatus() < 400) {
            throw new IllegalStateException("the handler of " + method + " " + route.path() + " ignored failed fields");
        }
        return response;
    }

    /** The request path split into segments, one trailing slash ignored; {@code null} if it has empty segments. */
    static String[] segments(String path) {
        String p = path == null ? "" : path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return new String[0];
        }
        String[] parts = p.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return null;
            }
        }
        return parts;
    }
}
