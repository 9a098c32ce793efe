package io.github.dropin.keycloak.it.badinput;

import java.util.List;

/**
 * One generated request and what its answer may be.
 *
 * @param dialect  the dialect id
 * @param endpoint {@code METHOD path} of the route it aims at, for the report
 * @param method   the request method as sent
 * @param target   the request target as sent (raw: may be malformed on purpose)
 * @param headers  extra headers, name and value
 * @param body     the body, or {@code null} for none
 * @param what     what was mutated, for failure messages
 * @param expect   what the answer may be
 * @param control  for {@link Expect#KEYCLOAK_LAYER}: the same request aimed at Keycloak's own token endpoint instead
 *                 of the dialect, whose answer it must match; else {@code null}
 * @param controlMethod the method of the control request: the probe's own, or POST where Keycloak's layer treats
 *                 the probe's method as it treats POST (form bodies of PUT and PATCH) and the token endpoint serves
 *                 only POST
 */
record Probe(String dialect, String endpoint, String method, String target, List<String[]> headers, byte[] body,
             String what, Expect expect, String control, String controlMethod) {

    Probe(String dialect, String endpoint, String method, String target, List<String[]> headers, byte[] body,
          String what, Expect expect, String control) {
        this(dialect, endpoint, method, target, headers, body, what, expect, control, method);
    }

    Probe(String dialect, String endpoint, String method, String target, List<String[]> headers, byte[] body,
          String what, Expect expect) {
        this(dialect, endpoint, method, target, headers, body, what, expect, null);
    }

    /** What a probe's answer may be. In every case: no 5xx, and a 4xx body in the dialect's shape. */
    enum Expect {
        /** The input is invalid: the answer must be a 4xx. */
        REJECTED,
        /** The input may be valid (e.g. an unusual but legal string): a 2xx is allowed too. */
        EITHER,
        /**
         * Refused by Keycloak's HTTP layer before any provider code runs: over the HTTP server's limits (a header
         * block over 64 KiB), a malformed percent-encoding, a path Keycloak's normalization filter refuses
         * ({@code //}, {@code /..}, {@code ;}), a method no JAX-RS resource declares ({@code FOO}, {@code TRACE}),
         * a body declared {@code multipart/form-data} that is not, a form over Quarkus's limits. The answer
         * must be the one Keycloak's own token endpoint gives to the same request ({@link Probe#control()}), and a
         * 4xx unless Keycloak's own endpoint fails too (then it is reported as Keycloak's, not the pack's).
         */
        KEYCLOAK_LAYER;

        Expect and(Expect other) {
            return this == REJECTED || other == REJECTED ? REJECTED : EITHER;
        }
    }

    @Override
    public String toString() {
        String shown = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + " chars)" : target;
        return dialect + " " + endpoint + " <- " + what + " [" + method + " " + shown + "]";
    }
}
