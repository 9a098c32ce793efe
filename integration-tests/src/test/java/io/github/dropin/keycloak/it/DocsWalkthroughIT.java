package io.github.dropin.keycloak.it;

import io.github.dropin.keycloak.it.docs.DocPages;
import io.github.dropin.keycloak.it.docs.Replay;
import io.github.dropin.keycloak.it.docs.Walkthrough;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every curl walk-through of the documentation ({@code ```console} blocks in README.md and docs/, format in
 * {@link Walkthrough}) replayed against the demo realm ({@code docker/import/demo-realm.json}, what
 * {@code ./run.sh} imports) on the test server: each request as written, each answer compared with the page field
 * by field, each SMS and email the page shows read from the {@code log} senders' lines. A page whose answer no
 * longer matches fails here.
 *
 * <p>The pages run in file order on one realm, as a reader would try them on one demo, so they must not step on
 * each other (each uses its own users and numbers).
 */
@ExtendWith(KeycloakExtension.class)
class DocsWalkthroughIT {

    private static KeycloakServer server;
    private static TestRealm demo;

    @BeforeAll
    static void importDemo(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        String json = Files.readString(DocPages.ROOT.resolve("docker/import/demo-realm.json"));
        RealmFixture.Prepared prepared = RealmFixture.prepare(json, Replay.DEMO_REALM,
                UUID.randomUUID().toString().substring(0, 6));
        AdminApi.expect(RestAssured.given().baseUri(server.serverUrl()).auth().oauth2(server.adminToken())
                .contentType(ContentType.JSON).body(prepared.json()).post("/admin/realms"), 201, "import demo realm");
        demo = new TestRealm(server, prepared.name());
    }

    @AfterAll
    static void cleanUp() {
        if (demo != null) {
            demo.admin().deleteRealm();
        }
    }

    @TestFactory
    List<DynamicNode> everyWalkthroughOfTheDocs() {
        List<DynamicNode> pages = new ArrayList<>();
        for (Path page : DocPages.all()) {
            List<Walkthrough> walkthroughs = Walkthrough.in(page);
            if (walkthroughs.isEmpty()) {
                continue;
            }
            // One replay per page: later blocks of a page use what earlier ones captured.
            Replay replay = new Replay(server.serverUrl(), demo.name(), server.log());
            List<DynamicTest> tests = new ArrayList<>();
            for (Walkthrough walkthrough : walkthroughs) {
                tests.add(DynamicTest.dynamicTest(DocPages.relative(page) + ":" + walkthrough.line(),
                        page.toUri(), () -> replay.run(walkthrough)));
            }
            pages.add(DynamicContainer.dynamicContainer(DocPages.relative(page), page.toUri(), tests.stream()));
        }
        assertThat(pages).as("pages with walk-throughs").hasSizeGreaterThanOrEqualTo(5);
        return pages;
    }
}
