package io.github.dropin.keycloak.rest.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's {@code Content-Type} as Django and Django REST framework read it: type and subtype lower-cased,
 * parameters with lower-cased names and unquoted values ({@code django.http.multipartparser.parse_header}).
 *
 * @param type    e.g. {@code application}
 * @param subtype e.g. {@code json}
 * @param params  e.g. {@code charset=utf-8}
 */
record ContentType(String type, String subtype, Map<String, String> params) {

    /** The parsed header, or {@code null} when there is none or its type is blank. */
    static ContentType parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = splitParameters(header);
        String full = parts[0].strip().toLowerCase(Locale.ROOT);
        if (full.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\\", "\\").replace("\\\"", "\"");
            }
            params.put(name, value);
        }
        int slash = full.indexOf('/');
        return slash < 0 ? new ContentType(full, "", params)
                : new ContentType(full.substring(0, slash), full.substring(slash + 1), params);
    }

    /** The header split on {@code ;} outside quoted strings. */
    private static String[] splitParameters(String header) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts.toArray(new String[0]);
    }

    /**
     * DRF's {@code media_type_matches(parser_type, content_type)}: equal types and subtypes, {@code *} on either side
     * matching anything ({@code rest_framework.utils.mediatypes._MediaType.match}).
     */
    boolean matches(String parserType) {
        int slash = parserType.indexOf('/');
        String main = parserType.substring(0, slash);
        String sub = parserType.substring(slash + 1);
        return (sub.equals("*") || subtype.equals("*") || sub.equals(subtype))
                && (main.equals("*") || type.equals("*") || main.equals(type));
    }

    /** Flask's {@code request.is_json}: {@code application/json} or {@code application/*+json}. */
    boolean isFlaskJson() {
        return type.equals("application") && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    /**
     * The {@code charset} parameter if Java knows it (Django ignores one Python does not know), else UTF-8, Django's
     * {@code DEFAULT_CHARSET}.
     */
    Charset charset() {
        String name = params.get("charset");
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }
}
