package io.gtcp.internal.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends blocking calls that have no timeout of their own when their deadline passes, by aborting their link: the
 * writes and the close_notify of a TLS link (an {@link javax.net.ssl.SSLSocket} write cannot be timed), the TLS
 * handshake (its deadline covers the whole handshake, not each read), and a timed write made on a virtual
 * thread, which uses the blocking path. A plain TCP link on a platform thread never comes here: its writes wait
 * on the link's own selector with their deadline (see {@link TcpTransport}).
 *
 * <p><b>Why arming is a volatile store.</b> Every timed TLS write arms and disarms a ticket, from as many threads
 * as write at once. A shared queue under a lock (this class's first form) made each write take the lock twice
 * and scan the queue to remove its entry: at 16 and 64 threads that showed as futex calls per exchange. Now a
 * ticket holds one volatile value of its own, the deadline of its call or IDLE or FIRED: arming is a volatile
 * store, disarming one compare-and-set, and neither touches anything another writer touches. The one daemon thread scans the tickets of the links that armed one (each
 * link registers its ticket once, with a lease), fires those whose deadline passed (the compare-and-set decides
 * between a fire and a disarm: exactly one wins) and sleeps until the earliest deadline still armed.
 *
 * <p><b>Why no wake-up per write.</b> The thread publishes when it plans to wake ({@code wakeAt}) before its last
 * look at the tickets; an arm publishes its state before it reads {@code wakeAt}. So either the thread sees the
 * new deadline, or the arm sees the planned wake-up and unparks the thread only if its deadline comes earlier.
 * With a steady write timeout each new deadline comes after the planned wake-up: writes that complete wake no
 * one, and the thread wakes about once per timeout.
 *
 * <p>The thread exists only while it is needed: it starts with the first lease and ends once every link that
 * armed it is closed (each holds a lease until {@link #retire}), so no gtcp thread outlives the last closed
 * connection. The lock guards only the leases and the thread's start and end: nothing blocks on I/O while
 * holding it, and a write never takes it after its link's first arm.
 */
final class Watchdog {

    static final Watchdog INSTANCE = new Watchdog();

    /** The longest the thread sleeps with nothing armed before it looks again (an unpark comes first). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A ticket's {@code armed} when no call is watched. */
    private static final long IDLE = Long.MIN_VALUE;
    /** A ticket's {@code armed} once its deadline passed and its link was aborted. */
    private static final long FIRED = Long.MIN_VALUE + 1;
    private static final VarHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findVarHandle(Ticket.class, "armed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One link's watched call: its deadline (or {@link #IDLE}, {@link #FIRED}), and what to do when it passes. */
    static final class Ticket {
        private final Runnable onExpiry;
        /**
         * The deadline of the watched call, or IDLE or FIRED: one value, so that the thread's compare-and-set
         * from the deadline it found due to FIRED fails if the call was disarmed and another armed meanwhile.
         */
        private volatile long armed = IDLE;
        /** Registered with the watchdog: changed under its lock, read without it. */
        private volatile boolean leased;

        Ticket(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Ticket> leased = ConcurrentHashMap.newKeySet();
    private int leases;
    private volatile Thread thread;
    /** When the thread plans to look at the tickets again (see the class comment). */
    private volatile long wakeAt;

    private Watchdog() {
    }

    /** Watches a call until {@link #disarm}; the ticket's link holds a lease until {@link #retire}. */
    void arm(Ticket ticket, long deadline) {
        if (!ticket.leased) {
            lease(ticket);
        }
        ticket.armed = deadline == IDLE || deadline == FIRED ? FIRED + 1 : deadline;
        if (!ticket.leased) { // retired meanwhile by a close: lease it again, the closer's retire() follows
            lease(ticket);
        }
        Thread t = thread;
        if (t != null && deadline - wakeAt < 0) {
            LockSupport.unpark(t);
        }
    }

    /** Ends the watch of a call; true when its deadline had already fired (its link was aborted). */
    boolean disarm(Ticket ticket) {
        for (;;) {
            long armed = ticket.armed;
            if (armed == FIRED) {
                return true;
            }
            if (armed == IDLE || ARMED.compareAndSet(ticket, armed, IDLE)) {
                return false;
            }
        }
    }

    /** The ticket's link is closed: it gives its lease back, and the thread ends when none is left. */
    void retire(Ticket ticket) {
        disarm(ticket);
        lock.lock();
        try {
            if (ticket.leased) {
                ticket.leased = false;
                leased.remove(ticket);
                leases--;
                if (leases == 0 && thread != null) {
                    LockSupport.unpark(thread);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the watchdog thread is running: for tests. */
    boolean running() {
        return thread != null;
    }

    private void lease(Ticket ticket) {
        lock.lock();
        try {
            if (ticket.leased) {
                return;
            }
            ticket.leased = true;
            leased.add(ticket);
            leases++;
            if (thread == null) {
                wakeAt = System.nanoTime(); // it looks at once as it starts
                Thread t = new Thread(this::watch, "gtcp-watchdog");
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        for (;;) {
            long now = System.nanoTime();
            long planned = now + IDLE_NANOS;
            boolean anyArmed = false;
            for (;;) { // publish the plan, then look: an arm the look misses sees the plan (class comment)
                wakeAt = planned;
                long earliest = planned;
                for (Ticket ticket : leased) {
                    long deadline = ticket.armed;
                    if (deadline == IDLE || deadline == FIRED) {
                        continue;
                    }
                    if (now - deadline >= 0) {
                        fire(ticket, deadline);
                    } else {
                        anyArmed = true;
                        if (deadline - earliest < 0) {
                            earliest = deadline;
                        }
                    }
                }
                if (earliest == planned) {
                    break;
                }
                planned = earliest;
            }
            if (!anyArmed && lastLeaseGone()) {
                return;
            }
            LockSupport.parkNanos(this, planned - System.nanoTime());
        }
    }

    /** Under the lock: with no lease left the thread ends (the next lease starts another). */
    private boolean lastLeaseGone() {
        lock.lock();
        try {
            if (leases == 0) {
                thread = null;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void fire(Ticket ticket, long deadline) {
        if (ARMED.compareAndSet(ticket, deadline, FIRED)) {
            try {
                ticket.onExpiry.run(); // aborts the link
            } catch (RuntimeException ignored) {
                // an abort does not throw; nothing may stop the watchdog
            }
        }
    }
}
