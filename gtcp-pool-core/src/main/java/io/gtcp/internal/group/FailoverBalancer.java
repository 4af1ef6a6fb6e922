package io.gtcp.internal.group;

/**
 * {@link io.gtcp.LoadBalancing#FAILOVER}: the first candidate in list order. The candidates are the usable
 * endpoints, so the later ones get traffic exactly while the earlier ones are ejected, and the first one takes
 * everything back as soon as it is restored. A failed dial moves on to the next endpoint inside {@code get()}
 * itself, before any ejection.
 */
final class FailoverBalancer implements Balancer {

    @Override
    public Endpoint pick(Endpoint[] candidates) {
        return candidates[0];
    }
}
