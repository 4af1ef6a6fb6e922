package io.gtcp.internal.pool;

import io.gtcp.CloseReason;
import io.gtcp.internal.io.Deadlines;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The borrowers of one {@link AddressPool} that found it exhausted: how they wait, how they are woken, and how a
 * returned entry reaches one that has waited long. None of it is on the warm path: a borrower comes here only
 * after a scan found no idle entry, and a return only reads {@link #count} (one volatile read) to see that nobody
 * waits.
 *
 * <p><b>No lost wake-up</b> (the Dekker pattern, with volatile accesses only): a waiter {@linkplain #announce()
 * counts itself}, then looks for an idle entry once more, then waits; whoever makes progress possible (an entry
 * back in the idle set, a place freed) publishes that first and then calls {@link #wakeOne()}. Either the waiter's
 * second look sees the change, or the waker sees the waiter's count and leaves a permit, which the waiter takes
 * even if it reaches the semaphore after the permit was left.
 *
 * <p><b>Who gets a returned entry.</b> The permits of a fair {@link Semaphore} that starts at zero are the
 * wake-ups, so waiters are woken in arrival order; a woken waiter then competes with borrowers that never waited
 * (it takes whatever is idle when it looks). Letting a running thread take a returned entry keeps a busy pool
 * free of context switches, where handing every return to the longest waiter makes each borrow wait for a thread
 * to be scheduled (the fair semaphore this replaced did that: 32 threads on 8 connections managed about 0.15
 * borrows per microsecond). Bargers could starve a waiter, though: once one has waited
 * {@link #STARVING_AFTER_NANOS}, returns become gifts, entries held for the waiters ({@code RESERVED}, which no
 * scan takes) until the starving ones are served, and the returning thread yields its processor, as HikariCP's
 * {@code ConcurrentBag} does when it hands off: with more threads than processors the woken waiter then runs at
 * once, where otherwise the returning thread would go on, find the pool empty and park, one context switch per
 * borrow (JMH, 32 threads on 8 connections, 2 vCPUs: 8 borrows per microsecond without the yield, 24-31 with it;
 * with I/O, the fewest over the most exchanges of a thread went from 0.35 to 0.56-0.61). A waker leaves no more
 * permits than there are waiters, so stale ones (a waiter that found an entry by its second look) cannot pile up
 * and make later waiters spin.
 */
final class Waiters {

    /** A {@code maxPending} that waits for nothing: the borrow throws {@link EndpointFull} instead. */
    static final int NO_WAIT = Integer.MIN_VALUE;

    /** How long a waiter competes with running borrowers before returns are handed to the waiters directly. */
    static final long STARVING_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AddressPool pool;
    private final AtomicInteger count = new AtomicInteger();
    private final Semaphore wakeUps = new Semaphore(0, true);
    /** Waiters that have waited {@link #STARVING_AFTER_NANOS} or longer: while there are any, returns are gifts. */
    private final AtomicInteger starving = new AtomicInteger();
    /** A returned entry held for the waiters (state {@code RESERVED}): only a waiter takes it. */
    private final AtomicReference<PoolEntry> gift = new AtomicReference<>();

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
        boolean waiting = false;
        boolean starved = false;
        try {
            for (long now = start; ; now = System.nanoTime()) {
                if (pool.isShutdown()) {
                    if (waiting) {
                        wakeUps.release(); // passes the shutdown's wake-up on, so that every waiter ends
                    }
                    throw pool.poolClosed();
                }
                // idle time and expiry are judged now, not when the wait began
                PoolEntry entry = waiting ? takeGiftOrIdle(now) : null;
                if (entry != null) {
                    return pool.handOut(entry);
                }
                if (pool.reserve()) {
                    if (waiting) {
                        waiting = false;
                        stopWaiting(starved); // a dialling borrower is not pending
                    }
                    return pool.dialForBorrower(Deadlines.bound(connectTimeoutNanos, deadline));
                }
                if (pool.total() < 0) {
                    return null; // retired: empty for good
                }
                if (!waiting) {
                    if (!countIn(maxPending)) {
                        throw pool.cannotWait(count.get(), maxPending);
                    }
                    waiting = true;
                    continue; // look once more after counting in, so that no return goes unnoticed
                }
                if (!starved && now - start >= STARVING_AFTER_NANOS) {
                    starved = true;
                    starving.incrementAndGet();
                }
                long left = Math.min(pool.config().acquireTimeoutNanos() - (now - start), deadline - now);
                if (left <= 0 || !wakeUps.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw pool.exhausted(start, count.get() - 1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection to " + pool.address());
        } finally {
            if (waiting) {
                stopWaiting(starved);
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

    private void stopWaiting(boolean starved) {
        if (starved) {
            starving.decrementAndGet();
        }
        count.decrementAndGet();
        if (count.get() == 0) {
            reclaimGift(); // nobody is left to take it
        }
    }

    /** A waiter's look: the gift if there is one, else an idle entry. */
    private PoolEntry takeGiftOrIdle(long now) {
        PoolEntry g = takeGift();
        if (g != null) {
            g.setState(PoolEntry.IN_USE);
            if (pool.fitForUse(g, now)) {
                return g;
            }
        }
        return pool.takeIdle(now);
    }

    /**
     * Ends the borrow of a healthy {@code entry} being returned: a gift to the waiters if one is starving (true),
     * else back to the idle set and a waiter woken (false; the pool then checks for a racing shutdown).
     */
    boolean endBorrow(PoolEntry entry) {
        if (count.get() > 0 && starving.get() > 0) {
            entry.endBorrow(PoolEntry.RESERVED);
            if (gift.compareAndSet(null, entry)) {
                wakeOne();
                if (count.get() == 0 || pool.isShutdown()) {
                    reclaimGift(); // nobody left to take it
                } else {
                    Thread.yield(); // let the woken waiter run now rather than after this thread's next borrow
                }
                return true;
            }
            entry.setState(PoolEntry.IDLE);
        } else {
            entry.endBorrow(PoolEntry.IDLE);
        }
        wakeOne(); // after the entry is idle: no wake-up is lost
        return false;
    }

    /**
     * Wakes one waiter, if there is one and not every waiter has a wake-up pending already. Called after the
     * change that may let a waiter proceed was published.
     */
    void wakeOne() {
        int waiting = count.get();
        if (waiting > 0 && wakeUps.availablePermits() < waiting) {
            wakeUps.release();
        }
    }

    /** On shutdown: closes the gift and wakes a waiter, which sees the shutdown and wakes the next one. */
    void shutdown() {
        reclaimGift();
        wakeUps.release();
    }

    private PoolEntry takeGift() {
        return gift.get() == null ? null : gift.getAndSet(null);
    }

    /** Puts a gift nobody took back in the idle set, or closes it if the pool is shut down. */
    private void reclaimGift() {
        PoolEntry g = takeGift();
        if (g == null) {
            return;
        }
        if (pool.isShutdown()) {
            pool.remove(g, CloseReason.FACTORY_CLOSED);
            return;
        }
        g.setState(PoolEntry.IDLE);
        wakeOne();
        if (pool.isShutdown() && g.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
            pool.remove(g, CloseReason.FACTORY_CLOSED);
        }
    }
}
