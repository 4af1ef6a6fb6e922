package io.gtcp;

/**
 * A snapshot of one address's pool, or of all of a factory's pools added together.
 *
 * @param idle            connections in the pool, ready to be borrowed
 * @param active          connections borrowed right now (including ones being dialled for a borrower)
 * @param pending         callers waiting for a connection right now
 * @param total           idle plus active
 * @param created         connections dialled so far
 * @param closed          connections physically closed so far
 * @param acquireTimeouts borrowers that gave up after the acquire timeout
 */
public record PoolStats(int idle, int active, int pending, int total,
                        long created, long closed, long acquireTimeouts) {

    /** All zero. */
    public static final PoolStats EMPTY = new PoolStats(0, 0, 0, 0, 0, 0, 0);

    /** The sum of this snapshot and another. */
    public PoolStats plus(PoolStats other) {
        return new PoolStats(idle + other.idle, active + other.active, pending + other.pending,
                total + other.total, created + other.created, closed + other.closed,
                acquireTimeouts + other.acquireTimeouts);
    }
}
