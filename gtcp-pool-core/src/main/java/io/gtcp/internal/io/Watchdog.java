package io.gtcp.internal.io;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends blocking calls that have no timeout of their own when their deadline passes, by aborting their link: the
 * writes and the close_notify of a TLS link (an {@link javax.net.ssl.SSLSocket} write cannot be timed), the TLS
 * handshake (its deadline covers the whole handshake, not each read), and a timed write made on a virtual
 * thread, which uses the blocking path. A plain TCP link on a platform thread never comes here: its writes wait
 * on the link's own selector with their deadline (see {@link TcpTransport}).
 *
 * <p>One daemon thread sleeps until the earliest deadline. It exists only while it is needed: it starts with
 * the first {@link #arm} and ends as soon as nothing is armed and every link that ever armed it is closed (each
 * such link holds a lease until {@link #retire}), so no gtcp thread outlives the last closed connection. The
 * lock guards only the queue, the lease count and the planned wake-up: nothing blocks on I/O while holding it.
 *
 * <p>Arming wakes the thread only when the new deadline comes before the wake-up it already planned. Writes
 * that complete leave the queue empty behind them without waking anyone, and the thread, waking at a deadline
 * that was disarmed meanwhile, just plans its next wake-up from the queue: with a steady write timeout it wakes
 * about once per timeout, not once per write.
 */
final class Watchdog {

    static final Watchdog INSTANCE = new Watchdog();

    /** One watched call of one link: its deadline and what to do when it passes. */
    static final class Ticket {
        private final Runnable onExpiry;
        private long deadline;
        private boolean fired;
        private boolean leased;

        Ticket(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Ticket> queue = new PriorityQueue<>(
            (a, b) -> Long.compare(a.deadline - b.deadline, 0));
    private int leases;
    private Thread thread;
    /** When the thread will look at the queue again; only meaningful while {@link #sleepsUntilSignalled} is false. */
    private long wakeAt;
    private boolean sleepsUntilSignalled;

    private Watchdog() {
    }

    /** Watches a call until {@link #disarm}; the ticket's link holds a lease until {@link #retire}. */
    void arm(Ticket ticket, long deadline) {
        lock.lock();
        try {
            ticket.deadline = deadline;
            ticket.fired = false;
            if (!ticket.leased) {
                ticket.leased = true;
                leases++;
            }
            queue.add(ticket);
            if (thread == null) {
                thread = new Thread(this::watch, "gtcp-watchdog");
                thread.setDaemon(true);
                sleepsUntilSignalled = false;
                wakeAt = deadline; // it plans from the queue as it starts
                thread.start();
            } else if (sleepsUntilSignalled || deadline - wakeAt < 0) {
                sleepsUntilSignalled = false;
                wakeAt = deadline;
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the watch of a call; true when its deadline had already fired (its link was aborted). */
    boolean disarm(Ticket ticket) {
        lock.lock();
        try {
            if (ticket.fired) {
                return true;
            }
            queue.remove(ticket);
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The ticket's link is closed: it gives its lease back, and the thread ends when none is left. */
    void retire(Ticket ticket) {
        lock.lock();
        try {
            queue.remove(ticket);
            if (ticket.leased) {
                ticket.leased = false;
                leases--;
                if (leases == 0) {
                    changed.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the watchdog thread is running: for tests. */
    boolean running() {
        lock.lock();
        try {
            return thread != null;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        for (;;) {
            Ticket due;
            lock.lock();
            try {
                for (;;) {
                    Ticket head = queue.peek();
                    if (head == null) {
                        if (leases == 0) {
                            thread = null; // the next arm() starts another
                            return;
                        }
                        sleepsUntilSignalled = true;
                        changed.await();
                        continue;
                    }
                    long wait = head.deadline - System.nanoTime();
                    if (wait <= 0) {
                        due = queue.poll();
                        due.fired = true;
                        break;
                    }
                    sleepsUntilSignalled = false;
                    wakeAt = head.deadline;
                    changed.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                thread = null; // under the lock: the next arm() starts a new watchdog
                return;
            } finally {
                lock.unlock();
            }
            try {
                due.onExpiry.run(); // aborts the link, outside the lock
            } catch (RuntimeException ignored) {
                // an abort does not throw; nothing may stop the watchdog
            }
        }
    }
}
