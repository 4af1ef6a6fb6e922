package io.gtcp.internal.group;

import io.gtcp.LoadBalancing;

/**
 * Picks the endpoint a {@code get()} tries first, from a non-empty array of candidates in list order (the usable
 * endpoints, or every endpoint when all are ejected). One implementation per {@link LoadBalancing} policy, each a
 * few lines on the borrow path: it must not allocate, lock or scan the group.
 */
interface Balancer {

    Endpoint pick(Endpoint[] candidates);

    static Balancer of(LoadBalancing policy) {
        return switch (policy) {
            case LEAST_BUSY -> new LeastBusyBalancer();
            case ROUND_ROBIN -> new RoundRobinBalancer();
            case FAILOVER -> new FailoverBalancer();
        };
    }
}
