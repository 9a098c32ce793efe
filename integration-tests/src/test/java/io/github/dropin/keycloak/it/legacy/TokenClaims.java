package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payloads of the tokens both sides issued, compared by claim name and JSON type: an app that moves onto the pack
 * reads the claims its legacy tokens carried ({@code token_type} and {@code user_id} of SimpleJWT, {@code type},
 * {@code fresh} and {@code sub} of flask-jwt-extended), so each of them must be in the pack's token of the same kind
 * with the same type, or be explained by the allow-list's {@code claims} section. Claims only the pack's tokens
 * carry ({@code iss}, {@code azp}, ...) are reported, not compared.
 *
 * <p>Tokens are paired by the corpus variable that captured them on both sides; the kind of a token (access or
 * refresh) is the reference's {@code token_type} (SimpleJWT) or {@code type} (flask-jwt-extended) claim.
 */
final class TokenClaims {

    /** What one kind of token carries on each side: claim name to JSON type. */
    record Kind(String kind, Map<String, String> reference, Map<String, String> pack) {
    }

    /**
     * A claim of the reference's token that the pack's token of the same kind lacks ({@code pack} is
     * {@value #MISSING}) or carries with another JSON type.
     */
    record Finding(String kind, String claim, String reference, String pack) {
        @Override
        public String toString() {
            return kind + " token: " + claim + " (reference " + reference + ", pack " + pack + ")";
        }
    }

    static final String MISSING = "missing";

    private TokenClaims() {
    }

    /** Every kind of token found under the same variable on both sides, by kind. */
    static Map<String, Kind> compare(Side reference, Side ours) {
        Map<String, Kind> kinds = new TreeMap<>();
        for (Map.Entry<String, String> var : reference.vars.entrySet()) {
            String theirs = var.getValue();
            String mine = ours.vars.get(var.getKey());
            if (mine == null || theirs.split("\\.").length != 3 || mine.split("\\.").length != 3) {
                continue;
            }
            ObjectNode refPayload;
            ObjectNode ourPayload;
            try {
                refPayload = SignedJwt.payload(theirs);
                ourPayload = SignedJwt.payload(mine);
            } catch (RuntimeException notAJwt) {
                continue;
            }
            String kind = refPayload.path("token_type").asText(refPayload.path("type").asText("unknown"));
            Kind known = kinds.computeIfAbsent(kind, k -> new Kind(k, new TreeMap<>(), new TreeMap<>()));
            refPayload.fields().forEachRemaining(e -> known.reference().put(e.getKey(), type(e.getValue())));
            ourPayload.fields().forEachRemaining(e -> known.pack().put(e.getKey(), type(e.getValue())));
        }
        return kinds;
    }

    /** The reference's claims the pack lacks or types differently. */
    static List<Finding> findings(Map<String, Kind> kinds) {
        List<Finding> findings = new ArrayList<>();
        for (Kind kind : kinds.values()) {
            kind.reference().forEach((claim, type) -> {
                String ours = kind.pack().getOrDefault(claim, MISSING);
                if (!ours.equals(type)) {
                    findings.add(new Finding(kind.kind(), claim, type, ours));
                }
            });
        }
        return findings;
    }

    /** The JSON type of a claim's value, as JSON Schema names it. */
    static String type(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isObject()) {
            return "object";
        }
        return "null";
    }

    /** The report's lines for {@code kinds}. */
    static String describe(Map<String, Kind> kinds, Map<Finding, List<KnownDifferences.ClaimEntry>> explained,
                           List<Finding> unexplained) {
        StringBuilder text = new StringBuilder();
        for (Kind kind : kinds.values()) {
            text.append("  ").append(kind.kind()).append(" token\n    reference: ").append(kind.reference())
                    .append("\n    dialect:   ").append(kind.pack()).append('\n');
        }
        explained.forEach((finding, by) -> text.append("  ").append(by.get(0).pending() ? "PENDING " : "KNOWN ")
                .append(finding).append(" = ").append(by.stream().map(KnownDifferences.ClaimEntry::id).toList()).append('\n'));
        unexplained.forEach(finding -> text.append("  UNEXPLAINED ").append(finding).append('\n'));
        return text.toString();
    }

    /** {@code kinds} as JSON, for the docs. */
    static Map<String, Object> asJson(Map<String, Kind> kinds, List<Finding> findings) {
        Map<String, Object> json = new LinkedHashMap<>();
        kinds.values().forEach(kind -> json.put(kind.kind(), Map.of("reference", kind.reference(), "dialect", kind.pack())));
        json.put("findings", findings.stream().map(Finding::toString).toList());
        return json;
    }
}
