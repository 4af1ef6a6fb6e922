package io.gtcp.internal.pool;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The borrowers of one {@link AddressPool} that found it exhausted and wait, and how they are woken. It is not
 * the size limit and not on the warm path: a borrower only comes here after a scan found no idle entry and the
 * pool had no room to dial, and a return only looks at {@link #count} (one volatile read) to see that nobody
 * waits.
 *
 * <p>No wake-up is lost by the order of the two sides (the Dekker pattern, with volatile accesses only): a
 * waiter {@linkplain #announce() announces} itself, then looks for an idle entry once more, then {@linkplain
 * #await waits}; whoever makes progress possible (an entry back in the idle set, a place freed) publishes that
 * first and then calls {@link #wakeOne()}. Either the waiter's second look sees the published change, or the
 * waker sees the waiter's count and leaves a permit, which a waiter takes even if it arrives at the semaphore
 * after the permit.
 *
 * <p>The permits of a fair {@link Semaphore} that starts at zero are the wake-ups, so they go to the waiters in
 * arrival order; a woken waiter still competes with borrowers that never waited (it takes whatever is idle when
 * it looks). Letting a running thread take a returned entry keeps every borrow of a busy pool free of context
 * switches, where handing each returned entry to the longest waiter would make every borrow wait for a thread
 * to be scheduled; a waiter that loses is woken again by the next return, in its turn. A waker leaves no more
 * permits than there are waiters, so stale ones (a waiter that found an entry by its own second look) cannot
 * pile up and make later waiters spin.
 */
final class Waiters {

    private final AtomicInteger count = new AtomicInteger();
    private final Semaphore wakeUps = new Semaphore(0, true);

    /** The borrowers waiting right now. */
    int count() {
        return count.get();
    }

    /** Counts the caller as a waiter; it must look for an entry once more before it {@linkplain #await waits}. */
    void announce() {
        count.incrementAndGet();
    }

    /** No longer counted as a waiter; once per {@link #announce()}. */
    void leave() {
        count.decrementAndGet();
    }

    /** Waits up to {@code nanos} for a wake-up; false if none came. */
    boolean await(long nanos) throws InterruptedException {
        return wakeUps.tryAcquire(nanos, TimeUnit.NANOSECONDS);
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

    /**
     * Wakes a waiter unconditionally: on shutdown, each woken waiter sees it, passes the wake-up on by this
     * call and fails, so every waiter ends.
     */
    void wakeNext() {
        wakeUps.release();
    }
}
