package io.github.dropin.keycloak.testing;

import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's transaction manager in the order Keycloak 26.7.3's {@code DefaultKeycloakTransactionManager} keeps
 * (without JTA and tracing): transactions enlisted while it is active are begun at once; commit runs the prepare
 * phase, the main transactions, then the after-completion ones (rolled back instead if a main one failed);
 * rollback rolls back the main and after-completion transactions.
 */
public final class FakeTransactionManager implements KeycloakTransactionManager {

    private final List<KeycloakTransaction> prepare = new ArrayList<>();
    private final List<KeycloakTransaction> transactions = new ArrayList<>();
    private final List<KeycloakTransaction> afterCompletion = new ArrayList<>();
    private JTAPolicy jtaPolicy = JTAPolicy.REQUIRES_NEW;
    private boolean active;
    private boolean completed;
    private boolean rollbackOnly;

    @Override
    public void enlist(KeycloakTransaction transaction) {
        add(transactions, transaction);
    }

    @Override
    public void enlistAfterCompletion(KeycloakTransaction transaction) {
        add(afterCompletion, transaction);
    }

    @Override
    public void enlistPrepare(KeycloakTransaction transaction) {
        add(prepare, transaction);
    }

    private void add(List<KeycloakTransaction> phase, KeycloakTransaction transaction) {
        if (completed) {
            throw new IllegalStateException("Transaction already completed");
        }
        if (active && !transaction.isActive()) {
            transaction.begin();
        }
        phase.add(transaction);
    }

    @Override
    public void begin() {
        if (completed || active) {
            throw new IllegalStateException("Transaction already " + (completed ? "completed" : "active"));
        }
        for (List<KeycloakTransaction> phase : List.of(transactions, prepare, afterCompletion)) {
            phase.stream().filter(tx -> !tx.isActive()).forEach(KeycloakTransaction::begin);
        }
        active = true;
    }

    @Override
    public void commit() {
        if (completed) {
            return;
        }
        completed = true;
        RuntimeException failure = runAll(prepare, KeycloakTransaction::commit);
        if (failure == null) {
            failure = runAll(transactions, KeycloakTransaction::commit);
            RuntimeException after = runAll(afterCompletion, failure == null ? KeycloakTransaction::commit : KeycloakTransaction::rollback);
            failure = failure == null ? after : failure;
        } else {
            runAll(transactions, KeycloakTransaction::rollback);
            runAll(afterCompletion, KeycloakTransaction::rollback);
        }
        active = false;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void rollback() {
        if (completed) {
            return;
        }
        completed = true;
        RuntimeException failure = runAll(transactions, KeycloakTransaction::rollback);
        RuntimeException after = runAll(afterCompletion, KeycloakTransaction::rollback);
        active = false;
        if (failure != null || after != null) {
            throw failure != null ? failure : after;
        }
    }

    private static RuntimeException runAll(List<KeycloakTransaction> phase, java.util.function.Consumer<KeycloakTransaction> step) {
        RuntimeException first = null;
        for (KeycloakTransaction tx : phase) {
            try {
                step.accept(tx);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }

    @Override
    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    @Override
    public boolean getRollbackOnly() {
        return rollbackOnly || transactions.stream().anyMatch(KeycloakTransaction::getRollbackOnly);
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public JTAPolicy getJTAPolicy() {
        return jtaPolicy;
    }

    @Override
    public void setJTAPolicy(JTAPolicy policy) {
        jtaPolicy = policy;
    }
}
