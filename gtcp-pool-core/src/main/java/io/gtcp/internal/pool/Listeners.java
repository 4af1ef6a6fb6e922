package io.gtcp.internal.pool;

import io.gtcp.CloseReason;
import io.gtcp.PoolListener;

import java.io.IOException;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to the registered {@link PoolListener}s, each shielded from the others' exceptions. With no
 * listener the pool holds {@link #NONE} and skips the timing work that only listeners need.
 *
 * <p>The pool calls its listeners in the middle of its state changes (an entry being returned, a link just
 * dialled, a housekeeping pass), so nothing a listener throws may get out of here: an escaping {@code Error}
 * would leave an entry half-returned, a place never freed or a link leaked. That includes {@link VirtualMachineError}s:
 * one thrown by a listener (its own stack overflow, say) is logged at ERROR and the pool carries on consistently;
 * if the JVM really is out of memory, the pool's own next allocation says so where the state is sound.
 */
public final class Listeners implements PoolListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    /** No listener: the pool checks for this instance and skips event work. */
    public static final Listeners NONE = new Listeners(new PoolListener[0]);

    private final PoolListener[] listeners;

    private Listeners(PoolListener[] listeners) {
        this.listeners = listeners;
    }

    public Listeners with(PoolListener listener) {
        PoolListener[] more = Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = listener;
        return new Listeners(more);
    }

    public Listeners without(PoolListener listener) {
        PoolListener[] fewer = Arrays.stream(listeners).filter(l -> l != listener).toArray(PoolListener[]::new);
        return fewer.length == 0 ? NONE : new Listeners(fewer);
    }

    public boolean isEmpty() {
        return listeners.length == 0;
    }

    @Override
    public void poolAdded(String address) {
        fire(POOL_ADDED, address, 0, null);
    }

    @Override
    public void poolRemoved(String address) {
        fire(POOL_REMOVED, address, 0, null);
    }

    @Override
    public void connectionAcquired(String address, long nanos) {
        fire(ACQUIRED, address, nanos, null);
    }

    @Override
    public void connectionReleased(String address, long nanos) {
        fire(RELEASED, address, nanos, null);
    }

    @Override
    public void connectionCreated(String address, long nanos) {
        fire(CREATED, address, nanos, null);
    }

    @Override
    public void connectionFailed(String address, IOException cause) {
        fire(FAILED, address, 0, cause);
    }

    @Override
    public void acquireTimedOut(String address) {
        fire(TIMED_OUT, address, 0, null);
    }

    @Override
    public void connectionLeaked(String address, long heldNanos, Throwable borrowedAt) {
        fire(LEAKED, address, heldNanos, borrowedAt);
    }

    @Override
    public void connectionClosed(String address, CloseReason reason) {
        fire(CLOSED, address, 0, reason);
    }

    @Override
    public void endpointEjected(String address, java.time.Duration ejectedFor) {
        fire(EJECTED, address, 0, ejectedFor);
    }

    @Override
    public void endpointRestored(String address) {
        fire(RESTORED, address, 0, null);
    }

    /** One callback; the constants below capture nothing, so firing allocates nothing. */
    @FunctionalInterface
    private interface Event {
        void fire(PoolListener listener, String address, long nanos, Object detail);
    }

    private static final Event POOL_ADDED = (l, a, n, d) -> l.poolAdded(a);
    private static final Event POOL_REMOVED = (l, a, n, d) -> l.poolRemoved(a);
    private static final Event ACQUIRED = (l, a, n, d) -> l.connectionAcquired(a, n);
    private static final Event RELEASED = (l, a, n, d) -> l.connectionReleased(a, n);
    private static final Event CREATED = (l, a, n, d) -> l.connectionCreated(a, n);
    private static final Event FAILED = (l, a, n, d) -> l.connectionFailed(a, (IOException) d);
    private static final Event TIMED_OUT = (l, a, n, d) -> l.acquireTimedOut(a);
    private static final Event LEAKED = (l, a, n, d) -> l.connectionLeaked(a, n, (Throwable) d);
    private static final Event CLOSED = (l, a, n, d) -> l.connectionClosed(a, (CloseReason) d);
    private static final Event EJECTED = (l, a, n, d) -> l.endpointEjected(a, (java.time.Duration) d);
    private static final Event RESTORED = (l, a, n, d) -> l.endpointRestored(a);

    private void fire(Event event, String address, long nanos, Object detail) {
        for (PoolListener l : listeners) {
            try {
                event.fire(l, address, nanos, detail);
            } catch (Throwable e) { // see the class comment: a listener can never change the pool
                failed(l, e);
            }
        }
    }

    private static void failed(PoolListener listener, Throwable e) {
        try {
            if (e instanceof VirtualMachineError) {
                log.error("pool listener {} threw {}; ignored, the pool stays consistent", listener, e.toString());
            } else {
                log.warn("pool listener {} threw; ignored", listener, e);
            }
        } catch (Throwable loggingFailed) {
            // nothing left to report it with; the pool goes on
        }
    }
}
