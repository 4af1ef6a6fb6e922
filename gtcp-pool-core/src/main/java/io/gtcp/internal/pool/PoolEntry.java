package io.gtcp.internal.pool;

import io.gtcp.internal.io.Link;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pooled connection and its timestamps, in one slot of an {@link AddressPool}. Ownership moves by a
 * compare-and-set of {@link #word}: whoever moves it out of {@link #IDLE} owns the entry (a borrower, or the
 * housekeeper for a moment), so the plain fields are only ever written by their current owner and published by
 * the next volatile write of the word.
 *
 * <p><b>The word.</b> One {@code long}: the state in the low two bits, then {@link #CLOSED}, then the borrow's
 * operation phase (24 bits, odd while an operation of its handle runs), then the generation (37 bits, a count of
 * borrows that ended in the idle set or with a waiter). The borrower's handle ({@code PoolConn}) keeps no state
 * word of its own: an operation begins and ends by advancing the phase, a close from another thread while one runs
 * sets {@link #CLOSED}, and the return is one compare-and-set from exactly the word it read to the next
 * generation ({@link GiveBack}). So a warm {@code get(); close()} costs two locked instructions, the borrow's and
 * the return's; while the handle had a phase word of its own the return cost three (the handle's compare-and-set,
 * then a volatile store of this word and the fence it needs before the waiter count's re-read). The generation
 * makes a handle of an ended borrow harmless (its compare-and-sets expect an older generation); the phase makes a
 * return that read the word before an operation began (and perhaps ended) fail, rather than give the entry back on
 * checks made before that operation.
 */
public final class PoolEntry extends EntryPadding {

    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RESERVED = 2;
    static final int REMOVED = 3;

    /**
     * The borrow is closed: set by a return that must claim the entry before it gives it back (listeners or leak
     * detection on, whose once-only work must run once; a TLS link's check, see {@link GiveBack}), or by a close
     * from another thread while an operation runs (that operation's thread then gives the entry back, broken).
     */
    public static final long CLOSED = 0b100;

    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(PoolEntry.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long STATE_BITS = 0b11;
    private static final int PHASE_SHIFT = 3;
    private static final long PHASE_ONE = 1L << PHASE_SHIFT;
    private static final long PHASE_MASK = ((1L << 24) - 1) << PHASE_SHIFT;
    private static final int GENERATION_SHIFT = 27;
    private static final long GENERATION_MASK = -1L << GENERATION_SHIFT;

    /** The state, {@link #CLOSED}, the operation phase and the generation (see "The word" above). */
    private volatile long word;

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
        this.word = initialState;
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

    /**
     * Moves the state from {@code expected} to {@code next}, keeping the generation; false if not in it. Only for
     * an entry that no borrower's handle holds (idle, held, or just taken): its word has no phase and no flag.
     */
    boolean compareAndSet(int expected, int next) {
        for (;;) {
            long w = word;
            if ((w & ~GENERATION_MASK) != expected) {
                return false;
            }
            if (WORD.compareAndSet(this, w, (w & GENERATION_MASK) | next)) {
                return true;
            }
        }
    }

    int state() {
        return (int) (word & STATE_BITS);
    }

    /** Sets the state, keeping the generation: by the entry's current owner only, with no handle holding it. */
    void setState(int next) {
        word = (word & GENERATION_MASK) | next;
    }

    /**
     * Ends the borrow whose word is {@code borrowed}: {@code next} ({@link #IDLE}, or {@link #RESERVED} when handed
     * straight to a waiter) in a new generation, so that no handle of the ending borrow can touch it again. False if
     * the word is not {@code borrowed} any more (an operation began, or the borrow was closed or ended meanwhile).
     */
    boolean endBorrow(long borrowed, int next) {
        return WORD.compareAndSet(this, borrowed, ((borrowed & GENERATION_MASK) + (1L << GENERATION_SHIFT)) | next);
    }

    /** Takes the entry out of the borrow whose word is {@code borrowed}, to be removed; false as {@link #endBorrow}. */
    boolean endBorrowRemoved(long borrowed) {
        return WORD.compareAndSet(this, borrowed, (borrowed & GENERATION_MASK) | REMOVED);
    }

    /** Claims the return of the borrow whose word is {@code borrowed}: sets {@link #CLOSED}; false if it changed. */
    boolean claim(long borrowed) {
        return WORD.compareAndSet(this, borrowed, borrowed | CLOSED);
    }

    /** The word now: for a borrower's handle, which acts on it only through the methods below. */
    public long word() {
        return word;
    }

    /**
     * Whether {@code word} is the borrow of {@code generation}, still open: in use and not {@link #CLOSED}, whether
     * an operation runs or not.
     */
    public static boolean isOpen(long word, long generation) {
        return (word & ~PHASE_MASK) == ((generation << GENERATION_SHIFT) | IN_USE);
    }

    /** Whether an operation of the borrow runs in {@code word}. */
    public static boolean isRunning(long word) {
        return (word & PHASE_ONE) != 0;
    }

    /** {@code word} with its operation phase advanced: an operation begins, or the running one ends. */
    public static long nextPhase(long word) {
        return (word & ~PHASE_MASK) | ((word + PHASE_ONE) & PHASE_MASK);
    }

    /** An operation begins: from {@code from} (no operation running) to {@link #nextPhase}; false if it changed. */
    public boolean advance(long from) {
        return WORD.compareAndSet(this, from, nextPhase(from));
    }

    /** Whether {@code word} is the borrow of {@code generation}, open, with an operation running. */
    public static boolean isRunningIn(long word, long generation) {
        return isOpen(word, generation) && isRunning(word);
    }

    /**
     * The running operation of the borrow of {@code generation} ends: by its own thread, the only one that advances
     * the phase. False if the borrow was closed meanwhile (from another thread), or no operation of it runs.
     */
    public boolean endOperation(long generation) {
        long w = word;
        return isRunningIn(w, generation) && WORD.compareAndSet(this, w, nextPhase(w));
    }

    /**
     * Closes the borrow from another thread while its operation runs ({@code running} is the word): false if that
     * operation ended meanwhile.
     */
    public boolean closeRunning(long running) {
        return WORD.compareAndSet(this, running, running | CLOSED);
    }

    /** Whether {@code word} is the borrow of {@code generation}, closed by another thread while an operation runs. */
    public static boolean isClosedWhileRunning(long word, long generation) {
        return (word & ~PHASE_MASK) == ((generation << GENERATION_SHIFT) | CLOSED | IN_USE) && isRunning(word);
    }

    /**
     * Whether the operation of the borrow of {@code generation} still runs and nobody closed the borrow; by that
     * operation's thread. As a compare-and-set, it publishes what that thread wrote before (a new link) to a later
     * closer.
     */
    public boolean stillRunning(long generation) {
        long w = word;
        return isRunningIn(w, generation) && WORD.compareAndSet(this, w, w);
    }

    /** The generation of the current borrow (it changes each time a borrow ends). */
    public long generation() {
        return word >>> GENERATION_SHIFT;
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
