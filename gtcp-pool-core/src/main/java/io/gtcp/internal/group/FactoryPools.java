package io.gtcp.internal.group;

import io.gtcp.PoolConnFactory;
import io.gtcp.internal.io.RetryGate;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.AddressPools;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;

/**
 * A factory's pools and the endpoint group over them, wired together. Every per-address pool lives in one
 * {@link AddressPools}, so that stats, listeners, housekeeping and {@code get(address)} see a group's endpoints like
 * any other address: the group decides which endpoints exist, and this class makes and drains their pools for it
 * ({@link EndpointPools}). The housekeeping may forget an unused pool, and {@code get(address)} replace one, only
 * when it serves no endpoint of the group ({@link #retirable}). Starting is all or nothing: when the group fails to
 * start (a host name not resolved in time), the pools are closed again, so a {@code build()} that throws leaves no
 * thread behind.
 */
public final class FactoryPools implements EndpointPools {

    private final AddressPools pools;
    /** What the factory's {@code get()} borrows from; null when neither an address nor a group is configured. */
    private final EndpointGroup group;

    /**
     * Starts the pools' housekeeping and, if {@code groupConfig} has a group, the group, which waits for its first
     * name resolution or discovery poll (see {@link #startWaitNanos}).
     */
    public FactoryPools(PoolConfig config, GroupConfig groupConfig, Listeners listeners, RetryGate retries) {
        this.pools = new AddressPools(config, listeners, this::retirable);
        try {
            this.group = groupConfig.isConfigured() ? EndpointGroup.start(config.name(), groupConfig, this,
                    pools.scheduler(), retries, startWaitNanos(config)) : null;
        } catch (Throwable e) { // a build() that throws leaves no thread behind
            pools.close();
            throw e;
        }
    }

    /**
     * How long {@code build()} (and a {@code get()} on an empty group) waits for a name resolution or a discovery
     * poll: the connect timeout, or the default one when the connect timeout is unlimited, so that nothing
     * blocks an application's start for good.
     */
    private static long startWaitNanos(PoolConfig config) {
        long connect = config.connectTimeoutNanos();
        return connect > 0 ? connect : PoolConnFactory.DEFAULT_CONNECT_TIMEOUT.toNanos();
    }

    public AddressPools pools() {
        return pools;
    }

    /** The group, or null without one. */
    public EndpointGroup group() {
        return group;
    }

    /** Whether an unused pool may be retired or replaced: any but the group's endpoints'. */
    private boolean retirable(AddressPool pool) {
        EndpointGroup g = group;
        return g == null || !g.owns(pool);
    }

    @Override
    public AddressPool open(EndpointAddress endpoint) {
        return pools.open(endpoint.address(), endpoint.dialAs(), endpoint.target(), this::retirable);
    }

    @Override
    public void drain(AddressPool pool) {
        pools.drain(pool);
    }

    @Override
    public Listeners listeners() {
        return pools.listeners();
    }
}
