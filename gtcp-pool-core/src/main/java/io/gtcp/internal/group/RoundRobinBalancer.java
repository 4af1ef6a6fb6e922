package io.gtcp.internal.group;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link io.gtcp.LoadBalancing#ROUND_ROBIN}: the candidates in turn. "In turn" is a property of the whole
 * group, so it needs one shared counter: a single atomic increment per borrow, the least that can give it. The
 * counter wraps around harmlessly ({@link Math#floorMod}); when the candidates change (an ejection, a refresh) the
 * turn simply continues over the new ones.
 */
final class RoundRobinBalancer implements Balancer {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Endpoint pick(Endpoint[] candidates) {
        return candidates[Math.floorMod(next.getAndIncrement(), candidates.length)];
    }
}
