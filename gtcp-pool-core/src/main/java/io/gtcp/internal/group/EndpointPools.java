package io.gtcp.internal.group;

import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.Listeners;

/**
 * What a group needs from its factory: the factory keeps every per-address pool in one map, so that
 * {@code stats()}, listeners, housekeeping and {@code get(address)} see a group's endpoints like any other address.
 * The group decides which endpoints exist; the factory makes and unmakes their pools.
 */
public interface EndpointPools {

    /** A new pool for {@code endpoint}, registered under its address (a pool that had that address leaves). */
    AddressPool open(EndpointAddress endpoint);

    /**
     * Drains a pool whose endpoint left the group: unregistered (its meters go), idle connections closed now,
     * borrowed ones when they come back.
     */
    void drain(AddressPool pool);

    /** The listeners now (they change as listeners are added): ejections are reported to them. */
    Listeners listeners();
}
