package io.github.dropin.keycloak.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Temporary skeleton resource; replaced by the dialects. */
public class PingResourceProviderFactory implements RealmResourceProviderFactory, RealmResourceProvider {
    public static final String PROVIDER_ID = "phone-otp";

    @Override public RealmResourceProvider create(KeycloakSession session) { return this; }
    @Override public void init(Config.Scope config) { }
    @Override public void postInit(KeycloakSessionFactory factory) { }
    @Override public void close() { }
    @Override public String getId() { return PROVIDER_ID; }
    @Override public Object getResource() { return new Ping(); }

    public static class Ping {
        @GET @Path("{path: .*}") @Produces(MediaType.APPLICATION_JSON)
        public Response ping() { return Response.ok("{\"ping\":\"pong\"}").build(); }
    }
}
