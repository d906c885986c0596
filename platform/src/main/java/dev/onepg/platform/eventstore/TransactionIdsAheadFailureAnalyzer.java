package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.postgres.TransactionIdsAhead;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a restored database as what happened and the one command that fixes it, instead of a stack trace. */
class TransactionIdsAheadFailureAnalyzer extends AbstractFailureAnalyzer<TransactionIdsAhead> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TransactionIdsAhead cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Stop every instance of the service, then run once against this database: " + TransactionIdsAhead.FIX
                        + " (README, \"Backup and restore\"). It keeps the order of the restored events and what"
                        + " each projection has applied.",
                cause);
    }
}
