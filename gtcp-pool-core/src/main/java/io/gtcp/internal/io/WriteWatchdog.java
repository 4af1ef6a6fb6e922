package io.gtcp.internal.io;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces write deadlines. A blocking socket write in Java has no timeout: it blocks for as long as the peer
 * does not read. So, as Okio's watchdog does, a write with a deadline is registered here, and one daemon thread
 * closes the link of any write still running when its deadline passes; the writer then sees a
 * {@link java.net.SocketTimeoutException}. Writes without a deadline never touch this class.
 *
 * <p>The lock guards only the queue: nothing blocks on I/O while holding it.
 */
final class WriteWatchdog {

    static final WriteWatchdog INSTANCE = new WriteWatchdog();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Link> queue = new PriorityQueue<>(
            (a, b) -> Long.compare(a.watchdogDeadline - b.watchdogDeadline, 0));
    private Thread thread;

    private WriteWatchdog() {
    }

    void arm(Link link, long deadline) {
        lock.lock();
        try {
            link.watchdogDeadline = deadline;
            link.watchdogFired = false;
            queue.add(link);
            if (thread == null) {
                thread = new Thread(this::watch, "gtcp-write-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
            if (queue.peek() == link) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the watch of a write; true when the deadline had already fired (the link is being closed). */
    boolean disarm(Link link) {
        lock.lock();
        try {
            if (link.watchdogFired) {
                return true;
            }
            queue.remove(link);
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        for (;;) {
            Link due;
            lock.lock();
            try {
                for (;;) {
                    Link head = queue.peek();
                    if (head == null) {
                        if (!changed.await(60, TimeUnit.SECONDS) && queue.isEmpty()) {
                            thread = null; // idle for a minute: let the thread go, the next arm starts another
                            return;
                        }
                        continue;
                    }
                    long wait = head.watchdogDeadline - System.nanoTime();
                    if (wait <= 0) {
                        due = queue.poll();
                        due.watchdogFired = true;
                        break;
                    }
                    changed.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                thread = null; // under the lock: the next arm() starts a new watchdog
                return;
            } finally {
                lock.unlock();
            }
            due.writeTimedOut(); // closes the socket outside the lock
        }
    }
}
