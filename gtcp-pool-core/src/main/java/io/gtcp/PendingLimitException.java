package io.gtcp;

import java.io.IOException;

/**
 * A connection could not even be waited for: every place of the endpoint was taken, no other endpoint of the
 * group had a free one, and {@code maxPending} callers were waiting for it already
 * ({@link PoolConnFactory.Builder#maxPending}). Thrown at once, without waiting: under overload a caller learns
 * in microseconds that the pool cannot serve it, instead of joining a queue it would leave at the acquire timeout.
 */
public class PendingLimitException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int pending;
    private final int maxPending;

    /** A caller refused with {@code pending} callers waiting and a limit of {@code maxPending}. */
    public PendingLimitException(String message, int pending, int maxPending) {
        super(message);
        this.pending = pending;
        this.maxPending = maxPending;
    }

    /** Callers waiting when it was thrown, not counting the refused one. */
    public int pending() {
        return pending;
    }

    /** The limit of waiting callers per endpoint. */
    public int maxPending() {
        return maxPending;
    }
}
