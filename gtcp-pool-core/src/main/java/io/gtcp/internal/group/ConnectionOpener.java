package io.gtcp.internal.group;

import io.gtcp.internal.pool.AddressPool;

import java.io.IOException;

/**
 * How the group turns the pool it chose into what {@code get()} hands out. The group picks endpoints and moves on
 * when a dial fails; the public connection type belongs to the factory's package, so the factory supplies this,
 * once, as a constant: the borrow path then allocates nothing for it.
 *
 * @param <T> the borrowed connection
 */
@FunctionalInterface
public interface ConnectionOpener<T> {

    /**
     * Borrows from {@code pool}, dialling with {@code connectTimeoutNanos} if it must, all within {@code deadline};
     * null if the pool retired. {@code mayWait} false: a pool whose every place is taken throws
     * {@link io.gtcp.internal.pool.EndpointFull} at once instead of waiting.
     */
    T open(AddressPool pool, long connectTimeoutNanos, long deadline, boolean mayWait) throws IOException;
}
