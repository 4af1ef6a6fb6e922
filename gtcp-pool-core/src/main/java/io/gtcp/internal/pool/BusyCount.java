package io.gtcp.internal.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many borrowers of one {@link AddressPool} hold a connection or are dialling one: the load an endpoint group
 * balances on (least busy first). Reading it is two volatile reads. Keeping it is a shared counter changed at
 * every borrow and return, whose cache line then moves between cores at each one, which costs a contended pool
 * measurably; so it is kept only from the first time somebody {@linkplain #get() asks}, and a pool nobody asks
 * about pays one volatile read per borrow. Borrows already out at that first question are not counted (and not
 * uncounted when they come back: each entry remembers whether its borrow was counted), so the first answers may
 * be low for as long as those borrows last.
 */
final class BusyCount {

    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean on;

    /** The current count; switches counting on. */
    int get() {
        if (!on) {
            on = true;
        }
        return count.get();
    }

    /** Counts a borrow if counting is on; says whether it did, for the return to {@linkplain #out uncount} it. */
    boolean in() {
        if (!on) {
            return false;
        }
        count.incrementAndGet();
        return true;
    }

    /** Uncounts a borrow that {@link #in()} counted. */
    void out(boolean counted) {
        if (counted) {
            count.decrementAndGet();
        }
    }
}
