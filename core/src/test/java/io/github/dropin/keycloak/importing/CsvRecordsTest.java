package io.github.dropin.keycloak.importing;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvRecordsTest {

    private static List<ImportItem> read(String csv) {
        List<ImportItem> items = new ArrayList<>();
        new CsvRecords(new StringReader(csv), FieldMapping.defaults()).forEachRemaining(items::add);
        return items;
    }

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaks() {
        List<ImportItem> items = read("\uFEFFid,username,first_name,last_name,email\r\n"
                + "1,ada,\"Ada, Countess\",\"Love\"\"lace\",ada@example.test\r\n"
                + "2,bob,\"two\nlines\",,\r\n"
                + "\r\n"
                + "3,carol,,,\n");
        assertThat(items).hasSize(3);
        ImportItem.User ada = (ImportItem.User) items.get(0);
        assertThat(ada.row()).isEqualTo(1);
        assertThat(ada.legacyId()).isEqualTo(1);
        assertThat(ada.firstName()).isEqualTo("Ada, Countess");
        assertThat(ada.lastName()).isEqualTo("Love\"lace");
        ImportItem.User bob = (ImportItem.User) items.get(1);
        assertThat(bob.firstName()).isEqualTo("two\nlines");
        assertThat(bob.lastName()).isNull();
        assertThat(bob.email()).isNull();
        assertThat(((ImportItem.User) items.get(2)).username()).isEqualTo("carol");
        assertThat(items.get(2).row()).isEqualTo(3);
    }

    @Test
    void refusesRowsItCannotReadAndGoesOn() {
        List<ImportItem> items = read("id,username\nx,ada\n2,bob,extra\n3,carol\n,dave\n");
        assertThat(items).hasSize(4);
        assertThat(((ImportItem.Unreadable) items.get(0)).reason()).isEqualTo("legacy id 'x' is not a positive integer");
        assertThat(((ImportItem.Unreadable) items.get(1)).reason()).isEqualTo("record 2 has 3 fields, the header 2");
        assertThat(((ImportItem.User) items.get(2)).username()).isEqualTo("carol");
        assertThat(((ImportItem.Unreadable) items.get(3)).reason()).isEqualTo("no legacy id (field pk or id)");
    }

    @Test
    void anUnclosedQuoteEndsTheFileWithAReason() {
        List<ImportItem> items = read("id,username\n1,ada\n2,\"bob\n3,carol\n");
        assertThat(items).hasSize(2);
        assertThat(((ImportItem.Unreadable) items.get(1)).reason()).startsWith("a quoted field is not closed");
    }

    @Test
    void needsAHeader() {
        assertThatThrownBy(() -> read("")).hasMessage("the CSV file has no header row");
    }
}
