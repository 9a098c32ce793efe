package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.badinput.RawHttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the two servers a conformance corpus runs against: the legacy reference backend or the dialect on the real
 * Keycloak. Each side has its own variables (the same corpus yields integer ids on one, UUIDs on the other), sends
 * requests on a fresh connection each (so that nothing is ever re-sent on a stale one), reads the codes it sent, and
 * does the out-of-band actions a corpus needs (disable or delete a user, re-sign a token with other claims).
 */
abstract class Side {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    final String name;
    final Map<String, String> vars = new LinkedHashMap<>();
    private final String host;
    private final int port;
    private final String basePath;

    Side(String name, String baseUrl) {
        this.name = name;
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.basePath = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/$", "");
    }

    String baseUrl() {
        return "http://" + host + ":" + port + basePath;
    }

    RawHttp.Answer send(Step.Resolved request) {
        try (RawHttp http = new RawHttp(host, port)) {
            List<String[]> headers = new java.util.ArrayList<>(request.headers());
            headers.add(new String[]{"Connection", "close"});
            return http.send(request.method(), basePath + request.path(), headers, request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + request.method() + " " + request.path() + " failed", e);
        }
    }

    /** {@code template} with this side's variables and {@code ${n}} (the step number); unknown ones become "unset-<name>". */
    String resolve(String template, int stepNumber) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            String value = var.equals("n") ? Integer.toString(stepNumber) : vars.getOrDefault(var, "unset-" + var);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    void set(String var, String value) {
        vars.put(var, value);
    }

    /** A code as a JSON number would carry it: without leading zeros (stored as {@code <var>.num}). */
    void setCode(String var, String code) {
        set(var, code);
        String number = code.replaceFirst("^0+(?=\\d)", "");
        vars.put(var + ".num", number);
    }

    String get(String var) {
        String value = vars.get(var);
        if (value == null) {
            throw new IllegalStateException(name + ": no variable " + var + " (a step before it failed?)");
        }
        return value;
    }

    /** Variables by value, longest value first, for normalising answers. */
    Map<String, String> varsByValue() {
        Map<String, String> byValue = new LinkedHashMap<>();
        vars.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> -e.getValue().length()))
                .forEach(e -> byValue.put(e.getValue(), e.getKey()));
        return byValue;
    }

    /** Called before each request step. */
    abstract void beforeStep();

    /** The code this side sent to {@code to} since {@link #beforeStep}. */
    abstract Optional<String> codeSentTo(String to);

    abstract void disableUser(String login);

    abstract void deleteUser(String login);

    /** A token this side issued, with changed claims, signed as this side signs. */
    abstract String resign(String jwt, Map<String, Object> changes);

    /** The legacy reference backend. */
    static final class Reference extends Side {
        private final LegacyBackend backend;
        private int outboxMark;

        Reference(LegacyBackend backend) {
            super("reference", backend.baseUrl());
            this.backend = backend;
        }

        @Override
        void beforeStep() {
            outboxMark = backend.messages().size();
        }

        @Override
        Optional<String> codeSentTo(String to) {
            return backend.lastMessageTo(to, outboxMark).map(LegacyBackend.Message::code);
        }

        @Override
        void disableUser(String login) {
            users(login, "update(is_active=False)");
        }

        @Override
        void deleteUser(String login) {
            if (backend.backend().equals("phone-otp")) {
                backend.python("row = db.one('SELECT id FROM users WHERE phone = ?', " + LegacyBackend.pyString(login) + ")\n"
                        + "db.run('DELETE FROM logins WHERE user_id = ?', row[0])\n"
                        + "db.run('DELETE FROM registrations WHERE user_id = ?', row[0])\n"
                        + "db.run('DELETE FROM users WHERE id = ?', row[0])\n");
                return;
            }
            users(login, "delete()");
        }

        private void users(String login, String operation) {
            String out = backend.python("from django.contrib.auth import get_user_model\n"
                    + "User = get_user_model()\n"
                    + "print(User.objects.filter(**{User.USERNAME_FIELD: " + LegacyBackend.pyString(login) + "})." + operation + ")\n");
            if (out.strip().startsWith("0") || out.strip().startsWith("(0")) {
                throw new IllegalStateException("reference: no user " + login);
            }
        }

        @Override
        String resign(String jwt, Map<String, Object> changes) {
            return SignedJwt.resign(jwt, changes, backend.backend().equals("phone-otp")
                    ? LegacyBackend.FLASK_JWT_SECRET : LegacyBackend.DJANGO_SECRET_KEY);
        }
    }

    /** The dialect on the real Keycloak, in the test class's realm. */
    static final class Dialect extends Side {
        private final TestRealm realm;
        private final SmsInbox inbox;
        private final RealmKeys keys;
        private static final Pattern RESET_TOKEN = Pattern.compile("(?m)^\\s*([A-Za-z0-9]{40})\\s*$");

        Dialect(TestRealm realm, String dialect, SmsInbox inbox, RealmKeys keys) {
            super("dialect", realm.realmUrl() + "/" + dialect);
            this.realm = realm;
            this.inbox = inbox;
            this.keys = keys;
        }

        @Override
        void beforeStep() {
            inbox.mark();
        }

        @Override
        Optional<String> codeSentTo(String to) {
            // Some emails leave after the request's commit; a code the step expects is waited for, not assumed.
            Duration wait = SmsInbox.DEFAULT_TIMEOUT;
            try {
                if (!to.contains("@")) {
                    return Optional.of(inbox.awaitSms(realm.name(), to, wait).code());
                }
                SmsInbox.Email email = inbox.awaitEmail(realm.name(), to, wait);
                // users-api's password-reset emails carry a 40-character token on a line of its own, not a code.
                Matcher token = RESET_TOKEN.matcher(email.text());
                return Optional.of(token.find() ? token.group(1) : email.code());
            } catch (AssertionError nothingSent) {
                return Optional.empty();
            }
        }

        private String userId(String login) {
            return realm.admin().userByUsername(login.toLowerCase(java.util.Locale.ROOT))
                    .orElseThrow(() -> new IllegalStateException("dialect: no user " + login)).path("id").asText();
        }

        @Override
        void disableUser(String login) {
            realm.admin().updateUser(userId(login), Map.of("enabled", false));
        }

        @Override
        void deleteUser(String login) {
            realm.admin().deleteUser(userId(login));
        }

        @Override
        String resign(String jwt, Map<String, Object> changes) {
            return keys.resign(jwt, changes);
        }
    }
}
