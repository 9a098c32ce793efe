package io.github.dropin.keycloak.benchmark;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The soak section of RESULTS.md (see {@link SoakSimulation}). */
final class SoakSection {

    private SoakSection() {
    }

    static String render(List<JsonNode> runs) {
        return "";
    }
}
