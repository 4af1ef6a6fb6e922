package io.gtcp.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;

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
    /** Being given back: claimed by one {@code close()}, so that a second, racing one does nothing. */
    static final int RETURNING = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    Link link;
    int slot = -1;
    long createdAt;
    /** When the max lifetime ends; meaningful only if {@link #mortal}. */
    long expiresAt;
    boolean mortal;
    long lastReturned;
    /** The id of the thread that gave it back last: borrowing prefers a thread's own last connection. */
    long lastThread = -1;
    long borrowedAt;
    /** Whether the current borrower took it from the idle set (then reconnect-on-send may apply). */
    boolean fromIdle;
    Future<?> leakTask;
    /** Counts borrows; a handle remembers its own, so a stale handle can never return a later borrow. */
    int borrowId;

    PoolEntry(Link link, long now, int initialState) {
        this.link = link;
        this.createdAt = now;
        this.lastReturned = now;
        this.state = initialState;
    }

    boolean compareAndSet(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    int state() {
        return state;
    }

    void setState(int next) {
        state = next;
    }

    /** The physical connection now serving this entry (it changes on reconnect-on-send). */
    public Link link() {
        return link;
    }

    /** The number of the current borrow. */
    public int borrowId() {
        return borrowId;
    }

    /** Whether the current borrower took this entry from the idle set rather than dialling it. */
    public boolean fromIdle() {
        return fromIdle;
    }
}
