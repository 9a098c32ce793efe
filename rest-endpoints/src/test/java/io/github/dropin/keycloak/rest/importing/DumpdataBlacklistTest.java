package io.github.dropin.keycloak.rest.importing;

import io.github.dropin.keycloak.importing.FieldMapping;
import io.github.dropin.keycloak.importing.ImportItem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SimpleJWT's {@code token_blacklist} objects in a dumpdata file, as Django 3.2 writes them. */
class DumpdataBlacklistTest {

    @Test
    void outstandingTokensGiveTheirIdAndExpiryAndBlacklistRowsTheirToken() throws Exception {
        String dump = """
                [{"model": "token_blacklist.outstandingtoken", "pk": 7, "fields": {"user": 1,
                  "jti": "7a27d198c4864124b89554f3c85eb9c6", "token": "eyJ.secret.token",
                  "created_at": "2026-12-04T05:29:54.014Z", "expires_at": "2026-12-05T05:29:54Z"}},
                 {"model": "token_blacklist.outstandingtoken", "pk": 8, "fields": {"user": null,
                  "jti": "abc", "token": "x", "created_at": null, "expires_at": "2026-12-05T06:29:54"}},
                 {"model": "token_blacklist.blacklistedtoken", "pk": 1, "fields": {"token": 7,
                  "blacklisted_at": "2026-12-04T05:29:55.001Z"}},
                 {"model": "token_blacklist.blacklistedtoken", "pk": 2, "fields": {"blacklisted_at": null}}]
                """;
        List<ImportItem> items = new ArrayList<>();
        new DumpdataRecords(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8)), "auth.user", "auth.group",
                "authtoken.token", FieldMapping.defaults(), 1).forEachRemaining(items::add);
        assertThat(items).hasSize(4);
        assertThat(items.get(0)).isEqualTo(new ImportItem.OutstandingRefreshToken(1, 7, "7a27d198c4864124b89554f3c85eb9c6",
                1_796_448_594L));
        // Without an offset (USE_TZ off): read as UTC.
        assertThat(items.get(1)).isEqualTo(new ImportItem.OutstandingRefreshToken(2, 8, "abc", 1_796_452_194L));
        assertThat(items.get(2)).isEqualTo(new ImportItem.BlacklistedRefreshToken(3, 7));
        assertThat(items.get(3)).isInstanceOf(ImportItem.Unreadable.class);
        // The token itself is in no item.
        assertThat(items.toString()).doesNotContain("eyJ.secret.token");
    }
}
