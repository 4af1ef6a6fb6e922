package io.gtcp;

/**
 * How {@link PoolConnFactory#get()} picks an endpoint of its group. Only usable endpoints (not ejected, not
 * drained) take part; when none is usable, every endpoint is tried rather than failing at once.
 */
public enum LoadBalancing {
    /**
     * Two usable endpoints chosen at random; the one with fewer borrowed connections wins (the "power of two
     * choices"). Cheap, needs no shared counter, and steers traffic away from a slow endpoint, whose
     * connections stay borrowed longer.
     */
    LEAST_BUSY,
    /** Usable endpoints in turn. */
    ROUND_ROBIN,
    /** The first usable endpoint in list order; later ones only while it is not usable. */
    FAILOVER
}
