package io.gtcp.internal.call;

import io.gtcp.RetryBudget;
import io.gtcp.internal.io.RetryGate;
import io.gtcp.internal.pool.CoarseClock;

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
 * {@value #SLICES} slices, each a {@link LongAdder} of calls and one of attempts, so a deposit is a volatile read
 * of the {@link CoarseClock}, a compare with the current slice's end and a striped increment: a few nanoseconds,
 * no lock, no allocation, no contended cache line. Moving to the next slice (about once a window/{@value #SLICES})
 * and withdrawing take a small lock; neither blocks on anything else. Counts are as exact as the slices are fine:
 * a call is forgotten between 9/10 and 10/10 of a window after it was made.
 */
public final class RetryAllowance implements RetryGate {

    static final int SLICES = 10;
    /** The floor a new factory starts with: one second's worth of {@code minPerSecond}. */
    private static final long FIRST_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final boolean unlimited;
    private final boolean none;
    private final double ratio;
    private final double minPerNano;
    private final long windowNanos;
    private final long sliceNanos;
    private final long startedAt;
    private final LongAdder[] calls = new LongAdder[SLICES];
    private final LongAdder[] attempts = new LongAdder[SLICES];
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int slot;
    private volatile long sliceEnd;
    private final LongAdder refused = new LongAdder();
    private final LongAdder allowed = new LongAdder();

    public RetryAllowance(RetryBudget budget) {
        this.unlimited = budget.isUnlimited();
        this.none = budget.isNone();
        this.ratio = budget.ratio();
        this.windowNanos = budget.window().toNanos();
        this.sliceNanos = windowNanos / SLICES;
        this.minPerNano = budget.minPerSecond() / (double) TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < SLICES; i++) {
            calls[i] = new LongAdder();
            attempts[i] = new LongAdder();
        }
        this.startedAt = System.nanoTime();
        this.sliceEnd = CoarseClock.now() + sliceNanos;
    }

    /** A call was made: its first attempt is free, and it adds {@code ratio} to what later attempts may use. */
    public void deposit() {
        if (unlimited || none) {
            return;
        }
        if (CoarseClock.now() - sliceEnd >= 0) {
            advance();
        }
        calls[slot].increment();
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
                c += calls[i].sum();
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
                calls[s].reset();
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
