package io.github.dropin.keycloak.importing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file (RFC 4180: comma-separated, fields in double quotes may hold commas, quotes doubled and line breaks;
 * CRLF or LF) as a stream of records keyed by the header's column names, read one record at a time so that memory
 * stays flat whatever the file's size. A record with more fields than the header is refused; fewer fields leave the
 * rest out (as Python's {@code csv.DictReader} would give them {@code None}). A UTF-8 byte-order mark is skipped.
 */
public final class CsvRecords extends ItemReader {

    /** Longest field accepted (a runaway quote would otherwise read the rest of the file into one field). */
    static final int MAX_FIELD = 64 * 1024;

    private final Reader in;
    private final FieldMapping mapping;
    private final List<String> header;
    private int row;
    private int next = -2;

    /**
     * @throws IllegalArgumentException when the file has no header
     */
    public CsvRecords(Reader in, FieldMapping mapping) {
        this(in, mapping, 1);
    }

    /**
     * @param firstRow the number of the file's first record (a part of a larger file starts where the last ended)
     * @throws IllegalArgumentException when the file has no header
     */
    public CsvRecords(Reader in, FieldMapping mapping, int firstRow) {
        this.row = firstRow - 1;
        this.in = in instanceof BufferedReader ? in : new BufferedReader(in);
        this.mapping = mapping;
        List<String> first = readRecord();
        if (first == null || first.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("the CSV file has no header row");
        }
        if (!first.isEmpty() && first.get(0).startsWith("\uFEFF")) {
            first.set(0, first.get(0).substring(1));
        }
        this.header = first.stream().map(String::trim).toList();
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    @Override
    protected ImportItem read() {
        List<String> fields;
        try {
            fields = readRecord();
        } catch (IllegalArgumentException broken) {
            finish();
            return new ImportItem.Unreadable(row + 1, null, broken.getMessage() + "; the rest of the file is not read");
        }
        while (fields != null && fields.size() == 1 && fields.get(0).isEmpty()) {
            fields = readRecord();
        }
        if (fields == null) {
            finish();
            return null;
        }
        row++;
        if (fields.size() > header.size()) {
            return new ImportItem.Unreadable(row, null, "record " + row + " has " + fields.size()
                    + " fields, the header " + header.size());
        }
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            record.put(header.get(i), fields.get(i));
        }
        return mapping.toUser(row, record);
    }

    /** The next record's fields, or {@code null} at the end of the input. */
    private List<String> readRecord() {
        int c = read1();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c < 0) {
                    throw new IllegalArgumentException("a quoted field is not closed at the end of the file");
                }
                if (c == '"') {
                    int after = read1();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = after;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c < 0 || c == '\n' || c == '\r') {
                if (c == '\r') {
                    int after = read1();
                    if (after != '\n' && after >= 0) {
                        unread(after);
                    }
                }
                fields.add(field.toString());
                return fields;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                field.append((char) c);
            }
            if (field.length() > MAX_FIELD) {
                throw new IllegalArgumentException("a field is longer than " + MAX_FIELD + " characters");
            }
            c = read1();
        }
    }

    private int read1() {
        if (next != -2) {
            int c = next;
            next = -2;
            return c;
        }
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unread(int c) {
        next = c;
    }
}
