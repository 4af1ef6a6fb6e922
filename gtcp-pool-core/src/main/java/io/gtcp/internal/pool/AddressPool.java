package io.gtcp.internal.pool;

import io.gtcp.AcquireTimeoutException;
import io.gtcp.CloseReason;
import io.gtcp.PoolStats;
import io.gtcp.internal.io.Link;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of one address: at most {@code maxSize} connections in a fixed array of slots.
 *
 * <p><b>Borrowing.</b> A borrower first takes a permit of a fair semaphore sized {@code maxSize}: that is both
 * the size limit and the queue in arrival order when the pool is exhausted. With a permit it scans the slots
 * from the first and takes the first idle entry by compare-and-set, or dials a new one if the pool is below its
 * size. No lock is held across I/O: the dial, the stale check and closes happen with nothing locked, and the
 * warm path (an idle entry is there) is a semaphore acquire, a scan and a CAS, with no allocation.
 *
 * <p><b>Reuse order.</b> A thread gets back the connection it used last when that one is idle (each socket then
 * stays between the same pair of threads, which is much cheaper for the scheduler); otherwise the first idle
 * slot. Scanning from the first slot prefers the same few connections, like a stack (LIFO): under a steady
 * load the low slots serve everything, so connections dialled for a burst sit unused in the high slots until
 * the idle TTL closes them, and the pool shrinks back by itself. A FIFO would rotate through every connection
 * and keep them all alive.
 *
 * <p><b>Health.</b> A connection idle for the configured check interval (500 ms unless set lower) or longer is
 * checked before it is handed out (peer closed or reset, unsolicited bytes); one used more recently skips the check, as HikariCP
 * skips its own within 500 ms, since the check's mode switches cost a measurable share of a loopback exchange.
 * Whatever leaves the pool's hands unhealthy (a failed operation, unread bytes, expiry, a closed factory) is
 * closed, never dropped. The housekeeper also checks idle connections in the background ({@link PoolUpkeep}), so
 * that connections the server closed leave the idle count within about two seconds even with no traffic.
 *
 * <p><b>Failures.</b> Whatever is thrown half-way through a state change (a dial, an allocation) undoes what the
 * change had done so far before it propagates: a reserved place is given back, a dialled link closed, a claimed
 * entry returned. Listeners cannot throw at all ({@link Listeners}).
 */
public final class AddressPool {

    private static final Logger log = LoggerFactory.getLogger(AddressPool.class);

    private final String address;
    private final PoolConfig config;
    private final LeakWatch leakWatch;
    private final AtomicReferenceArray<PoolEntry> slots;
    private final AtomicInteger total = new AtomicInteger();
    private final Semaphore permits;
    private final LongAdder closed = new LongAdder();
    private final LongAdder acquireTimeouts = new LongAdder();
    private final EndpointHealth health;
    private volatile Listeners listeners;
    private volatile boolean shutdown;
    private final AddressDialer dialer;
    private final PoolUpkeep upkeep;

    /** The value of {@code total} once the pool is retired: far below zero, so no reservation can succeed. */
    private static final int RETIRED = Integer.MIN_VALUE / 2;

    public AddressPool(String address, PoolConfig config, Listeners listeners, ScheduledExecutorService scheduler) {
        this(address, address, null, config, listeners, scheduler);
    }

    /**
     * The pool of an endpoint of a group: named {@code address} (its stats and events), dialling {@code target}
     * (null: {@code address} resolved at dial time) under the name {@code dialAs}, whose host TLS verifies.
     */
    public AddressPool(String address, String dialAs, java.net.InetSocketAddress target, PoolConfig config,
                       Listeners listeners, ScheduledExecutorService scheduler) {
        this.address = address;
        this.config = config;
        this.listeners = listeners;
        this.leakWatch = new LeakWatch(address, config.leakDetectionNanos(), scheduler);
        this.slots = new AtomicReferenceArray<>(config.maxSize());
        this.permits = new Semaphore(config.maxSize(), true);
        this.health = new EndpointHealth(address);
        this.dialer = new AddressDialer(address, dialAs, target, config.sslContext(), health);
        this.upkeep = new PoolUpkeep(this);
    }

    /** The background work on this pool: expiry, idle checks, {@code minIdle}, retirement. */
    public PoolUpkeep upkeep() {
        return upkeep;
    }

    /** The failure accounting of this address. */
    public EndpointHealth health() {
        return health;
    }

    public String address() {
        return address;
    }

    public PoolConfig config() {
        return config;
    }

    public void listeners(Listeners listeners) {
        this.listeners = listeners;
    }

    // ------------------------------------------------------------------ borrow

    /**
     * Takes an idle connection or dials one; waits up to the acquire timeout when the pool is exhausted.
     * Returns null when the pool was retired meanwhile: the caller then asks its factory for the current pool.
     */
    public PoolEntry borrow(long connectTimeoutNanos) throws IOException {
        long start = System.nanoTime();
        if (shutdown) {
            throw poolClosed();
        }
        acquirePermit(start);
        PoolEntry entry;
        try {
            // idle time and expiry are judged now, not when the wait for a permit began
            entry = takeOrCreate(System.nanoTime(), connectTimeoutNanos);
        } catch (Throwable e) {
            permits.release();
            throw e;
        }
        if (entry == null) {
            permits.release();
            return null;
        }
        try {
            Listeners l = listeners;
            long now = l == Listeners.NONE && !leakWatch.isOn() ? start : System.nanoTime();
            entry.borrowedAt = now;
            if (leakWatch.isOn()) {
                leakWatch.watch(entry, l);
            }
            if (l != Listeners.NONE) {
                l.connectionAcquired(address, now - start);
            }
            return entry;
        } catch (Throwable e) { // e.g. no memory for the leak watch's stack: the entry is not handed out
            release(entry, entry.generation(), false, false);
            throw e;
        }
    }

    private void acquirePermit(long start) throws IOException {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(config.acquireTimeoutNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection to " + address);
        }
        if (!acquired) {
            throw exhausted(start);
        }
        if (shutdown) {
            permits.release();
            throw poolClosed();
        }
    }

    private PoolEntry takeOrCreate(long start, long connectTimeoutNanos) throws IOException {
        for (int spins = 0; ; spins++) {
            PoolEntry entry = takeIdle(start);
            if (entry != null) {
                entry.fromIdle = true;
                return entry;
            }
            if (reserve()) {
                PoolEntry fresh;
                try {
                    fresh = dial(connectTimeoutNanos, PoolEntry.IN_USE);
                } catch (Throwable e) {
                    total.decrementAndGet();
                    throw e;
                }
                fresh.fromIdle = false;
                return fresh;
            }
            if (shutdown) {
                throw poolClosed();
            }
            if (total.get() < 0) {
                return null; // retired: empty for good
            }
            // Holding a permit while the pool is full means some entry is between owners (being returned,
            // checked or closed): it is ours in a moment.
            if (spins > 64) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The idle entry this thread gave back last if there is one, else the first idle one in slot order.
     * Handing a connection back to the thread that used it last keeps each socket between the same pair of
     * threads, which on a small machine measured up to twice the throughput of passing sockets around; it
     * is HikariCP's thread-local idea without a thread-local (the entry remembers its last thread), so
     * nothing grows with the number of threads.
     */
    private PoolEntry takeIdle(long now) {
        AtomicReferenceArray<PoolEntry> s = slots;
        long me = Thread.currentThread().getId();
        int n = s.length();
        int firstIdle = n;
        for (int i = 0; i < n; i++) {
            PoolEntry e = s.getAcquire(i);
            if (e == null || e.state() != PoolEntry.IDLE) {
                continue;
            }
            if (e.lastThread != me) {
                firstIdle = Math.min(firstIdle, i);
                continue;
            }
            if (e.compareAndSet(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                if (fitForUse(e, now)) {
                    return e;
                }
                firstIdle = Math.min(firstIdle, i + 1); // it was closed: take another as usual
                break;
            }
        }
        for (int i = firstIdle; i < n; i++) {
            PoolEntry e = s.getAcquire(i);
            if (e != null && e.state() == PoolEntry.IDLE && e.compareAndSet(PoolEntry.IDLE, PoolEntry.IN_USE)
                    && fitForUse(e, now)) {
                return e;
            }
        }
        return null;
    }

    /** Checks an entry just claimed from the idle set; closes it and says false if it must not be used. */
    private boolean fitForUse(PoolEntry e, long now) {
        CloseReason expired = expiry(e, now);
        if (expired == null && config.validateOnBorrow()
                && now - e.lastReturned >= config.staleCheckAfterNanos() && e.link.isStale()) {
            expired = CloseReason.STALE;
        }
        if (expired != null) {
            remove(e, expired);
            return false;
        }
        return true;
    }

    CloseReason expiry(PoolEntry e, long now) {
        if (config.ttlNanos() > 0 && now - e.lastReturned >= config.ttlNanos()) {
            return CloseReason.IDLE_EXPIRED;
        }
        if (e.mortal && now - e.expiresAt >= 0) {
            return CloseReason.LIFETIME_EXPIRED;
        }
        return null;
    }

    boolean reserve() {
        for (;;) {
            int t = total.get();
            if (t >= config.maxSize() || t < 0) {
                return false;
            }
            if (total.compareAndSet(t, t + 1)) {
                return true;
            }
        }
    }

    /** Dials a connection for a reserved place and puts it in a free slot. */
    PoolEntry dial(long connectTimeoutNanos, int state) throws IOException {
        Link link = dialer.dial(connectTimeoutNanos, listeners);
        PoolEntry entry;
        try {
            long now = System.nanoTime();
            entry = new PoolEntry(link, now, state);
            entry.startLife(now, config.maxLifetimeNanos());
        } catch (Throwable e) {
            discard(link, CloseReason.BROKEN);
            throw e;
        }
        for (int i = 0; ; i = (i + 1) % slots.length()) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, entry)) {
                entry.slot = i;
                return entry;
            }
        }
    }

    /**
     * Reconnect-on-send: replaces the entry's connection with a freshly dialled one (the borrower keeps its
     * place in the pool) and closes the old one. Returns the new link.
     */
    public Link redial(PoolEntry entry, long connectTimeoutNanos) throws IOException {
        Link fresh = dialer.dial(connectTimeoutNanos, listeners);
        long now = System.nanoTime();
        Link old = entry.link;
        entry.link = fresh;
        entry.startLife(now, config.maxLifetimeNanos());
        discard(old, CloseReason.REPLACED);
        return fresh;
    }

    /** Closes a link that no entry holds any more, counting and reporting it. */
    private void discard(Link link, CloseReason reason) {
        closed.increment();
        link.abort();
        if (log.isDebugEnabled()) {
            log.debug("closed {} ({})", link, reason);
        }
        listeners.connectionClosed(address, reason);
    }

    // ------------------------------------------------------------------ return

    /**
     * Takes a connection back: to the idle set if it is healthy and in sync, else closed. Releases the
     * borrower's permit either way. {@code used} says whether the borrower did any I/O: only then can bytes
     * be left in the socket, so only then is it asked (a system call); the buffer is always checked.
     */
    public void release(PoolEntry entry, int generation, boolean healthy, boolean used) {
        if (!entry.claimReturn(generation)) {
            return; // a second close of that borrow, or a racing one: the first returns it
        }
        long now = System.nanoTime();
        if (leakWatch.isOn()) {
            LeakWatch.end(entry);
        }
        Listeners l = listeners;
        if (l != Listeners.NONE) {
            l.connectionReleased(address, now - entry.borrowedAt);
        }
        if (healthy && used) {
            health.recordSuccess();
        }
        CloseReason reason;
        if (!healthy) {
            reason = CloseReason.BROKEN;
        } else if (used ? entry.link.hasUnreadBytes() : entry.link.hasBufferedBytes()) {
            reason = CloseReason.OUT_OF_SYNC;
        } else if (shutdown) {
            reason = CloseReason.FACTORY_CLOSED;
        } else if (entry.mortal && now - entry.expiresAt >= 0) {
            reason = CloseReason.LIFETIME_EXPIRED;
        } else {
            reason = null;
        }
        if (reason != null) {
            remove(entry, reason);
            permits.release();
            return;
        }
        entry.lastReturned = now;
        entry.lastThread = Thread.currentThread().getId();
        entry.returnToIdle();
        permits.release();
        if (shutdown && entry.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
            remove(entry, CloseReason.FACTORY_CLOSED); // raced with close(): do not leave it open
        }
    }

    /** Takes an owned entry out of its slot and closes its connection. */
    void remove(PoolEntry entry, CloseReason reason) {
        entry.setState(PoolEntry.REMOVED);
        int slot = entry.slot;
        if (slot >= 0) {
            slots.compareAndSet(slot, entry, null);
        }
        total.decrementAndGet();
        closed.increment();
        if (reason == CloseReason.BROKEN || reason == CloseReason.OUT_OF_SYNC || reason == CloseReason.STALE
                || reason == CloseReason.EJECTED) { // no goodbye to a peer that is gone or failing
            entry.link.abort();
        } else {
            entry.link.close();
        }
        if (log.isDebugEnabled()) {
            log.debug("closed {} ({})", entry.link, reason);
        }
        listeners.connectionClosed(address, reason);
    }

    // ------------------------------------------------------------------ housekeeping

    /** The acquire timeout of a caller that waited since {@code start}, with what a person needs to see why. */
    private AcquireTimeoutException exhausted(long start) {
        acquireTimeouts.increment();
        listeners.acquireTimedOut(address);
        long now = System.nanoTime();
        int idle = idleCount();
        int all = Math.max(0, total.get());
        AcquireTimeoutException e = new AcquireTimeoutException(address, config.maxSize(),
                permits.getQueueLength(), TimeUnit.NANOSECONDS.toMillis(now - start), Math.max(0, all - idle), idle);
        Exception holder = leakWatch.isOn() ? leakWatch.longestHolder(slots, now) : null;
        if (holder != null) {
            e.addSuppressed(holder);
        }
        return e;
    }

    // ------------------------------------------------------------------ stats and shutdown

    /** Connections borrowed right now: what the least-busy balancing of a group compares. One volatile read. */
    public int borrowed() {
        return config.maxSize() - permits.availablePermits();
    }

    int idleCount() {
        int idle = 0;
        for (int i = 0; i < slots.length(); i++) {
            PoolEntry e = slots.getAcquire(i);
            if (e != null) {
                int s = e.state();
                if (s == PoolEntry.IDLE || s == PoolEntry.RESERVED) {
                    idle++;
                }
            }
        }
        return idle;
    }

    public PoolStats stats() {
        int idle = idleCount();
        int all = Math.max(0, total.get());
        return new PoolStats(idle, Math.max(0, all - idle), permits.getQueueLength(), Math.max(all, idle),
                dialer.created(), closed.sum(), acquireTimeouts.sum());
    }

    /** Closes the idle connections now; the borrowed ones are closed as they come back. Wakes every waiter. */
    public void shutdown() {
        shutdown = true;
        closeIdle(CloseReason.FACTORY_CLOSED);
        permits.release(config.maxSize() + 1); // each woken waiter sees the shutdown and passes its permit on
    }

    /** Closes the idle connections now, for {@code reason}; borrowed ones are left to their borrowers. */
    public void closeIdle(CloseReason reason) {
        for (int i = 0; i < slots.length(); i++) {
            PoolEntry e = slots.getAcquire(i);
            if (e != null && e.compareAndSet(PoolEntry.IDLE, PoolEntry.REMOVED)) {
                remove(e, reason);
            }
        }
    }

    public boolean isShutdown() {
        return shutdown;
    }

    // ------------------------------------------------------------------ for PoolUpkeep

    AtomicReferenceArray<PoolEntry> slots() {
        return slots;
    }

    Semaphore permits() {
        return permits;
    }

    /** Gives back a place taken by {@link #reserve()} whose dial failed. */
    void unreserve() {
        total.decrementAndGet();
    }

    int total() {
        return total.get();
    }

    /** Retires the pool if it is empty: no reservation can succeed afterwards. */
    boolean retire() {
        return total.compareAndSet(0, RETIRED);
    }

    private IOException poolClosed() {
        return new IOException("pool closed: the factory of " + address + " was closed");
    }
}
