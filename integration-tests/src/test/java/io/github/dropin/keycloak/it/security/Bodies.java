package io.github.dropin.keycloak.it.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON request bodies written by a plain Jackson mapper. REST Assured's own mapping of a {@code Map} body looks up every
 * Jackson module on the test classpath, and one of them (jakarta-xmlbind annotations, via the admin client) fails
 * against the older jakarta.xml.bind API that swagger-parser brings; a body serialised here never meets it.
 */
final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {
    }

    static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
