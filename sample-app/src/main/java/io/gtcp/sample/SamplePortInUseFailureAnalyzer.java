package io.gtcp.sample;

import java.net.BindException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns "the sample server cannot listen" into Spring Boot's short failure report, with what to do about it,
 * instead of a stack trace: the first thing a newcomer meets when port 8999 is taken (by another program, or by a
 * sample still running in another terminal). The description is the message of the exception that wraps the
 * {@link BindException}, {@code TcpServer}'s, which names the address.
 */
final class SamplePortInUseFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        return new FailureAnalysis("The sample server " + wrapperMessage(rootFailure, cause) + ".",
                "Another process listens on that port, perhaps a sample started earlier. Stop it, or give the "
                        + "sample another port: --gtcp.sample.port=0 for any free port, or --gtcp.sample.port=9000.",
                cause);
    }

    private static String wrapperMessage(Throwable rootFailure, BindException cause) {
        for (Throwable t = rootFailure; t != null; t = t.getCause()) {
            if (t.getCause() == cause && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return "cannot listen: " + cause.getMessage();
    }
}
