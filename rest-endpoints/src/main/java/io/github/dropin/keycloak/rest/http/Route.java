package io.github.dropin.keycloak.rest.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint of a dialect: a path (relative to {@code /realms/{realm}/{dialect}}, without trailing slash,
 * {@code {name}} segments are parameters), the methods it serves, whether it needs an authenticated caller, the
 * body fields per method, and the handler per method.
 * <p>
 * A dialect's list of routes is its whole public surface: the dispatcher serves exactly these, and tests discover
 * every endpoint from them.
 */
public final class Route {

    /** What a route requires of the caller. */
    public enum Auth {
        NONE, REQUIRED
    }

    private final String path;
    private final String[] segments;
    private final Auth auth;
    private final Set<String> anonymousMethods;
    private final Map<String, Operation> operations;

    /**
     * One method of a route: its body fields, handler, and what its OpenAPI description says of it.
     *
     * @param collectsFieldErrors whether the handler receives the fields' failures ({@link Input#errors()}) to report
     *                            them with its own per-field checks ({@link Builder#reportsEveryFieldError()})
     */
    public record Operation(String method, List<Field> fields, Handler handler, Doc doc, boolean collectsFieldErrors) {

        public Operation(String method, List<Field> fields, Handler handler) {
            this(method, fields, handler, Doc.NONE, false);
        }
    }

    /**
     * What an operation's OpenAPI description adds to what the route table already says ({@link OpenApi}): a
     * one-line summary, and the answers a client can count on. Validation, authentication and framework errors are
     * not listed here: they are generated from the fields, the authenticator and the dialect's {@link ErrorStyle}.
     */
    public record Doc(String summary, List<Answer> answers) {

        static final Doc NONE = new Doc(null, List.of());

        Doc withSummary(String text) {
            return new Doc(text, answers);
        }

        Doc withAnswer(Answer answer) {
            List<Answer> all = new ArrayList<>(answers);
            all.add(answer);
            return new Doc(summary, List.copyOf(all));
        }
    }

    /** A documented answer: its status and an example body ({@code null} for none, as in a 204). */
    public record Answer(int status, Object example) {
    }

    private Route(String path, Auth auth, Set<String> anonymousMethods, Map<String, Operation> operations) {
        this.path = path;
        this.segments = path.isEmpty() ? new String[0] : path.split("/");
        this.auth = auth;
        this.anonymousMethods = Set.copyOf(anonymousMethods);
        this.operations = Map.copyOf(operations);
    }

    public static Builder at(String path) {
        return new Builder(path);
    }

    public String path() {
        return path;
    }

    public Auth auth() {
        return auth;
    }

    /**
     * Whether a request with {@code method} must be authenticated: the route is {@link Auth#REQUIRED} and the method
     * was not opened with {@link Builder#anonymous}. Unknown methods of an authenticated route are authenticated
     * first (then answered 405), as Django REST framework does.
     */
    public boolean requiresAuth(String method) {
        return auth == Auth.REQUIRED && !anonymousMethods.contains(method);
    }

    public Set<String> methods() {
        return operations.keySet();
    }

    public Operation operation(String method) {
        return operations.get(method);
    }

    /** Path parameters if {@code requestSegments} matches this route, else {@code null}. */
    Map<String, String> match(String[] requestSegments) {
        if (requestSegments.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String pattern = segments[i];
            if (pattern.startsWith("{") && pattern.endsWith("}")) {
                if (params == null) {
                    params = new java.util.HashMap<>();
                }
                params.put(pattern.substring(1, pattern.length() - 1), requestSegments[i]);
            } else if (!pattern.equals(requestSegments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Builder of a {@link Route}. */
    public static final class Builder {
        private final String path;
        private Auth auth = Auth.NONE;
        private final Set<String> anonymousMethods = new java.util.HashSet<>();
        private final Map<String, Operation> operations = new java.util.LinkedHashMap<>();
        private String last;

        private Builder(String path) {
            this.path = path;
        }

        public Builder authenticated() {
            this.auth = Auth.REQUIRED;
            return this;
        }

        /**
         * Serves these methods of an {@link #authenticated()} route without authentication, for endpoints whose
         * framework sets permissions per action (Djoser's {@code users/}: POST registers, GET lists the caller).
         */
        public Builder anonymous(String... methods) {
            anonymousMethods.addAll(List.of(methods));
            return this;
        }

        public Builder get(Handler handler) {
            return on("GET", List.of(), handler);
        }

        public Builder post(Handler handler, Field... fields) {
            return on("POST", List.of(fields), handler);
        }

        public Builder put(Handler handler, Field... fields) {
            return on("PUT", List.of(fields), handler);
        }

        public Builder patch(Handler handler, Field... fields) {
            return on("PATCH", List.of(fields), handler);
        }

        public Builder delete(Handler handler, Field... fields) {
            return on("DELETE", List.of(fields), handler);
        }

        public Builder on(String method, List<Field> fields, Handler handler) {
            operations.put(method, new Operation(method, new ArrayList<>(fields), handler));
            last = method;
            return this;
        }

        /**
         * The operation declared last checks its fields itself beyond their declarations (uniqueness, the password
         * policy, the current password), as a DRF serializer's {@code validate_<field>} methods do, and reports every
         * field's failures at once: its handler runs even when declared fields failed, finds their failures in
         * {@link Input#errors()}, and must answer them together with its own.
         */
        public Builder reportsEveryFieldError() {
            if (last == null) {
                throw new IllegalStateException("declare an operation (get, post, ...) first");
            }
            Operation operation = operations.get(last);
            operations.put(last, new Operation(operation.method(), operation.fields(), operation.handler(),
                    operation.doc(), true));
            return this;
        }

        /** A one-line summary of the operation declared last, for the dialect's OpenAPI description. */
        public Builder summary(String summary) {
            return document(doc -> doc.withSummary(summary));
        }

        /**
         * An answer of the operation declared last, for the dialect's OpenAPI description: its status and an example
         * body ({@code null} for none, as in a 204).
         */
        public Builder responds(int status, Object example) {
            return document(doc -> doc.withAnswer(new Answer(status, example)));
        }

        private Builder document(java.util.function.UnaryOperator<Doc> change) {
            if (last == null) {
                throw new IllegalStateException("declare an operation (get, post, ...) before documenting it");
            }
            Operation operation = operations.get(last);
            operations.put(last, new Operation(operation.method(), operation.fields(), operation.handler(),
                    change.apply(operation.doc()), operation.collectsFieldErrors()));
            return this;
        }

        public Route build() {
            return new Route(path, auth, anonymousMethods, operations);
        }
    }
}
