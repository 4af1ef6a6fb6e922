package io.gtcp.internal.group;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link io.gtcp.LoadBalancing#LEAST_BUSY}: two distinct candidates at random, the one with fewer borrowed
 * connections wins (the "power of two random choices", as in Finagle and gRPC).
 *
 * <p>Why two random ones rather than the least busy of all: comparing two needs no scan and no shared state,
 * yet it steers load away from a slow endpoint almost as well as a full scan, since a slow server's connections
 * stay borrowed longer; and unlike "always the least busy" it never sends a burst of simultaneous borrowers to
 * the same endpoint. The borrowed count is the one of the coarse clock's current tick, two volatile reads per pool
 * and no shared write on the borrow and return path (see {@code BusyCount}). Ties go to the first draw, itself
 * random, so idle endpoints share the traffic evenly.
 *
 * <p>An endpoint whose dial or operation failed less than a second ago, and that has not completed one since, loses
 * against any that works: a server going away (a rolling restart) refuses dials in microseconds, so it would look
 * the least busy of all and be picked again and again, each pick costing the retry budget a failover dial, while
 * {@code maxEjectionPercent} may keep it in rotation (the deploy's previous server still ejected). A second later it
 * competes again, so a server that is back gets its share at once.
 */
final class LeastBusyBalancer implements Balancer {

    /** How long an endpoint that failed (and has not served since) counts as busier than any that works. */
    static final long FAILING_FOR_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    @Override
    public Endpoint pick(Endpoint[] candidates) {
        int n = candidates.length;
        if (n == 1) {
            return candidates[0];
        }
        // Both draws come from one random long, each half scaled to its range by a multiply and a shift, not by
        // nextInt(bound)'s division (a bias of at most n / 2^32, far below what a balancer could notice), and the
        // second skips the first by arithmetic, not by a branch that a random draw would mispredict half the time.
        long r = ThreadLocalRandom.current().nextLong();
        int i = (int) (((r >>> 32) * n) >>> 32);
        int j = (int) (((r & 0xFFFF_FFFFL) * (n - 1)) >>> 32);
        j += (i - 1 - j) >>> 31; // j >= i: one up
        Endpoint first = candidates[i];
        Endpoint second = candidates[j];
        boolean firstFailing = first.pool.health().failedRecently(FAILING_FOR_NANOS);
        if (firstFailing != second.pool.health().failedRecently(FAILING_FOR_NANOS)) {
            return firstFailing ? second : first;
        }
        return second.pool.recentlyBorrowed() < first.pool.recentlyBorrowed() ? second : first;
    }
}
