package dev.onepg.platform.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an incomplete security setup as what is missing and what to set, instead of a stack trace. */
class SecuritySetupFailureAnalyzer extends AbstractFailureAnalyzer<SecuritySetupIncomplete> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecuritySetupIncomplete cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
