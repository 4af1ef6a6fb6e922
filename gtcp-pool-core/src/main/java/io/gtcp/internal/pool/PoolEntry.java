package io.gtcp.internal.pool;

import io.gtcp.internal.io.Link;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pooled connection and its timestamps, in one slot of an {@link AddressPool}. Ownership moves by a
 * compare-and-set of {@link #state}: whoever moves it out of {@link #IDLE} owns the entry (a borrower, or the
 * housekeeper for a moment), so the plain fields are only ever written by their current owner and published by
 * the next volatile write of the state.
 */
public final class PoolEntry {

    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RESERVED = 2;
    static final int REMOVED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int STATE_BITS = 0b111;
    private static final int GENERATION_SHIFT = 3;

    /** The state in the low three bits, the generation (a count of returns to the idle set) above them. */
    private volatile int state;

    Link link;
    int slot = -1;
    long createdAt;
    /** When the max lifetime ends; meaningful only if {@link #mortal}. */
    long expiresAt;
    boolean mortal;
    long lastReturned;
    long borrowedAt;
    /** Whether the current borrower took it from the idle set (then reconnect-on-send may apply). */
    boolean fromIdle;
    Future<?> leakTask;
    /** Where the current borrower borrowed it; only with leak detection on. */
    Exception borrowStack;
    /** When the housekeeper last checked it for a peer close while idle. */
    long lastChecked;

    PoolEntry(Link link, long now, int initialState) {
        this.link = link;
        this.createdAt = now;
        this.lastReturned = now;
        this.state = initialState;
    }

    /** A new connection in this entry: its lifetime starts now (up to 2.5% shorter, see below). */
    void startLife(long now, long lifetimeNanos) {
        createdAt = now;
        mortal = lifetimeNanos > 0;
        if (mortal) {
            // up to 2.5% earlier, so that connections dialled together do not all expire together
            long spread = lifetimeNanos / 40;
            expiresAt = now + lifetimeNanos - (spread > 0 ? ThreadLocalRandom.current().nextLong(spread) : 0);
        }
    }

    /** Moves the state from {@code expected} to {@code next}, keeping the generation; false if not in it. */
    boolean compareAndSet(int expected, int next) {
        for (;;) {
            int s = state;
            if ((s & STATE_BITS) != expected) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s & ~STATE_BITS) | next)) {
                return true;
            }
        }
    }

    int state() {
        return state & STATE_BITS;
    }

    /** Sets the state, keeping the generation: by the entry's current owner only. */
    void setState(int next) {
        state = (state & ~STATE_BITS) | next;
    }

    /**
     * Ends a borrow: {@code next} ({@link #IDLE}, or {@link #RESERVED} when handed straight to a waiter) in a new
     * generation, so that no handle of the ending borrow can return it again.
     */
    void endBorrow(int next) {
        state = (((state >>> GENERATION_SHIFT) + 1) << GENERATION_SHIFT) | next;
    }

    /**
     * Whether this entry is still out in the borrow of that generation, so that its return may proceed. A plain
     * read suffices: a borrowed entry's state changes only by its borrower, each borrow has its own
     * {@code PoolConn}, and that handle's own compare-and-set lets exactly one {@code close()} through; the
     * generation makes a handle of an earlier borrow harmless even if that guard were bypassed.
     */
    boolean isBorrowedIn(int generation) {
        return state == ((generation << GENERATION_SHIFT) | IN_USE);
    }

    /** The generation of the current borrow (it changes each time the entry goes back to the idle set). */
    public int generation() {
        return state >>> GENERATION_SHIFT;
    }

    /** The physical connection now serving this entry (it changes on reconnect-on-send). */
    public Link link() {
        return link;
    }

    /** Whether the current borrower took this entry from the idle set rather than dialling it. */
    public boolean fromIdle() {
        return fromIdle;
    }
}
