package io.gtcp.internal.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.LoggerFactory;

/**
 * The time the borrow and return path judges idle time and expiry by: {@link System#nanoTime()} as one ticking
 * thread last read it, at most {@link #TICK_NANOS} ago. Reading the real clock costs about 18 ns here, and the
 * warm path read it twice (at borrow for the stale-check and TTL rules, at return to stamp the idle start):
 * measured with JMH, 66 of the ~70 ns of a warm borrow and return went to those two reads, and under contention
 * the longer hold made threads preempted while holding a connection run the pool dry more often. A volatile read
 * of this clock costs about a nanosecond. HikariCP reads the real clock at both ends; Aeron and Agrona keep cached
 * clocks for the same reason.
 *
 * <p><b>What may be judged by it.</b> Its value is never ahead of the real clock and lags it by up to a tick plus
 * however late the ticking thread runs. So it decides only what tolerates that: the idle TTL and the max lifetime
 * (minutes in practice; a connection expires up to one tick late) and whether a connection may skip the stale
 * check. The contract says a connection idle 500 ms or longer is always checked, so the pool checks every
 * connection that looks idle for {@code checkIdleAfter} minus {@link #SLACK_NANOS}: checking more often is allowed,
 * and the rule then holds as long as the ticker is less than {@code SLACK_NANOS} minus a tick late, a delay that
 * would stall the pool's housekeeping too. Deadlines, acquire timeouts and the durations reported to listeners use
 * the real clock.
 *
 * <p><b>One thread for the process</b> ({@code gtcp-clock}, a daemon), started by the first open factory and
 * ended with the last one's {@code close()}, so that no gtcp thread outlives the factories. It ticks 100 times a
 * second, and at each tick ends the long waits of borrowers whose time is up ({@link WaitDeadlines}: one volatile
 * read per pool in which somebody waits); a borrower never waits for it and never wakes it.
 */
public final class CoarseClock {

    /** How often the clock is read again. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How much less idle time than {@code checkIdleAfter} already gets a connection checked. */
    static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static volatile long now = System.nanoTime();
    /**
     * Guards {@link #users} and {@link #ticker}: a factory's open and close, never a borrow. A lock rather than a
     * monitor, as everywhere in the core, so that no virtual thread is ever pinned here.
     */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Open users (factories' pool registries). */
    private static int users;
    private static Thread ticker;
    /** Whether the ticking thread runs (set before it starts, cleared when the last user releases it). */
    private static volatile boolean ticking;

    private CoarseClock() {
    }

    /** The real clock as last read: up to a tick (or more, if the ticker runs late) behind it, never ahead. */
    public static long now() {
        return now;
    }

    /**
     * Whether the clock ticks, so that a borrower may park without a timeout and count on
     * {@link WaitDeadlines} to wake it: one volatile read.
     */
    static boolean isTicking() {
        return ticking;
    }

    /** A user opens: the clock ticks from now on, until every user {@linkplain #release() released} it. */
    public static void retain() {
        LOCK.lock();
        try {
            if (users++ == 0) {
                now = System.nanoTime();
                Thread t = new Thread(CoarseClock::tick, "gtcp-clock");
                t.setDaemon(true);
                ticker = t;
                ticking = true;
                t.start();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** A user closes; the last one ends the ticking thread. */
    public static void release() {
        LOCK.lock();
        try {
            if (users == 0) {
                return;
            }
            if (--users == 0) {
                ticking = false;
                ticker.interrupt();
                ticker = null;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Open users right now: for tests of the life cycle. */
    static int users() {
        LOCK.lock();
        try {
            return users;
        } finally {
            LOCK.unlock();
        }
    }

    /** Whether the ticking thread runs: for tests of the life cycle. */
    static boolean ticking() {
        LOCK.lock();
        try {
            return ticker != null && ticker.isAlive();
        } finally {
            LOCK.unlock();
        }
    }

    private static void tick() {
        Thread me = Thread.currentThread();
        boolean sweepFailing = false;
        try {
            while (!me.isInterrupted()) {
                LockSupport.parkNanos(TICK_NANOS);
                long t = System.nanoTime();
                now = t;
                try {
                    WaitDeadlines.sweep(t);
                    sweepFailing = false;
                } catch (RuntimeException e) { // never seen; the clock must tick on whatever happens there
                    if (!sweepFailing) { // once per change of state, not 100 times a second
                        sweepFailing = true;
                        LoggerFactory.getLogger(CoarseClock.class).error("ending the waits that are due failed", e);
                    }
                }
            }
        } finally {
            WaitDeadlines.wakeAll(); // those parked without a timeout park again with one
        }
    }
}
