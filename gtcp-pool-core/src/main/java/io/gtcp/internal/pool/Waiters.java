package io.gtcp.internal.pool;

import io.gtcp.CloseReason;
import io.gtcp.internal.io.Deadlines;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The borrowers of one {@link AddressPool} that found it exhausted: how they wait, how they are woken, and how a
 * returned entry reaches one that has waited long. None of it is on the warm path: a borrower comes here only
 * after a scan found no idle entry, and a return only reads {@link #count} (one volatile read) to see that nobody
 * waits.
 *
 * <p><b>One node per waiter, woken one by one.</b> A waiter queues a node of its own (FIFO) and parks; whoever
 * makes progress possible (an entry back in the idle set, a place freed) publishes that first and then takes the
 * first waiting node off the queue and unparks its thread ({@link #wakeOne()}), unless {@link #WAKE_LIMIT} woken
 * ones have not looked yet. Every wake-up thus reaches a distinct thread at once. The fair {@code Semaphore} this
 * replaced woke its queue through the queue itself: a release unparks the head, which wakes the next only once it
 * has run, so when returns came faster than woken threads were scheduled (virtual threads on two carriers)
 * hundreds of permits piled up while entries sat idle, and their waiters timed out beside them ("active 0, idle 16,
 * pending 643", issue 17).
 *
 * <p><b>No lost wake-up</b> (the Dekker pattern, with volatile accesses only): a waiter queues its node, then looks
 * for an idle entry once more, then parks; a waker publishes first and then dequeues (a return publishes by the
 * compare-and-set that gives the entry back, {@link GiveBack}: a volatile write, so its read of the waiter count
 * cannot come before it). Either the waiter's look sees the change, or the waker finds the node and unparks it
 * ({@link LockSupport#unpark} before the park makes the park return at once). A waiter that leaves after a
 * wake-up it did not use (it found an entry on a look that raced the wake, or its time ran out) passes the wake-up
 * on, and a waiter that times out takes one last look first: it gives up only when nothing was idle.
 *
 * <p><b>Who gets a returned entry.</b> A woken waiter competes with borrowers that never waited (it takes whatever
 * is idle when it looks). Letting a running thread take a returned entry keeps a busy pool free of context
 * switches, where handing every return to the longest waiter makes each borrow wait for a thread to be scheduled
 * (a fair semaphore did that: 32 threads on 8 connections managed about 0.15 borrows per microsecond). Bargers
 * could starve a waiter, though: once the first queued waiter has waited {@link #STARVING_AFTER_NANOS} (a virtual
 * thread) or {@link #PLATFORM_STARVING_AFTER_NANOS} (a platform thread), a return
 * is handed to it directly (its node carries the entry, state {@code RESERVED} meanwhile, which no scan takes), in
 * arrival order, and the returning thread yields its processor, as HikariCP's {@code ConcurrentBag} does when it
 * hands off: with more threads than processors the woken waiter then runs at once, where otherwise the returning
 * thread would go on, find the pool empty and park, one context switch per borrow. A virtual thread does not yield
 * there: its scheduler queues the waiter anyway, and the yield cost 10,000 virtual tasks on 64 connections a
 * quarter of their throughput (VirtualThreadsBenchmark, BENCHMARKS.md, round 3). Under heavy oversubscription
 * (thousands of virtual threads on a few connections) every waiter starves soon and the pool serves them in
 * arrival order, as the fair semaphore did, but without its one-at-a-time wake-ups.
 *
 * <p><b>Parking without a timeout.</b> A waiter with more than {@link WaitDeadlines#PRECISE_NANOS} to wait parks
 * without a timeout, and the clock's thread wakes it shortly before its time is up ({@link WaitDeadlines}): a
 * virtual thread's timed park costs a timer task per park, a third of the throughput of thousands of virtual
 * threads on a few connections.
 */
final class Waiters {

    /** A {@code maxPending} that waits for nothing: the borrow throws {@link EndpointFull} instead. */
    static final int NO_WAIT = Integer.MIN_VALUE;

    /** How long a waiter competes with running borrowers before returns are handed to the waiters directly. */
    static final long STARVING_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * The same for a platform thread: a hand-off costs it a context switch, so running borrowers keep the returns
     * longer (32 platform threads on 8 connections with I/O: 0.77-0.87 of commons-pool2's throughput with 10 ms,
     * 0.93-0.95 with 100 ms, fairness still above commons-pool2's). Virtual threads switch cheaply and come in
     * thousands, where only arrival order bounds the wait.
     */
    static final long PLATFORM_STARVING_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * How many woken waiters may be on their way at once: one per processor. Waking one per return instead made
     * 32 threads on 8 connections (with I/O) spend 40% more CPU per exchange on threads that woke, found the entry
     * taken by its returner, and parked again; a woken waiter that gets an entry wakes the next, so idle entries
     * still reach the waiters one after another.
     */
    static final int WAKE_LIMIT = Runtime.getRuntime().availableProcessors();

    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int HANDED = 2;
    private static final int LEFT = 3;

    /** {@link #earliest} when no waiter parks without a timeout. */
    private static final long NONE = Long.MIN_VALUE;
    /** The longest a waiter parks without a timeout before it looks at its deadline again (no overflow below). */
    private static final long HORIZON_NANOS = TimeUnit.HOURS.toNanos(1);

    /** One wait of a borrower: its thread, when it starves (coarse clock), and what a waker did to it. */
    static final class Node {
        private static final AtomicIntegerFieldUpdater<Node> STATUS =
                AtomicIntegerFieldUpdater.newUpdater(Node.class, "status");

        final Thread thread = Thread.currentThread();
        /** From when (coarse clock) a return is handed to this waiter rather than left to running borrowers. */
        final long handOffFrom;
        volatile int status;
        /** The entry handed to this waiter (status {@link #HANDED}); written before the status. */
        PoolEntry handed;
        /** Parked without a timeout, to be woken by the clock's thread by {@link #end} ({@link WaitDeadlines}). */
        volatile boolean untimed;
        /** When the clock's thread is to wake this waiter (nano time), if {@link #untimed}; written before it. */
        long end;

        Node(long handOffFrom) {
            this.handOffFrom = handOffFrom;
        }

        boolean to(int expected, int next) {
            return STATUS.compareAndSet(this, expected, next);
        }
    }

    /** {@code Thread.isVirtual()} on Java 21 and later, else null (the build targets Java 17). */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final AddressPool pool;
    private final AtomicInteger count = new AtomicInteger();
    /** Waiters woken ({@code WOKEN}) that have not looked yet: at most {@link #WAKE_LIMIT} at a time. */
    private final AtomicInteger woken = new AtomicInteger();
    /** The waiting nodes in arrival order; nodes whose waiter left ({@code LEFT}) are skipped and dropped. */
    private final ConcurrentLinkedQueue<Node> queue = new ConcurrentLinkedQueue<>();
    /** The earliest {@link Node#end} of the waiters parked without a timeout (or earlier), else {@link #NONE}. */
    private final AtomicLong earliest = new AtomicLong(NONE);
    /** Whether {@link WaitDeadlines} looks at these waiters: changed under its lock, read without. */
    volatile boolean watched;

    Waiters(AddressPool pool) {
        this.pool = pool;
    }

    /** The borrowers waiting right now. */
    int count() {
        return count.get();
    }

    /**
     * The way on for a borrower whose first scan found nothing idle: dial if there is room, else wait until an
     * entry comes back or a place frees up, within the acquire timeout counted from {@code start} and the
     * call's {@code deadline}, unless {@code maxPending} callers wait already (negative: no limit;
     * {@link #NO_WAIT}: never wait). The entry is counted in the pool's busy count; null if the pool was retired.
     */
    PoolEntry borrow(long start, long connectTimeoutNanos, long deadline, int maxPending) throws IOException {
        Node node = null;
        boolean counted = false;
        try {
            for (long now = start; ; now = System.nanoTime()) {
                if (node != null && node.status == HANDED) {
                    PoolEntry handed = node.handed;
                    node.handed = null;
                    node.status = LEFT;
                    node = null;
                    if (pool.isShutdown()) {
                        pool.remove(handed, CloseReason.FACTORY_CLOSED);
                        throw pool.report.poolClosed();
                    }
                    handed.setState(PoolEntry.IN_USE);
                    if (pool.fitForUse(handed, CoarseClock.now())) {
                        return pool.handOut(handed);
                    }
                    continue; // closed as unfit, which freed a place
                }
                if (pool.isShutdown()) {
                    throw pool.report.poolClosed();
                }
                // idle time and expiry are judged now, not when the wait began
                PoolEntry entry = counted ? pool.takeIdle(now) : null;
                if (entry != null) {
                    return pool.handOut(entry);
                }
                if (pool.reserve()) {
                    if (counted) { // a dialling borrower is not pending
                        counted = false;
                        count.decrementAndGet();
                        leave(node);
                        node = null;
                    }
                    return pool.dialForBorrower(Deadlines.bound(connectTimeoutNanos, deadline));
                }
                if (pool.total() < 0) {
                    return null; // retired: empty for good
                }
                if (node == null || node.status == WOKEN) {
                    // a woken waiter that found nothing queues again (a barger was quicker), keeping its age
                    if (node != null) {
                        woken.decrementAndGet();
                    }
                    long handOffFrom = node != null ? node.handOffFrom : CoarseClock.now()
                            + (onVirtualThread() ? STARVING_AFTER_NANOS : PLATFORM_STARVING_AFTER_NANOS);
                    if (!counted) {
                        if (!countIn(maxPending)) {
                            throw pool.report.cannotWait(count.get(), maxPending);
                        }
                        counted = true;
                    }
                    node = new Node(handOffFrom);
                    queue.offer(node);
                    continue; // look once more after queueing, so that no return goes unnoticed
                }
                long left = Math.min(pool.config().acquireTimeoutNanos() - (now - start), deadline - now);
                if (left <= 0) {
                    if (!node.to(WAITING, LEFT)) {
                        if (node.status == HANDED) {
                            continue; // an entry came at the last moment
                        }
                        woken.decrementAndGet(); // the wake-up it had is used by the last look
                    }
                    node = null;
                    entry = pool.takeIdle(CoarseClock.now()); // nobody gives up beside an idle entry
                    if (entry != null) {
                        return pool.handOut(entry);
                    }
                    throw pool.report.exhausted(start, count.get() - 1);
                }
                park(node, now, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(NamedFailure.prefix(pool.config().name(), pool.address())
                            + "interrupted while waiting for a connection");
                }
            }
        } finally {
            if (counted) {
                count.decrementAndGet();
                leave(node);
            }
        }
    }

    /**
     * Parks a counted waiter for up to {@code left} nanoseconds: without a timeout when the wait is long and the
     * clock's thread ticks (see {@link WaitDeadlines}), else with one. Either may return early, as any park may.
     */
    private void park(Node node, long now, long left) {
        if (left <= WaitDeadlines.PRECISE_NANOS || !CoarseClock.isTicking()) {
            LockSupport.parkNanos(this, left);
            return;
        }
        // first, as it may take a lock and park there, which would use up an unpark meant for the park below
        WaitDeadlines.watch(this);
        long end = now + Math.min(left, HORIZON_NANOS);
        node.end = end == NONE ? end + 1 : end;
        node.untimed = true; // before the earliest deadline is lowered: a walk that resets it sees this node
        lowerEarliest(node.end);
        if (node.status == WAITING) { // else a waker came meanwhile, whose unpark a park above may have used up
            LockSupport.park(this);
        }
        node.untimed = false;
    }

    /**
     * From the clock's thread: unparks the waiters parked without a timeout whose {@link Node#end} is not after
     * {@code dueBy} (every one if {@code all}), and leaves the earliest end of all of them in {@link #earliest}, so
     * that one unparked but not yet parked again with its timeout is looked at again at the next tick. Looks at the
     * waiters only when the earliest end is due: one volatile read a tick otherwise.
     */
    void wakeUntimed(long dueBy, boolean all) {
        long e = earliest.get();
        if (!all && (e == NONE || e - dueBy > 0)) {
            return;
        }
        earliest.set(NONE); // before the walk: a waiter that lowers it from now on is in the queue already
        for (Node n : queue) {
            if (n.untimed && n.status == WAITING) {
                long end = n.end;
                if (all || end - dueBy <= 0) {
                    LockSupport.unpark(n.thread); // it parks again, with a timeout for what is left
                }
                lowerEarliest(end); // looked at again next tick, until it has parked again or left
            }
        }
    }

    /** Makes {@link #earliest} no later than {@code end}: a volatile read when it is earlier already. */
    private void lowerEarliest(long end) {
        for (long e = earliest.get(); e == NONE || end - e < 0; e = earliest.get()) {
            if (earliest.compareAndSet(e, end)) {
                return;
            }
        }
    }

    /** Counts a waiter in unless {@code maxPending} wait already (negative: no limit; {@link #NO_WAIT}: none). */
    private boolean countIn(int maxPending) {
        if (maxPending < 0 && maxPending != NO_WAIT) {
            count.incrementAndGet();
            return true;
        }
        for (int c = count.get(); c < maxPending; c = count.get()) {
            if (count.compareAndSet(c, c + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A waiter leaves with its node still out (it found an entry, a place to dial, or failed): a wake-up it took but
     * may not have used goes on to the next waiter, an entry handed to it goes back.
     */
    private void leave(Node node) {
        if (node != null && !node.to(WAITING, LEFT)) {
            if (node.status == WOKEN) {
                node.status = LEFT;
                woken.decrementAndGet();
                wakeOne();
            } else if (node.status == HANDED) {
                PoolEntry handed = node.handed;
                node.handed = null;
                node.status = LEFT;
                giveBack(handed);
            }
        }
        if (count.get() == 0) {
            queue.removeIf(n -> n.status == LEFT); // nodes of waiters gone: keep no thread reachable
        }
    }

    /**
     * Ends the borrow of a healthy {@code entry} being returned, by one compare-and-set from {@code borrowed}, the
     * word its return read ({@link GiveBack}): handed to the first waiter if that one starves, else back to the idle
     * set and a waiter woken, if one waits. False if the word is not {@code borrowed} any more (nothing changed).
     */
    boolean endBorrow(PoolEntry entry, long borrowed) {
        if (count.get() == 0) {
            if (!entry.endBorrow(borrowed, PoolEntry.IDLE)) {
                return false;
            }
            if (count.get() != 0) { // read again after the entry is published: see "No lost wake-up"
                wakeOne(); // one counted itself in meanwhile and may have looked before the entry was idle
            }
        } else {
            Node first = queue.peek();
            while (first != null && first.status == LEFT) { // a waiter that left: drop its node
                queue.remove(first);
                first = queue.peek();
            }
            if (first != null && CoarseClock.now() - first.handOffFrom >= 0) {
                if (!entry.endBorrow(borrowed, PoolEntry.RESERVED)) {
                    return false;
                }
                if (handTo(entry)) {
                    if (!onVirtualThread()) { // a virtual thread's scheduler runs the waiter soon anyway: no yield
                        Thread.yield(); // let the woken waiter run now rather than after this thread's next borrow
                    }
                    return true;
                }
                entry.setState(PoolEntry.IDLE);
            } else if (!entry.endBorrow(borrowed, PoolEntry.IDLE)) {
                return false;
            }
            wakeOne(); // after the entry is idle: no wake-up is lost
        }
        closeIfShutDown(entry);
        return true;
    }

    /** Hands a {@code RESERVED} entry to the first waiting node and unparks its thread; false if nobody waits. */
    private boolean handTo(PoolEntry entry) {
        for (Node n; (n = queue.poll()) != null; ) {
            n.handed = entry;
            if (n.to(WAITING, HANDED)) {
                LockSupport.unpark(n.thread);
                return true;
            }
            n.handed = null;
        }
        return false;
    }

    /** An entry handed to a waiter that left without it: to the next waiter, else the idle set. */
    private void giveBack(PoolEntry entry) {
        if (pool.isShutdown()) {
            pool.remove(entry, CloseReason.FACTORY_CLOSED);
            return;
        }
        if (handTo(entry)) {
            return;
        }
        entry.setState(PoolEntry.IDLE);
        wakeOne();
        closeIfShutDown(entry);
    }

    /** An entry just put in the idle set while the pool shut down: closed, unless someone took it already. */
    private void closeIfShutDown(PoolEntry entry) {
        if (pool.isShutdown() && entry.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
            pool.remove(entry, CloseReason.FACTORY_CLOSED); // raced with the shutdown's pass: do not leave it open
        }
    }

    /** Wakes the first waiter, if there is one. Called after the change that may let a waiter proceed was published. */
    void wakeOne() {
        if (count.get() == 0 || woken.get() >= WAKE_LIMIT) {
            return; // those already woken look before they park again, and pass a wake-up on when they succeed
        }
        for (Node n; (n = queue.poll()) != null; ) {
            if (n.to(WAITING, WOKEN)) {
                woken.incrementAndGet();
                LockSupport.unpark(n.thread);
                return;
            }
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    /** On shutdown: wakes every waiter; each sees the shutdown (and closes an entry handed to it). */
    void shutdown() {
        for (Node n; (n = queue.poll()) != null; ) {
            if (n.to(WAITING, WOKEN)) {
                woken.incrementAndGet();
                LockSupport.unpark(n.thread);
            }
        }
    }
}
