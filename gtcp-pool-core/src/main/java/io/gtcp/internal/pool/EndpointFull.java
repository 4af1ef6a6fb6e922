package io.gtcp.internal.pool;

import java.io.IOException;

/**
 * The answer of a pool asked for a connection without waiting when every place is taken: the group then tries an
 * endpoint with a free place before anyone waits. One shared instance without a stack trace: it is a signal
 * between the pool and its group on the overload path, never seen by a caller, and must cost nothing to throw.
 */
public final class EndpointFull extends IOException {

    private static final long serialVersionUID = 1L;

    /** The only instance. */
    public static final EndpointFull INSTANCE = new EndpointFull();

    private EndpointFull() {
        super("every place of the endpoint is taken");
    }

    @Override
    public Throwable fillInStackTrace() {
        return this; // shared and never shown: no stack to record
    }
}
