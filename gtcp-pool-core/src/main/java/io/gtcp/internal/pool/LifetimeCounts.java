package io.gtcp.internal.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of a factory's whole life: connections created and closed, and acquire timeouts, over every pool
 * it ever had. Each {@link AddressPool} counts into its own counters (its {@code stats(address)}) and into
 * these, so that {@code stats()} stays cumulative when pools go: an endpoint drained by a refresh, a pool
 * replaced or retired after an idle TTL. Summing the pools that exist now would make the counts of a fleet
 * whose members come and go fall back, which no counter may do (a rate computed from it would go negative).
 * These events are dials, closes and timeouts, never the warm borrow or return, so one more adder costs nothing
 * that matters.
 */
public final class LifetimeCounts {

    final LongAdder created = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder acquireTimeouts = new LongAdder();

    public long created() {
        return created.sum();
    }

    public long closed() {
        return closed.sum();
    }

    public long acquireTimeouts() {
        return acquireTimeouts.sum();
    }
}
