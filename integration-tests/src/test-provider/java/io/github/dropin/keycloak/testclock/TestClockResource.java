package io.github.dropin.keycloak.testclock;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.Map;

/**
 * TEST ONLY. {@code GET /admin/realms/master/dropin-test-time/offset} gives this node's clock offset in seconds,
 * {@code PUT} with {@code {"offset": 3600}} sets it: {@code Time.setOffset}, which every expiry Keycloak checks in
 * its own code reads (tokens, sessions, action tokens, login failures).
 * <p>
 * What lives in Keycloak's embedded Infinispan caches (the single-use object store behind one-time codes, cooldowns
 * and limit slots) expires on Infinispan's clock instead. The test servers therefore run with
 * {@code --spi-connections-infinispan--default--use-keycloak-time-service=true}, Keycloak's own switch that makes
 * Infinispan read {@code Time} too (the harness adds it together with this jar).
 * <p>
 * The clock is the whole JVM's, so only the master realm has this resource, and only for administrators who may
 * manage it.
 */
public class TestClockResource {

    private static final Logger LOG = Logger.getLogger(TestClockResource.class);

    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    TestClockResource(RealmModel realm, AdminPermissionEvaluator auth) {
        this.realm = realm;
        this.auth = auth;
    }

    @GET
    @Path("offset")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Integer> offset() {
        requireMasterAdmin();
        return Map.of("offset", Time.getOffset());
    }

    @PUT
    @Path("offset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Integer> setOffset(Map<String, Integer> body) {
        requireMasterAdmin();
        Integer offset = body == null ? null : body.get("offset");
        if (offset == null) {
            throw new BadRequestException("body must be {\"offset\": <seconds>}");
        }
        Time.setOffset(offset);
        LOG.infof("Clock offset set to %d s by the test-only provider", offset);
        return Map.of("offset", Time.getOffset());
    }

    private void requireMasterAdmin() {
        if (!Config.getAdminRealm().equals(realm.getName())) {
            throw new NotFoundException();
        }
        auth.realm().requireManageRealm();
    }
}
