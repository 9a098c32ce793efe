package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.TestRealm;

import java.util.HashMap;
import java.util.Map;

/** Helpers the delivery tests share. */
final class Delivery {

    private Delivery() {
    }

    /**
     * Sets realm attributes while {@code body} runs, then restores what was there (an empty value where there was
     * none, which the pack reads as unset). Attributes take effect on the next request, without a restart.
     */
    static void withAttributes(TestRealm realm, Map<String, String> attributes, Runnable body) {
        JsonNode before = realm.admin().realm().path("attributes");
        Map<String, String> previous = new HashMap<>();
        attributes.keySet().forEach(k -> previous.put(k, before.path(k).asText("")));
        realm.admin().updateRealmAttributes(attributes);
        try {
            body.run();
        } finally {
            realm.admin().updateRealmAttributes(previous);
        }
    }
}
