package io.gtcp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link PoolListener} that records what it is told, for assertions. */
final class RecordingListener implements PoolListener {

    final List<String> added = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<CloseReason> closed = new CopyOnWriteArrayList<>();
    final List<IOException> failures = new CopyOnWriteArrayList<>();
    final List<Throwable> leaks = new CopyOnWriteArrayList<>();
    final AtomicInteger acquired = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger timeouts = new AtomicInteger();

    @Override
    public void poolAdded(String address) {
        added.add(address);
    }

    @Override
    public void poolRemoved(String address) {
        removed.add(address);
    }

    @Override
    public void connectionAcquired(String address, long nanos) {
        acquired.incrementAndGet();
    }

    @Override
    public void connectionReleased(String address, long nanos) {
        released.incrementAndGet();
    }

    @Override
    public void connectionCreated(String address, long nanos) {
        created.incrementAndGet();
    }

    @Override
    public void connectionFailed(String address, IOException cause) {
        failures.add(cause);
    }

    @Override
    public void acquireTimedOut(String address) {
        timeouts.incrementAndGet();
    }

    @Override
    public void connectionLeaked(String address, long heldNanos, Throwable borrowedAt) {
        leaks.add(borrowedAt);
    }

    @Override
    public void connectionClosed(String address, CloseReason reason) {
        closed.add(reason);
    }
}
