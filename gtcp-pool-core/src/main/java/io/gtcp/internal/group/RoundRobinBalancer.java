package io.gtcp.internal.group;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link io.gtcp.LoadBalancing#ROUND_ROBIN}: the candidates in turn. "In turn" is a property of the whole
 * group, so it needs one shared counter: a single atomic increment per borrow, the least that can give it. The
 * counter wraps around harmlessly ({@link Math#floorMod}); when the candidates change (an ejection, a refresh) the
 * turn simply continues over the new ones.
 *
 * <p>An endpoint whose dial or operation failed less than a second ago, and that has not completed one since, gives
 * its turn to the next one that works (see {@link LeastBusyBalancer} for why): otherwise a server going away in a
 * rolling restart, faster than its ejection, would cost every third call a failover dial from the retry budget.
 */
final class RoundRobinBalancer implements Balancer {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Endpoint pick(Endpoint[] candidates) {
        int n = candidates.length;
        int turn = Math.floorMod(next.getAndIncrement(), n);
        Endpoint e = candidates[turn];
        if (n == 1 || !e.pool.health().failedRecently(LeastBusyBalancer.FAILING_FOR_NANOS)) {
            return e;
        }
        for (int k = 1; k < n; k++) { // its turn passes to the next one that works, as least-busy would
            Endpoint other = candidates[(turn + k) % n];
            if (!other.pool.health().failedRecently(LeastBusyBalancer.FAILING_FOR_NANOS)) {
                return other;
            }
        }
        return e;
    }
}
