package io.gtcp.spring.boot.autoconfigure.server;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The report of a gtcp server that could not start: what (a property and its value, or the handler beans), why,
 * and what to change. Registered in {@code META-INF/spring.factories}.
 */
class GtcpServerFailureAnalyzer extends AbstractFailureAnalyzer<GtcpServerException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GtcpServerException cause) {
        return new FailureAnalysis("The gtcp server (gtcp.server.*) could not start: " + cause.getMessage(),
                cause.getAction(), cause);
    }
}
