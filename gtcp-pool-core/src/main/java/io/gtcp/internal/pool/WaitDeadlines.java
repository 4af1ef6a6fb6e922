package io.gtcp.internal.pool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends the long waits of a pool's borrowers when their time is up, from the {@link CoarseClock}'s thread, so that
 * a waiter can park without a timeout of its own.
 *
 * <p><b>Why.</b> A timed park of a virtual thread is not a timed system call: the JDK schedules a task that
 * unparks the thread when the time is up and cancels it when the thread is unparked first, one timer queue
 * insertion and removal per park, through a queue shared by every virtual thread. With 10,000 virtual-thread tasks
 * on 64 connections every exchange parks a borrower once, and those timers cost a third of the throughput: the
 * pool reached 0.82 of the throughput of the same pool behind a fair {@code Semaphore} (whose waiters park without
 * a timeout) with a p99 acquire wait 1.37 times as long, and 1.23 times the throughput with a p99 of 0.86 times as
 * long once its waiters parked without one (VirtualThreadsBenchmark, 4 pairs each, BENCHMARKS.md round 3). A
 * platform thread's timed park is a timed futex and costs nothing more, but one way of waiting for both kinds of
 * thread keeps the code, and its tests on Java 17, the same.
 *
 * <p><b>How.</b> A waiter with more than {@link #PRECISE_NANOS} to go marks its node untimed, lowers its pool's
 * {@link Waiters#earliest earliest deadline} to its own (one volatile read when it is not the earliest, which
 * with one acquire timeout per pool it rarely is), makes sure its pool is {@linkplain #watch watched}, and parks.
 * Every tick (10 ms) the clock's thread looks at the earliest deadline of each watched pool (one volatile read) and,
 * when one is less than {@code PRECISE_NANOS} away, walks that pool's waiters: it unparks those whose time is
 * nearly up, which then park again with a timeout for the rest (so a deadline is kept as exactly as by a timed park,
 * however late a tick comes, up to {@code PRECISE_NANOS}), and lowers the earliest deadline to the next one of
 * those left. A waiter that lowers the earliest deadline while a walk is under way is not missed: it marks itself
 * untimed before it lowers the deadline, and the walk resets the deadline before it looks at the waiters (the
 * Dekker pattern again: either the walk sees the waiter, or the next tick sees its deadline).
 *
 * <p>A pool is watched while somebody waits in it: the clock's thread drops a pool whose waiters are gone, having
 * first said so ({@link Waiters#watched}), and keeps it if a waiter came meanwhile; a waiter that finds its pool
 * not watched adds it under a lock (rare: once per busy period of a pool). With no factory open the clock does not
 * tick, and a waiter parks with a timeout as before. The clock stops only when the last factory closes, whose
 * pools' shutdown has woken their waiters already; its thread still wakes every untimed waiter as it ends, so that
 * a waiter of a pool used without a factory parks again with its own timeout.
 */
final class WaitDeadlines {

    /**
     * Waits shorter than this park with a timeout of their own; the clock's thread wakes a longer one this long
     * before its deadline, to park again with a timeout. Four ticks: the deadline holds even when a tick comes
     * 30 ms late.
     */
    static final long PRECISE_NANOS = 4 * CoarseClock.TICK_NANOS;

    /** The pools in which somebody waits. */
    private static final Set<Waiters> WATCHED = ConcurrentHashMap.newKeySet();
    /** Serialises a pool's addition with its removal (see the class comment); package-private for a test. */
    static final ReentrantLock LOCK = new ReentrantLock();

    private WaitDeadlines() {
    }

    /** Makes sure the clock's thread looks at {@code waiters}, in which the caller waits (it is counted). */
    static void watch(Waiters waiters) {
        if (waiters.watched) {
            return;
        }
        LOCK.lock();
        try {
            waiters.watched = true;
            WATCHED.add(waiters);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * One tick of the clock's thread: wakes the waiters whose deadline is less than {@link #PRECISE_NANOS} away,
     * and stops watching pools nobody waits in.
     */
    static void sweep(long now) {
        for (Waiters w : WATCHED) {
            if (w.count() == 0) {
                unwatchIfIdle(w);
            } else {
                w.wakeUntimed(now + PRECISE_NANOS, false);
            }
        }
    }

    /** On the clock's end: every untimed waiter wakes and parks again with its own timeout. */
    static void wakeAll() {
        for (Waiters w : WATCHED) {
            w.wakeUntimed(0, true);
        }
    }

    private static void unwatchIfIdle(Waiters w) {
        LOCK.lock();
        try {
            w.watched = false; // said before the count is read: a waiter counted in after this adds it again
            if (w.count() == 0) {
                WATCHED.remove(w);
            } else {
                w.watched = true;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Pools watched right now: for tests. */
    static boolean isWatched(Waiters waiters) {
        return WATCHED.contains(waiters);
    }
}
