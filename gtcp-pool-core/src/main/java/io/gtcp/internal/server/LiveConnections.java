package io.gtcp.internal.server;

import io.gtcp.internal.io.Link;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections a server is serving right now, and how they are let go: all at once ({@link #closeAll}) or
 * each at its next start of a message ({@link #drain}, see {@link MessageGate}).
 *
 * <p>Draining needs no thread of its own and no polling: the sweep closes the connections whose handler waits
 * for a message right now, every other handler closes its own connection when it next comes back for one, and
 * each connection leaving wakes the thread waiting for the set to empty.
 */
public final class LiveConnections {

    private final Map<Closeable, MessageGate> live = new ConcurrentHashMap<>();
    private final AtomicLong admitted = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();
    private volatile boolean draining;

    /** A gate for a connection about to be served over {@code link}. */
    public MessageGate gate(Link link) {
        return new MessageGate(this, link);
    }

    /** Starts serving {@code conn}; false when it may not be served (the server is draining). */
    public boolean add(Closeable conn, MessageGate gate) {
        live.put(conn, gate);
        admitted.incrementAndGet();
        return !draining;
    }

    /** {@code conn} is no longer served (its handler ended, or it was refused). */
    public void remove(Closeable conn) {
        if (live.remove(conn) != null && draining) {
            lock.lock();
            try {
                emptied.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    public int size() {
        return live.size();
    }

    /** Connections admitted so far, over the server's life. */
    public long admitted() {
        return admitted.get();
    }

    boolean draining() {
        return draining;
    }

    /**
     * Lets every connection go at its next start of a message: those waiting for one are closed now; the others
     * refuse it themselves (their handler then ends and the server closes them).
     */
    public void drain() {
        draining = true;
        for (Map.Entry<Closeable, MessageGate> e : live.entrySet()) {
            if (e.getValue().claimForClose()) {
                closeQuietly(e.getKey());
            }
        }
    }

    /** Waits until no connection is left or {@code deadlineNanos} (a {@link System#nanoTime()}) passes. */
    public boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!live.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every connection now, mid-message or not. They stop counting as served at once, even while a handler
     * still runs (it may be busy in the application's code; its next I/O fails).
     */
    public void closeAll() {
        for (Closeable conn : live.keySet()) {
            closeQuietly(conn);
            remove(conn);
        }
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // letting it go: nothing more to do
        }
    }
}
