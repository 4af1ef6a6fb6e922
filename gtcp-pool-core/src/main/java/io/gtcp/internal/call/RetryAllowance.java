package io.gtcp.internal.call;

import io.gtcp.RetryBudget;
import io.gtcp.internal.io.RetryGate;
import io.gtcp.internal.pool.CoarseClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A factory's {@link RetryBudget} at work: every call deposits one, every attempt after a call's first withdraws
 * one if the last {@code window} allows it ({@code ratio} × its calls + {@code minPerSecond} × its seconds, the
 * seconds counted from the factory's start while it is younger than a window, so the floor is a rate, not a burst
 * at start). A new factory starts with its first second's floor ({@code minPerSecond} attempts), so the first
 * calls of an application that starts while a server is down can still fail over across the whole group; any
 * fraction left buys a whole attempt.
 *
 * <p><b>Why a sliced window of striped counters.</b> A deposit is on every call's path, a withdrawal only on a
 * failure's. Finagle keeps a leaky token bucket behind a lock-free adder for the same reason; here the window is
 * {@value #SLICES} slices, and a deposit is a volatile read of the {@link CoarseClock}, a compare with the current
 * slice's end and an increment of the caller's stripe of the current slice: no lock, no allocation, no atomic
 * instruction. The stripe is chosen by thread id and has cache lines of its own, so the threads running at one
 * moment almost never write the same line. The increment is a plain read and write, not an atomic add: a
 * {@link LongAdder}'s compare-and-set cost 5.8 ns a call alone and 11 % of the CPU samples of 32 threads borrowing
 * 8 connections (JFR, {@code ContendedBorrowBenchmark}). The price is that two threads of one stripe depositing
 * at the same instant may count one call instead of two, which leaves the budget a little smaller than the ratio
 * says, never larger. Withdrawals are counted exactly (under the lock). Moving to the next slice (about once a
 * window/{@value #SLICES}) and withdrawing take a small lock; neither blocks on anything else. Counts are as exact
 * as the slices are fine: a call is forgotten between 9/10 and 10/10 of a window after it was made.
 */
public final class RetryAllowance implements RetryGate {

    static final int SLICES = 10;
    /** Longs per stripe: its {@value #SLICES} slices and padding, 128 bytes, so no two stripes share a cache line. */
    private static final int STRIDE = 16;
    /**
     * Stripes of the call counts: a power of two, at least 64 and four per processor, at most 256 (33 KB). Threads
     * are spread by id, and an application's busy threads are usually created together: 32 of them on 8 stripes
     * put two running threads on one stripe about one time in eight, each then taking the line from the other at
     * every call.
     */
    static final int STRIPES = Math.min(256, Math.max(64,
            Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors() - 1)) << 1));
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    /** The floor a new factory starts with: one second's worth of {@code minPerSecond}. */
    private static final long FIRST_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final boolean unlimited;
    private final boolean none;
    /** {@code unlimited || none}: nothing to count, so a deposit returns at once (one field read on every call). */
    private final boolean uncounted;
    private final double ratio;
    private final double minPerNano;
    private final long windowNanos;
    private final long sliceNanos;
    private final long startedAt;
    /** Calls per stripe and slice: slice {@code s} of stripe {@code t} at {@code (t + 1) * STRIDE + s}. */
    private final long[] calls = new long[(STRIPES + 1) * STRIDE];
    private final LongAdder[] attempts = new LongAdder[SLICES];
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int slot;
    private volatile long sliceEnd;
    private final LongAdder refused = new LongAdder();
    private final LongAdder allowed = new LongAdder();

    public RetryAllowance(RetryBudget budget) {
        this.unlimited = budget.isUnlimited();
        this.none = budget.isNone();
        this.uncounted = unlimited || none;
        this.ratio = budget.ratio();
        this.windowNanos = budget.window().toNanos();
        this.sliceNanos = windowNanos / SLICES;
        this.minPerNano = budget.minPerSecond() / (double) TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < SLICES; i++) {
            attempts[i] = new LongAdder();
        }
        this.startedAt = System.nanoTime();
        this.sliceEnd = CoarseClock.now() + sliceNanos;
    }

    /** A call was made: its first attempt is free, and it adds {@code ratio} to what later attempts may use. */
    public void deposit() {
        if (uncounted) {
            return;
        }
        if (CoarseClock.now() - sliceEnd >= 0) {
            advance();
        }
        int i = (stripe(Thread.currentThread().getId()) + 1) * STRIDE + slot;
        CELL.setOpaque(calls, i, (long) CELL.getOpaque(calls, i) + 1);
    }

    /** An attempt after a call's first: taken from the budget if the window allows it, else refused. */
    @Override
    public boolean tryAttempt() {
        if (unlimited) {
            allowed.increment();
            return true;
        }
        if (none) {
            refused.increment();
            return false;
        }
        lock.lock();
        try {
            if (CoarseClock.now() - sliceEnd >= 0) {
                advance();
            }
            long c = 0;
            long a = 0;
            for (int i = 0; i < SLICES; i++) {
                c += calls(i);
                a += attempts[i].sum();
            }
            long age = Math.min(Math.max(System.nanoTime() - startedAt, FIRST_SECOND), windowNanos);
            if (a >= ratio * c + minPerNano * age) { // any fraction left buys one attempt
                refused.increment();
                return false;
            }
            attempts[slot].increment();
        } finally {
            lock.unlock();
        }
        allowed.increment();
        return true;
    }

    /** The stripe the thread with this id deposits into. */
    static int stripe(long threadId) {
        return (int) threadId & (STRIPES - 1);
    }

    /** The calls counted in slice {@code s}, over all stripes. */
    private long calls(int s) {
        long sum = 0;
        for (int t = 1; t <= STRIPES; t++) {
            sum += (long) CELL.getOpaque(calls, t * STRIDE + s);
        }
        return sum;
    }

    /** Attempts after a first one made so far (for the starter's {@code gtcp.client.retries}). */
    public long attempted() {
        return allowed.sum();
    }

    /** Attempts after a first one that the budget refused so far. */
    public long refused() {
        return refused.sum();
    }

    /** Starts the slices that the time passed since the last one calls for, forgetting what they held. */
    private void advance() {
        if (!lock.tryLock()) {
            return; // another thread moves the window on; counting into the old slice a moment longer is harmless
        }
        try {
            long now = CoarseClock.now();
            int s = slot;
            long end = sliceEnd;
            for (int n = 0; n < SLICES && now - end >= 0; n++) {
                s = (s + 1) % SLICES;
                for (int t = 1; t <= STRIPES; t++) {
                    CELL.setOpaque(calls, t * STRIDE + s, 0L);
                }
                attempts[s].reset();
                end += sliceNanos;
            }
            if (now - end >= 0) { // idle for more than a window: start afresh from now
                end = now + sliceNanos;
            }
            slot = s;
            sliceEnd = end;
        } finally {
            lock.unlock();
        }
    }
}
