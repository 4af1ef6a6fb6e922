package io.gtcp.internal.group;

import io.gtcp.EndpointStatus;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.EndpointHealth;

/**
 * One member of a group: its address, its own pool, and its ejection state.
 *
 * <p>The pool already counts the endpoint's failures ({@link EndpointHealth}); the endpoint only listens to that
 * count and passes it to its group, which alone decides ejections, because the rules (at most a share of the
 * group, never a group of one) need the whole group. So the ejection fields here are plain and written only
 * under the group's lock; borrowers never read them, they read the group's published {@link Members}.
 */
final class Endpoint implements EndpointHealth.Observer {

    final EndpointAddress address;
    final AddressPool pool;
    private final EndpointGroup group;

    // written and read under the group's lock
    /** Whether outlier ejection has taken it out of rotation. */
    boolean ejected;
    /** When the current ejection ends ({@link System#nanoTime()}); meaningful while {@link #ejected}. */
    long ejectedUntil;
    /** Ejections in a row without a success between them: the multiplier of the next ejection time. */
    int ejectionsInARow;
    /** Back from an ejection and not yet successful: one failure ejects it again. */
    boolean onProbation;
    /**
     * Still in the group (written under the group's lock; read without it by a borrower whose dial failed, to
     * tell a drained endpoint from a failing one). One that left ignores the failures of its last connections.
     */
    volatile boolean member = true;

    Endpoint(EndpointAddress address, AddressPool pool, EndpointGroup group) {
        this.address = address;
        this.pool = pool;
        this.group = group;
    }

    /** Starts listening to the pool's failure count; with ejection disabled nothing listens. */
    void watchHealth() {
        pool.health().observer(this);
    }

    void stopWatchingHealth() {
        pool.health().observer(null);
    }

    @Override
    public void failed(EndpointHealth health, int consecutiveFailures) {
        group.endpointFailed(this, consecutiveFailures);
    }

    @Override
    public void recovered(EndpointHealth health) {
        group.endpointRecovered(this);
    }

    EndpointStatus status(boolean ejectedNow) {
        return new EndpointStatus(address.address(), ejectedNow, pool.health().consecutiveFailures(), pool.stats());
    }

    @Override
    public String toString() {
        return address.address();
    }
}
