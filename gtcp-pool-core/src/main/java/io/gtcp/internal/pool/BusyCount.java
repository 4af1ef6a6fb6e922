package io.gtcp.internal.pool;

/**
 * How many borrowers of one {@link AddressPool} hold a connection or are dialling one: the load an endpoint group
 * balances on (least busy first), read at every borrow of a least-busy group.
 *
 * <p><b>Why counted by a scan, once per clock tick.</b> A counter changed at every borrow and return is two atomic
 * read-modify-writes on the warm path (about 10 of a group's 16 ns measured in {@code GroupBorrowReturnBenchmark})
 * and one more cache line that every borrower of the endpoint writes, the kind of shared counter the pool keeps off
 * that path everywhere else (see {@link PoolReport}). The balancer does not need the count of this instant: its
 * draw of two steers load away from an endpoint whose connections stay borrowed longer, a difference that lasts far
 * longer than a tick of the {@link CoarseClock} (10 ms). So the count is worked out by a scan of the slots (places
 * taken less idle entries), by the first borrower that asks in a tick, and read as two volatile fields until the
 * clock moves. Borrowers that ask in the same tick see the same figure, so a burst within one tick spreads over
 * the endpoints as the draw's randomness does, and the scan costs the pool a read of its slots a hundred times a
 * second at most, nothing per borrow.
 */
final class BusyCount {

    private final AddressPool pool;
    private volatile long countedAt;
    private volatile int count;

    BusyCount(AddressPool pool) {
        this.pool = pool;
        this.countedAt = CoarseClock.now() - 1; // counted afresh at the first question
    }

    /** The count as of the coarse clock's current tick: scanned by the first caller in a tick. */
    int recent() {
        long now = CoarseClock.now();
        if (now != countedAt) {
            int c = exact();
            count = c;
            countedAt = now; // after the count: a reader that sees this tick sees its count or a later one
            return c;
        }
        return count;
    }

    /** The count now: places taken (borrowed, being dialled, idle) less the idle entries and the minIdle dials. */
    int exact() {
        return Math.max(0, pool.total() - pool.fillDials.get() - pool.report.idleCount(false));
    }
}
