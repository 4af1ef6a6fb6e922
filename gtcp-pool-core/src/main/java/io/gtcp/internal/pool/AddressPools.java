package io.gtcp.internal.pool;

import io.gtcp.PoolListener;
import io.gtcp.PoolStats;
import io.gtcp.internal.io.Addresses;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Every per-address pool of one factory, in one map, with the listeners they share and the {@link Housekeeper}
 * that keeps them. The group's endpoints live here like any address, so {@code stats()}, listeners, housekeeping
 * and {@code get(address)} treat them alike; the group only says which endpoints exist.
 *
 * <p>Pools are created, replaced and forgotten under one lock that is also taken to add or remove a listener:
 * a listener added meanwhile then reaches every pool, and a pool recreated for an address is announced only after
 * the old one is gone. The lock is never held across I/O, and the borrow path never takes it (a pool found in the
 * map is used as it is).
 */
public final class AddressPools {

    private static final long MAX_HOUSEKEEPING_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_HOUSEKEEPING_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final PoolConfig config;
    private final ConcurrentHashMap<String, AddressPool> pools = new ConcurrentHashMap<>();
    /** Counts of every pool the factory ever had, for a {@link #stats()} that never falls back. */
    private final LifetimeCounts lifetime = new LifetimeCounts();
    /**
     * Pools that left the map but may still have connections out (a drained endpoint, a replaced pool): their
     * borrowed connections count as active until they come back. Dropped once empty.
     */
    private final Set<AddressPool> leaving = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Housekeeper housekeeper;
    private volatile Listeners listeners;
    private volatile boolean closed;
    private final AtomicBoolean clockReleased = new AtomicBoolean();

    /** Starts the housekeeping; it may retire (forget) an unused pool that {@code retirable} allows. */
    public AddressPools(PoolConfig config, Listeners listeners, Predicate<AddressPool> retirable) {
        this.config = config;
        this.listeners = listeners;
        this.housekeeper = new Housekeeper(config.name(), housekeepingPeriod(config), pools::values, retirable,
                this::forget);
        try {
            CoarseClock.retain();
        } catch (Throwable e) { // no thread may outlive a factory that failed to start
            clockReleased.set(true);
            housekeeper.close();
            throw e;
        }
    }

    /** The housekeeper's scheduled thread, for short timed tasks of the factory. */
    public ScheduledExecutorService scheduler() {
        return housekeeper.scheduler();
    }

    public Listeners listeners() {
        return listeners;
    }

    /** The pool of {@code address}, created on first use; a closed factory gets a pool that fails at once. */
    public AddressPool pool(String address) {
        AddressPool pool = pools.get(address);
        if (pool != null) {
            return pool;
        }
        Addresses.validate(address);
        if (closed) {
            AddressPool dead = new AddressPool(address, config, Listeners.NONE, scheduler());
            dead.shutdown();
            return dead;
        }
        lock.lock();
        try {
            pool = pools.get(address);
            if (pool != null) {
                return pool;
            }
            pool = new AddressPool(address, address, null, config, listeners, scheduler(), lifetime);
            pools.put(address, pool);
            listeners.poolAdded(address);
        } finally {
            lock.unlock();
        }
        shutIfClosed(pool);
        return pool;
    }

    /**
     * A new pool for an endpoint of the group, registered under {@code address}: a pool that {@code get(address)}
     * made there before leaves (and is drained if {@code drainReplaced} allows). Its {@code minIdle} fill starts.
     */
    public AddressPool open(String address, String dialAs, InetSocketAddress target,
                            Predicate<AddressPool> drainReplaced) {
        AddressPool pool;
        AddressPool replaced;
        lock.lock();
        try {
            pool = new AddressPool(address, dialAs, target, config, listeners, scheduler(), lifetime);
            replaced = pools.put(address, pool);
            if (replaced != null) {
                listeners.poolRemoved(address);
            }
            listeners.poolAdded(address);
        } finally {
            lock.unlock();
        }
        if (replaced != null && drainReplaced.test(replaced)) {
            leave(replaced);
            replaced.shutdown();
        }
        if (!shutIfClosed(pool)) {
            housekeeper.fillSoon(pool);
        }
        return pool;
    }

    /** Unregisters a pool (its meters go) and closes it: idle connections now, borrowed ones on return. */
    public void drain(AddressPool pool) {
        forget(pool);
        leave(pool);
        pool.shutdown();
    }

    /** Keeps a pool that left the map in the stats while it has connections out. */
    private void leave(AddressPool pool) {
        leaving.removeIf(p -> p.total() <= 0); // those that emptied meanwhile: nothing more to count
        leaving.add(pool);
    }

    /** Drops a pool from the map, so that addresses used once and never again do not pile up. */
    private void forget(AddressPool pool) {
        lock.lock();
        try {
            if (pools.remove(pool.address(), pool)) {
                listeners.poolRemoved(pool.address());
            }
        } finally {
            lock.unlock();
        }
    }

    /** close() raced the creation of {@code pool} and may have missed it: shut it as well. */
    private boolean shutIfClosed(AddressPool pool) {
        if (!closed) {
            return false;
        }
        pool.shutdown();
        listeners.poolRemoved(pool.address());
        return true;
    }

    /**
     * All pools added together: the connections of the pools now, and of those that left with connections still
     * out; the counts ({@code created}, {@code closed}, {@code acquireTimeouts}) of the factory's whole life.
     */
    public PoolStats stats() {
        int idle = 0;
        int active = 0;
        int pending = 0;
        for (AddressPool pool : pools.values()) {
            PoolStats s = pool.stats();
            idle += s.idle();
            active += s.active();
            pending += s.pending();
        }
        for (AddressPool pool : leaving) {
            if (pools.get(pool.address()) != pool) { // not counted above (a pool may come back under its address)
                PoolStats s = pool.stats();
                idle += s.idle();
                active += s.active();
                pending += s.pending();
            }
        }
        return new PoolStats(idle, active, pending, idle + active, lifetime.created(), lifetime.closed(),
                lifetime.acquireTimeouts());
    }

    /** The pool of one address; all zero if it has none. */
    public PoolStats stats(String address) {
        AddressPool pool = pools.get(address);
        return pool == null ? PoolStats.EMPTY : pool.stats();
    }

    public Set<String> addresses() {
        return Collections.unmodifiableSet(pools.keySet());
    }

    /** Adds a listener; it is told at once of the pools that exist already. */
    public void addListener(PoolListener listener) {
        List<String> existing;
        lock.lock();
        try {
            listeners = listeners.with(listener);
            pools.values().forEach(p -> p.listeners(listeners));
            existing = List.copyOf(pools.keySet());
        } finally {
            lock.unlock();
        }
        existing.forEach(listener::poolAdded);
    }

    public void removeListener(PoolListener listener) {
        lock.lock();
        try {
            listeners = listeners.without(listener);
            pools.values().forEach(p -> p.listeners(listeners));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the housekeeping and filler threads (a dial in progress is interrupted) and shuts every pool; returns
     * what the pools held just before.
     */
    public PoolStats close() {
        closed = true;
        if (clockReleased.compareAndSet(false, true)) {
            CoarseClock.release(); // once per registry, however often close() is called
        }
        housekeeper.close();
        PoolStats before = stats();
        for (AddressPool pool : pools.values()) {
            pool.shutdown();
            listeners.poolRemoved(pool.address());
        }
        return before;
    }

    /** At most a second, and a quarter of the idle TTL or max lifetime, so expiry is timely for short ones. */
    private static long housekeepingPeriod(PoolConfig config) {
        long period = MAX_HOUSEKEEPING_PERIOD_NANOS;
        if (config.ttlNanos() > 0) {
            period = Math.min(period, config.ttlNanos() / 4);
        }
        if (config.maxLifetimeNanos() > 0) {
            period = Math.min(period, config.maxLifetimeNanos() / 4);
        }
        return Math.max(period, MIN_HOUSEKEEPING_PERIOD_NANOS);
    }
}
