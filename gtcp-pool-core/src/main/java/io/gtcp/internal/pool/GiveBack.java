package io.gtcp.internal.pool;

import io.gtcp.CloseReason;

/**
 * How a borrowed entry comes back to its {@link AddressPool}: checked while it is still the borrower's, then given
 * back by one compare-and-set of its word ({@link PoolEntry}), from exactly the word the return read (this borrow's
 * generation, in use, no operation running) to the next generation's {@code IDLE} (or {@code RESERVED} for a
 * starving waiter, see {@link Waiters#endBorrow}), or to {@code REMOVED} when the checks close it.
 *
 * <p><b>Why one compare-and-set.</b> It is the whole of what a warm return must do atomically, and it does three
 * things at once. It lets exactly one {@code close()} through: of two racing closes of one handle, one finds the
 * word changed; a handle of an earlier borrow expects an older generation. It refuses a return whose checks are
 * stale: an operation that began (and perhaps ended) after the return read the word advanced the word's phase, so
 * the closer looks again (a running operation is then aborted, see {@code PoolConn}). And it publishes the entry
 * with its {@code lastReturned}, written before it; as a locked instruction it also orders the waiter count's
 * re-read after the publication, which the "No lost wake-up" of {@link Waiters} needs. Before this, the handle had
 * a phase word of its own, so a warm return cost its compare-and-set, a volatile store of the entry's state and
 * the fence that store needs before that re-read: three of the warm path's remaining costs (JMH, 32 threads on 8
 * connections, BENCHMARKS.md).
 *
 * <p><b>Checks before the compare-and-set.</b> Until it succeeds the return may lose (to a second close, or to an
 * operation of another thread), so what comes before it must be harmless when repeated or wasted: the link's
 * buffer is read, after I/O the socket is asked for unread bytes ({@code FIONREAD}, which neither blocks nor
 * reads), and {@code lastReturned} and {@link #suspectUpTo} get the current time. What must happen once, or may
 * block or read, comes after a claim: the entry's word gets {@link PoolEntry#CLOSED} first (one more
 * compare-and-set), then the end of the leak watch, the listeners' {@code connectionReleased} and a TLS link's
 * check (it may take the lock of a blocked reader and read a record). The default configuration over plain TCP
 * needs no claim; a removal claims by its own compare-and-set, to {@code REMOVED}, before it closes anything.
 */
final class GiveBack {

    private final AddressPool pool;
    /** Whether leak detection is on: its watch must end exactly once, so returns then claim first. */
    private final boolean leakOn;
    /**
     * Connections returned up to this time (coarse clock) are checked at their next borrow whatever their idle
     * time: the moment a connection last came back broken (see "Health" in {@link AddressPool}). Far in the past
     * until then.
     */
    volatile long suspectUpTo = CoarseClock.now() - Long.MAX_VALUE / 2;

    GiveBack(AddressPool pool, boolean leakOn) {
        this.pool = pool;
        this.leakOn = leakOn;
    }

    /**
     * Gives back the entry whose word was read as {@code borrowed} (in use, no operation running; with
     * {@link PoolEntry#CLOSED} if the caller claimed it already): to the idle set or a waiter if it is healthy and
     * in sync, else closed. {@code used} says whether the borrower did any I/O: only then can bytes be left in the
     * socket, so only then is it asked (a system call); the buffer is always checked. False, with nothing changed
     * but the times, if the word is not {@code borrowed} any more: the caller looks again.
     */
    boolean from(PoolEntry entry, long borrowed, boolean healthy, boolean used) {
        Listeners l = pool.listeners();
        long word = borrowed;
        boolean tls = used && entry.link.isTls();
        if ((word & PoolEntry.CLOSED) == 0 && (leakOn || l != Listeners.NONE || tls)) {
            if (!entry.claim(word)) {
                return false;
            }
            word |= PoolEntry.CLOSED;
        }
        long now = CoarseClock.now();
        if ((word & PoolEntry.CLOSED) != 0) { // claimed: only this thread gets here for this borrow
            if (leakOn) {
                LeakWatch.end(entry);
            }
            if (l != Listeners.NONE) {
                l.connectionReleased(pool.address(), System.nanoTime() - entry.borrowedAt);
            }
        }
        CloseReason reason;
        if (!healthy) {
            reason = CloseReason.BROKEN;
            suspectUpTo = now; // the other idle connections are checked at their next borrow
        } else if (used ? entry.link.hasUnreadBytes() : entry.link.hasBufferedBytes()) {
            reason = CloseReason.OUT_OF_SYNC;
        } else if (pool.isShutdown()) {
            reason = CloseReason.FACTORY_CLOSED;
        } else if (entry.mortal && now - entry.expiresAt >= 0) {
            reason = CloseReason.LIFETIME_EXPIRED;
        } else {
            entry.lastReturned = now;
            return pool.waiters.endBorrow(entry, word);
        }
        if (!entry.endBorrowRemoved(word)) {
            return false;
        }
        pool.remove(entry, reason);
        return true;
    }
}
