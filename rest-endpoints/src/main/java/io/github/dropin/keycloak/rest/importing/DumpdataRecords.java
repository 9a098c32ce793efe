package io.github.dropin.keycloak.rest.importing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.importing.FieldMapping;
import io.github.dropin.keycloak.importing.ImportItem;
import io.github.dropin.keycloak.importing.ItemReader;
import io.github.dropin.keycloak.rest.http.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of a Django {@code dumpdata} JSON file ({@code [{"model": "auth.user", "pk": 7, "fields": {...}}, ...]})
 * as import items, read with Keycloak's Jackson streaming parser one object at a time, so that memory stays flat
 * whatever the file's size. Objects of the user model become users through the {@link FieldMapping} (the primary key
 * as field {@code pk}), objects of the group model ({@code auth.group}) groups, objects of DRF's token model
 * ({@code authtoken.token}) legacy keys, objects of SimpleJWT's blacklist app ({@code token_blacklist}) refresh
 * tokens to refuse, everything else is skipped.
 * <p>
 * JSON values reach the mapping as plain Java values (strings, booleans, longs, lists), so that the core needs no JSON
 * library. A file that is not a JSON array fails at once; one that breaks part-way ends the stream with an
 * {@link UncheckedIOException} naming the line and column (what was read before it is imported).
 */
final class DumpdataRecords extends ItemReader {

    /** SimpleJWT's blacklist app ({@code rest_framework_simplejwt.token_blacklist}): its fixed model labels. */
    static final String OUTSTANDING_MODEL = "token_blacklist.outstandingtoken";
    static final String BLACKLISTED_MODEL = "token_blacklist.blacklistedtoken";

    private final JsonParser parser;
    private final String userModel;
    private final String groupModel;
    private final String tokenModel;
    private final FieldMapping mapping;
    private int row;

    /**
     * @param firstRow the number of the file's first object (a part of a larger file starts where the last ended)
     * @throws IOException when the input does not start a JSON array
     */
    DumpdataRecords(InputStream in, String userModel, String groupModel, String tokenModel, FieldMapping mapping,
                    int firstRow) throws IOException {
        this.parser = Json.MAPPER.getFactory().createParser(in);
        this.userModel = userModel;
        this.groupModel = groupModel;
        this.tokenModel = tokenModel;
        this.mapping = mapping;
        this.row = firstRow - 1;
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_ARRAY) {
            throw new JsonProcessingException("a dumpdata file is a JSON array of objects, not "
                    + (first == null ? "empty" : first.asString() == null ? first.name() : first.asString()),
                    parser.currentLocation()) {
            };
        }
    }

    @Override
    protected ImportItem read() {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                finish();
                return null;
            }
            row++;
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return new ImportItem.Unreadable(row, null, "not an object");
            }
            JsonNode object = parser.readValueAsTree();
            String model = object.path("model").asText("");
            JsonNode pk = object.get("pk");
            JsonNode fields = object.path("fields");
            if (model.equals(userModel)) {
                Map<String, Object> record = new LinkedHashMap<>();
                fields.fields().forEachRemaining(e -> record.put(e.getKey(), plain(e.getValue())));
                if (pk != null) {
                    record.put("pk", plain(pk));
                }
                return mapping.toUser(row, record);
            }
            if (model.equals(groupModel)) {
                if (pk == null || !pk.canConvertToLong() || pk.asLong() < 1) {
                    return new ImportItem.Unreadable(row, pk == null ? null : pk.asText(),
                            "group without a positive integer pk (dump without --natural-primary)");
                }
                return new ImportItem.Group(row, pk.asLong(), fields.path("name").asText(null));
            }
            if (model.equals(tokenModel)) {
                return token(pk, fields.get("user"));
            }
            if (model.equals(OUTSTANDING_MODEL) && pk != null && pk.canConvertToLong()) {
                return new ImportItem.OutstandingRefreshToken(row, pk.asLong(), fields.path("jti").asText(null),
                        epochSeconds(fields.path("expires_at").asText("")));
            }
            if (model.equals(BLACKLISTED_MODEL) && fields.path("token").canConvertToLong()) {
                return new ImportItem.BlacklistedRefreshToken(row, fields.path("token").asLong());
            }
            if (model.equals(OUTSTANDING_MODEL) || model.equals(BLACKLISTED_MODEL)) {
                return new ImportItem.Unreadable(row, null, model + " without its integer primary key or token");
            }
            return new ImportItem.Skipped(row, model);
        } catch (IOException e) {
            finish();
            JsonLocation at = parser.currentLocation();
            // The record being read when the file broke is not counted: the ones before it were read whole.
            throw new UncheckedIOException("JSON parse error at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + " (after record " + (row - 1) + "): " + originalMessage(e), e);
        }
    }

    /**
     * DRF's {@code Token}: the key is the primary key, {@code user} the user's primary key, or its natural key
     * ({@code ["username"]}) in a dump with {@code --natural-foreign}.
     */
    private ImportItem token(JsonNode pk, JsonNode user) {
        String key = pk == null || !pk.isTextual() ? null : pk.textValue();
        if (key == null || key.isBlank()) {
            return new ImportItem.Unreadable(row, null, "token without its key (the pk; dump without --natural-primary)");
        }
        if (user != null && user.canConvertToLong() && user.asLong() > 0) {
            return new ImportItem.Token(row, key, user.asLong(), null);
        }
        if (user != null && user.isArray() && user.size() == 1 && user.get(0).isTextual()) {
            return new ImportItem.Token(row, key, null, user.get(0).textValue());
        }
        return new ImportItem.Unreadable(row, null, "token without its user (a primary key or [\"username\"])");
    }

    /**
     * A Django {@code DateTimeField} as dumpdata writes it ({@code 2026-12-05T05:24:40.123Z}, another offset, or
     * without one where {@code USE_TZ} is off: read as UTC), in epoch seconds; {@code null} when unreadable.
     */
    static Long epochSeconds(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toEpochSecond();
        } catch (java.time.format.DateTimeParseException offsetMissing) {
            try {
                return java.time.LocalDateTime.parse(text).toEpochSecond(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** A JSON value as a plain Java value. */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue() : node.asText();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }
}
