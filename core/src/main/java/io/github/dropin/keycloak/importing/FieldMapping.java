package io.github.dropin.keycloak.importing;

import io.github.dropin.keycloak.users.LegacyIds;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which field of a legacy record holds which property of a user, for both import formats. The defaults read Django's
 * {@code auth.user} and the common custom user models (a {@code phone_number} and per-channel verified flags) and the
 * CSV columns documented in {@code docs/migration.md} without any configuration; {@link #with} names another field
 * ({@code field.phone=mobile}), and an empty name leaves a property out.
 * <p>
 * Records arrive as maps of field name to value: strings from CSV, and from JSON strings, booleans, numbers and lists
 * (the reader turns JSON into plain Java values, so this class needs no JSON library). A Django dump's primary key
 * arrives as field {@code pk}.
 */
public final class FieldMapping {

    /** The properties a user record can have, with the fields tried for each by default, first present wins. */
    public enum Property {
        ID("id", "pk", "id"),
        PUBLIC_ID("publicId", "public_id"),
        USERNAME("username", "username"),
        EMAIL("email", "email"),
        EMAIL_VERIFIED("emailVerified", "is_email_verified", "email_verified"),
        FIRST_NAME("firstName", "first_name"),
        LAST_NAME("lastName", "last_name"),
        ACTIVE("active", "is_active", "active"),
        DATE_JOINED("dateJoined", "date_joined", "created_at"),
        PHONE("phone", "phone_number", "phone"),
        PHONE_VERIFIED("phoneVerified", "is_phone_verified", "phone_verified"),
        GROUPS("groups", "groups"),
        STAFF("staff", "is_staff"),
        SUPERUSER("superuser", "is_superuser"),
        PASSWORD("password", "password", "password_hash");

        private final String key;
        private final List<String> defaults;

        Property(String key, String... defaults) {
            this.key = key;
            this.defaults = List.of(defaults);
        }

        /** The property's name in {@code field.<name>=<legacy field>}. */
        public String key() {
            return key;
        }

        public List<String> defaults() {
            return defaults;
        }
    }

    /** Separator of group names in a CSV {@code groups} column. */
    public static final String GROUP_SEPARATOR = ";";

    private final Map<Property, List<String>> fields;

    private FieldMapping(Map<Property, List<String>> fields) {
        this.fields = fields;
    }

    /** The defaults of {@link Property}. */
    public static FieldMapping defaults() {
        Map<Property, List<String>> fields = new EnumMap<>(Property.class);
        for (Property p : Property.values()) {
            fields.put(p, p.defaults());
        }
        return new FieldMapping(fields);
    }

    /**
     * This mapping with {@code property} read from {@code field} only (empty: not at all).
     *
     * @throws IllegalArgumentException for an unknown property name
     */
    public FieldMapping with(String property, String field) {
        Property p = Arrays.stream(Property.values()).filter(x -> x.key().equals(property)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown property '" + property + "'; one of "
                        + Arrays.stream(Property.values()).map(Property::key).toList()));
        Map<Property, List<String>> copy = new EnumMap<>(fields);
        copy.put(p, field == null || field.isBlank() ? List.of() : List.of(field.trim()));
        return new FieldMapping(copy);
    }

    /** The fields {@code property} is read from. */
    public List<String> fields(Property property) {
        return fields.get(property);
    }

    /** A user record's fields as a {@link ImportItem.User}, or an {@link ImportItem.Unreadable} saying why not. */
    public ImportItem toUser(int row, Map<String, Object> record) {
        Object rawId = value(Property.ID, record);
        OptionalLong id = rawId instanceof Number n && !(rawId instanceof Double) && !(rawId instanceof Float)
                ? (n.longValue() > 0 ? OptionalLong.of(n.longValue()) : OptionalLong.empty())
                : LegacyIds.parse(text(rawId));
        if (id.isEmpty()) {
            return new ImportItem.Unreadable(row, text(rawId), text(rawId) == null
                    ? "no legacy id (field " + String.join(" or ", fields(Property.ID)) + ")"
                    : "legacy id '" + text(rawId) + "' is not a positive integer");
        }
        List<String> notes = new ArrayList<>();
        try {
            Long joined = null;
            String date = text(value(Property.DATE_JOINED, record));
            if (date != null) {
                joined = epochMillis(date);
                if (joined == null) {
                    notes.add("date joined '" + date + "' not understood (ISO 8601 expected); not imported");
                }
            }
            List<String> groupNames = new ArrayList<>();
            List<Long> groupIds = new ArrayList<>();
            groups(value(Property.GROUPS, record), groupNames, groupIds);
            return new ImportItem.User(row, id.getAsLong(), text(value(Property.PUBLIC_ID, record)),
                    text(value(Property.USERNAME, record)), text(value(Property.EMAIL, record)),
                    bool(Property.EMAIL_VERIFIED, record), text(value(Property.FIRST_NAME, record)),
                    text(value(Property.LAST_NAME, record)), bool(Property.ACTIVE, record), joined,
                    text(value(Property.PHONE, record)), bool(Property.PHONE_VERIFIED, record),
                    List.copyOf(groupNames), List.copyOf(groupIds), Boolean.TRUE.equals(bool(Property.STAFF, record)),
                    Boolean.TRUE.equals(bool(Property.SUPERUSER, record)), text(value(Property.PASSWORD, record)),
                    List.copyOf(notes));
        } catch (IllegalArgumentException e) {
            return new ImportItem.Unreadable(row, Long.toString(id.getAsLong()), e.getMessage());
        }
    }

    /** The value of the first of the property's fields the record has. */
    Object value(Property property, Map<String, Object> record) {
        for (String field : fields.get(property)) {
            if (record.containsKey(field)) {
                return record.get(field);
            }
        }
        return null;
    }

    private Boolean bool(Property property, Map<String, Object> record) {
        Object value = value(property, record);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> null;
            case "true", "t", "1", "yes", "y" -> true;
            case "false", "f", "0", "no", "n" -> false;
            default -> throw new IllegalArgumentException(property.key() + " '" + value + "' is not a boolean");
        };
    }

    /** Text of a value; blank text is no value. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    /** Group references: names (CSV text, Django natural keys {@code [["name"]]}) or legacy primary keys. */
    private static void groups(Object value, List<String> names, List<Long> ids) {
        if (value == null) {
            return;
        }
        List<?> items = value instanceof List<?> list ? list
                : Arrays.asList(value.toString().split(GROUP_SEPARATOR));
        for (Object item : items) {
            if (item instanceof Number n) {
                ids.add(n.longValue());
            } else if (item instanceof List<?> naturalKey && naturalKey.size() == 1 && naturalKey.get(0) != null) {
                names.add(naturalKey.get(0).toString().trim());
            } else if (item != null && !item.toString().isBlank()) {
                names.add(item.toString().trim());
            }
        }
    }

    /** ISO 8601 with or without an offset (Django writes both, by {@code USE_TZ}); without one: UTC. */
    static Long epochMillis(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + "T" + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }
}
