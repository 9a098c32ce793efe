package io.github.dropin.keycloak.users;

import io.github.dropin.keycloak.users.LegacyRefreshTokens.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokens minted by the real SimpleJWT 5.2.2 (Debian's python3-djangorestframework-simplejwt) with
 * {@code SECRET_KEY = 'legacy-django-secret-key-for-tests-only'}: {@code RefreshToken.for_user(user)} (pk 7, lifetime
 * 100 years), its {@code access_token}, and one whose {@code exp} SimpleJWT set 60 s in the past.
 */
class LegacyRefreshTokensTest {

    static final String SECRET = "legacy-django-secret-key-for-tests-only";
    static final long NOW = 1_796_353_600L;
    static final String REFRESH = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6NDk0OTk1MzUzOCwiaWF0IjoxNzk2MzUzNTM4LCJqdGkiOiJhNDdlNjQ2ZDYwZWI0NjE4YTkzNzZiMDg1MmY4MTIxNyIsInVzZXJfaWQiOjd9.VgYKksSarkLqIlvTkjiTNCPMj7dAh9xGBF2eLtBQ16A";
    static final String ACCESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo0OTQ5OTUzNTM4LCJpYXQiOjE3OTYzNTM1MzgsImp0aSI6ImYwYjExYTk1YzFlZjQxOWNiMDdlMWJmZjhjMDI0NGM3IiwidXNlcl9pZCI6N30.sPMJM5Xo33GuCJHjk0KkPDcAQ5PuMCotkJdB6QuIFqk";
    static final String EXPIRED = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTc5NjM1MzQ3OCwiaWF0IjoxNzk2MzUzNTM4LCJqdGkiOiJmMWE1OWJhOTBiNDk0OWI3OWMwZTgzMDBiMzg5YWU1MSIsInVzZXJfaWQiOjF9.KcZi0-irsiigSbQrrCo5ja2E8Ur2WSQV4A_sO7VcZmY";

    static LegacyRefreshTokens.Result verify(String token, String secret) {
        return LegacyRefreshTokens.verify(token, "HS256", secret, "user_id", NOW);
    }

    @Test
    void acceptsSimpleJwtsOwnRefreshToken() {
        LegacyRefreshTokens.Result result = verify(REFRESH, SECRET);
        assertThat(result.verdict()).isEqualTo(Verdict.VALID);
        assertThat(result.claims().jti()).isEqualTo("a47e646d60eb4618a9376b0852f81217");
        assertThat(result.claims().exp()).isEqualTo(4_949_953_538L);
        assertThat(result.claims().userId()).isEqualTo("7");
        assertThat(LegacyRefreshTokens.legacyId(result.claims())).contains(7L);
    }

    @Test
    void refusesWhatSimpleJwtRefuses() {
        assertThat(verify(REFRESH, SECRET + "x").verdict()).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(verify(ACCESS, SECRET).verdict()).isEqualTo(Verdict.NOT_A_REFRESH_TOKEN);
        assertThat(verify(EXPIRED, SECRET).verdict()).isEqualTo(Verdict.EXPIRED);
        assertThat(verify("abc", SECRET).verdict()).isEqualTo(Verdict.MALFORMED);
        assertThat(verify("a.b.c", SECRET).verdict()).isEqualTo(Verdict.MALFORMED);
        // The same payload with "alg": "none" and no signature.
        String[] parts = REFRESH.split("\\.");
        String none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";
        assertThat(verify(none, SECRET).verdict()).isEqualTo(Verdict.WRONG_ALGORITHM);
        // A changed payload under the original signature.
        String forged = parts[0] + "." + parts[1].replace("InVzZXJfaWQiOjd9", "InVzZXJfaWQiOjh9") + "." + parts[2];
        assertThat(verify(forged, SECRET).verdict()).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(LegacyRefreshTokens.verify(REFRESH, "HS512", SECRET, "user_id", NOW).verdict())
                .isEqualTo(Verdict.WRONG_ALGORITHM);
        assertThatThrownBy(() -> LegacyRefreshTokens.verify(REFRESH, "RS256", SECRET, "user_id", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
