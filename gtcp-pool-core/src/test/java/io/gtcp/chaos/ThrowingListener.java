package io.gtcp.chaos;

import io.gtcp.CloseReason;
import io.gtcp.PoolListener;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener with bugs: every {@code every}-th event it is told of throws, in turn a RuntimeException, an Error
 * and a StackOverflowError, at most {@code limit} times (each throw is logged with its stack, so the log stays
 * readable). The pool must carry on exactly as without it.
 */
final class ThrowingListener implements PoolListener {

    /** An application error: neither a RuntimeException nor a LinkageError. */
    static final class ListenerBug extends Error {
        ListenerBug(int n) {
            super("listener bug number " + n);
        }
    }

    private final int every;
    private final int limit;
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicInteger thrown = new AtomicInteger();

    ThrowingListener(int every, int limit) {
        this.every = every;
        this.limit = limit;
    }

    int thrown() {
        return thrown.get();
    }

    private void maybeThrow() {
        if (events.incrementAndGet() % every != 0 || thrown.get() >= limit) {
            return;
        }
        int n = thrown.incrementAndGet();
        switch (n % 3) {
            case 0 -> throw new IllegalStateException("listener bug number " + n);
            case 1 -> throw new ListenerBug(n);
            default -> throw new StackOverflowError("listener bug number " + n);
        }
    }

    @Override
    public void connectionAcquired(String address, long nanos) {
        maybeThrow();
    }

    @Override
    public void connectionReleased(String address, long nanos) {
        maybeThrow();
    }

    @Override
    public void connectionCreated(String address, long nanos) {
        maybeThrow();
    }

    @Override
    public void connectionClosed(String address, CloseReason reason) {
        maybeThrow();
    }
}
