package io.gtcp.internal.pool;

import io.gtcp.AcquireTimeoutException;
import io.gtcp.PendingLimitException;
import io.gtcp.PoolStats;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link AddressPool} tells about itself: its counts ({@code stats()}, connections closed, acquire
 * timeouts) and the failure a borrower gets instead of a connection, worded so that a person sees why: the acquire
 * timeout with the pool's state and its longest holder, the refusal over {@code maxPending}, "pool closed".
 *
 * <p>Why apart from the pool: none of it is on the warm borrow and return path. A snapshot is taken when somebody
 * asks, a failure built when a borrow fails, a close counted when a connection closes; the pool's own file then
 * holds the borrow and return code and little else. There is no count of idle connections to read: keeping one
 * would put a shared counter on every borrow and return, so idle entries are counted by a scan of the slots.
 * Closes and acquire timeouts are counted here and in the factory's {@link LifetimeCounts}.
 */
final class PoolReport {

    private final AddressPool pool;
    private final String address;
    private final PoolConfig config;
    private final Slots slots;
    private final LeakWatch leakWatch;
    private final AddressDialer dialer;
    private final LifetimeCounts lifetime;
    private final LongAdder closed = new LongAdder();
    private final LongAdder acquireTimeouts = new LongAdder();

    PoolReport(AddressPool pool, Slots slots, LeakWatch leakWatch, AddressDialer dialer, LifetimeCounts lifetime) {
        this.pool = pool;
        this.address = pool.address();
        this.config = pool.config();
        this.slots = slots;
        this.leakWatch = leakWatch;
        this.dialer = dialer;
        this.lifetime = lifetime;
    }

    /** Counts a connection closed: the pool's own count and the factory's. */
    void countClose() {
        closed.increment();
        lifetime.closed.increment();
    }

    PoolStats stats() {
        int idle = idleCount();
        int active = Math.max(0, pool.total() - pool.fillDials.get() - idle); // a minIdle dial serves nobody yet
        return new PoolStats(idle, active, pool.waiting(), idle + active,
                dialer.created(), closed.sum(), acquireTimeouts.sum());
    }

    int idleCount() {
        return idleCount(true);
    }

    /** The idle entries; with {@code held}, those held for a moment too (a check, a hand-off to a waiter). */
    int idleCount(boolean held) {
        int idle = 0;
        for (int i = 0; i < slots.length(); i++) {
            PoolEntry e = slots.getAcquire(i);
            if (e != null) {
                int s = e.state();
                if (s == PoolEntry.IDLE || held && s == PoolEntry.RESERVED) {
                    idle++;
                }
            }
        }
        return idle;
    }

    /** The acquire timeout of a caller that waited since {@code start}, with what a person needs to see why. */
    AcquireTimeoutException exhausted(long start, int othersWaiting) {
        acquireTimeouts.increment();
        lifetime.acquireTimeouts.increment();
        pool.listeners().acquireTimedOut(address);
        long now = System.nanoTime();
        int idle = idleCount(false); // an entry being handed to another waiter is not free for this one
        int all = Math.max(0, pool.total());
        AcquireTimeoutException e = new AcquireTimeoutException(config.name(), address, config.maxSize(),
                Math.max(0, othersWaiting), TimeUnit.NANOSECONDS.toMillis(now - start), Math.max(0, all - idle), idle);
        Exception holder = leakWatch.isOn() ? leakWatch.longestHolder(slots, now) : null;
        if (holder != null) {
            e.addSuppressed(holder);
        }
        return e;
    }

    /** Why a borrower may not wait: the group's probe looks elsewhere; a caller over the limit is refused. */
    IOException cannotWait(int pending, int maxPending) {
        return maxPending == Waiters.NO_WAIT ? EndpointFull.INSTANCE
                : new PendingLimitException(NamedFailure.prefix(config.name(), address) + "every connection is in use and "
                        + pending + " caller(s) wait already (maxPending " + maxPending + ")", pending, maxPending);
    }

    IOException poolClosed() {
        return new IOException(NamedFailure.prefix(config.name(), address) + "pool closed: its factory was closed");
    }
}
