package io.gtcp.internal.pool;

import io.gtcp.CloseReason;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The background work on one {@link AddressPool}, apart from its borrow and return path: closing expired idle
 * connections, checking idle ones for a peer close, keeping {@code minIdle} ready, and retiring a pool nobody
 * uses. The pool provides the state changes; this class decides when to make them. {@link Housekeeper} calls
 * {@link #pass()} on its one scheduled thread and {@link #fillMinIdle()} on a filler thread, because a dial may
 * take the whole connect timeout and must not hold up the passes of other pools.
 */
public final class PoolUpkeep {

    /** How often an idle TLS connection is checked in the background: its check is a 1 ms timed read. */
    static final long TLS_CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final AddressPool pool;
    private final PoolConfig config;
    private final AtomicBoolean filling = new AtomicBoolean();
    /** Since when the housekeeper has seen the pool empty; 0 while it is in use. Housekeeper thread only. */
    private long emptySince;

    PoolUpkeep(AddressPool pool) {
        this.pool = pool;
        this.config = pool.config();
    }

    /**
     * One pass: closes expired idle connections and those a background check finds stale (closed or reset by
     * the peer, or with unsolicited bytes). Plain TCP is checked at every pass without blocking (microseconds);
     * TLS, whose check is a 1 ms timed read, at most every {@link #TLS_CHECK_EVERY_NANOS}. A stale connection is
     * not a failure of the address (servers close idle connections), so it does not touch its health. With
     * {@code validateOnBorrow(false)} idle connections are not checked at all, here or at borrow: gtcp's own
     * behaviour, where a connection the server closed fails its next exchange. Never dials, never waits.
     */
    public void pass() {
        pool.health().tick(); // "works again" is said even when the traffic stopped
        Slots slots = pool.slots();
        for (int i = 0; i < slots.length(); i++) {
            PoolEntry e = slots.getAcquire(i);
            if (e == null || !e.compareAndSet(PoolEntry.IDLE, PoolEntry.RESERVED)) {
                continue;
            }
            long now = System.nanoTime();
            CloseReason reason = pool.isShutdown() ? CloseReason.FACTORY_CLOSED : pool.expiry(e, now);
            if (reason == null && config.validateOnBorrow()
                    && (!e.link.isTls() || now - e.lastChecked >= TLS_CHECK_EVERY_NANOS)) {
                e.lastChecked = now;
                if (e.link.isStale()) {
                    reason = CloseReason.STALE;
                }
            }
            if (reason != null) {
                pool.remove(e, reason);
            } else {
                e.setState(PoolEntry.IDLE);
                pool.idleAgain();
                if (pool.isShutdown() && e.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
                    pool.remove(e, CloseReason.FACTORY_CLOSED);
                }
            }
        }
    }

    /** Whether fewer than {@code minIdle} connections are idle and there is room to dial one. */
    public boolean needsFill() {
        int total = pool.total();
        return config.minIdle() > 0 && !pool.isShutdown() && total >= 0 && total < config.maxSize()
                && pool.report.idleCount() < config.minIdle();
    }

    /** Claims the one fill of this pool that may run at a time; false if one is under way. */
    public boolean startFill() {
        return filling.compareAndSet(false, true);
    }

    public void endFill() {
        filling.set(false);
    }

    /**
     * Dials idle connections until {@code minIdle} are idle (never beyond {@code maxSize}). Stops at the first
     * failed dial, which the pool reports through the address's {@link EndpointHealth} (a WARN when it starts
     * failing); the next pass tries again.
     */
    public void fillMinIdle() {
        // a background dial only reserves its place: borrowers finding the pool full meanwhile wait as waiters
        // (under the acquire timeout, without spinning) and are woken when the new entry becomes idle
        // such a dial is for nobody: counted apart (fillDials), it is neither active nor idle in the stats
        while (!pool.isShutdown() && pool.report.idleCount() < config.minIdle()) {
            pool.fillDials.incrementAndGet(); // before the place is taken, so the stats never see it as active
            if (!pool.reserve()) {
                pool.fillDials.decrementAndGet();
                return;
            }
            PoolEntry entry;
            try {
                entry = pool.dialer.dialIntoPlace(config.connectTimeoutNanos(), PoolEntry.RESERVED);
            } catch (IOException e) {
                pool.unreserve();
                pool.fillDials.decrementAndGet();
                return; // reported by the pool's dial, through the address's health
            } catch (Throwable e) {
                pool.unreserve();
                pool.fillDials.decrementAndGet();
                throw e;
            }
            entry.lastReturned = System.nanoTime();
            entry.lastChecked = entry.lastReturned;
            entry.setState(PoolEntry.IDLE);
            pool.fillDials.decrementAndGet(); // after it is idle: for a moment it counts twice, never as active
            pool.idleAgain();
            if (pool.isShutdown() && entry.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
                pool.remove(entry, CloseReason.FACTORY_CLOSED);
            }
        }
    }

    /**
     * Retires the pool if it has been empty, with nobody waiting, for a whole idle TTL: then it holds nothing
     * and its address may never be used again, so the factory forgets it. Housekeeper thread only.
     */
    public boolean retireIfUnused() {
        long ttl = config.ttlNanos();
        if (ttl <= 0 || pool.isShutdown()) {
            return false;
        }
        if (pool.total() != 0 || pool.waiting() > 0) {
            emptySince = 0;
            return false;
        }
        long now = System.nanoTime();
        if (emptySince == 0) {
            emptySince = now;
            return false;
        }
        return now - emptySince >= ttl && pool.retire();
    }
}
