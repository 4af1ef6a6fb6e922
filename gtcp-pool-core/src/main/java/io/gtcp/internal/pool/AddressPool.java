package io.gtcp.internal.pool;

import io.gtcp.CloseReason;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.PoolStats;
import io.gtcp.internal.io.DialAbort;
import io.gtcp.internal.io.Link;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of one address: at most {@code maxSize} connections in {@link Slots}, places allocated as first needed.
 *
 * <p><b>Borrowing.</b> A borrower scans the slots and takes an idle entry by compare-and-set (its own last one
 * first, see below); if there is none and the pool is below its size, it reserves a place by compare-and-set of
 * {@code total} and dials. Only when the pool is full and nothing is idle does it wait ({@link Waiters}), and a
 * return wakes someone only if somebody waits. The warm path (an idle entry is there) is thus a scan and a CAS,
 * with no lock, no allocation and no shared counter or queue: the fair semaphore this replaced, both the size
 * limit and the queue, handed every returned permit to a parked waiter once one existed, so under contention
 * every borrow became a context switch (JMH, 32 threads on 8 connections: about 0.15 borrows per microsecond
 * against 12 for HikariCP's {@code ConcurrentBag} in the same run). A returned entry goes to whoever looks
 * first, a woken waiter or a running borrower, which keeps a busy pool running at the speed of its threads;
 * waiters are woken in arrival order, and once one has waited a while returns are handed to the waiters
 * directly, so running borrowers cannot starve it. No lock is held across I/O: the dial, the stale check and
 * closes happen with nothing locked.
 *
 * <p><b>Reuse order.</b> While the pool holds at most twice as many connections as there are processors, or as
 * many as it may hold, a thread gets back the connection it took last when that one is idle (one thread-local
 * read, no scan); otherwise the first idle slot. In a small pool the pairing keeps each socket between the same
 * pair of threads, which is much cheaper for the scheduler (+15-20% at 4 threads on 2 vCPUs). In a full pool every
 * connection is needed anyway, and a thread that keeps to its own stays off the cache lines of the others (JMH,
 * 32 threads on 8 connections, no I/O: with the waiters' yield, 25-50 borrows per microsecond, against 9 before
 * both). In between, with many more threads than processors and room to grow, taking the first idle slot lets
 * fewer connections carry the load, which measured 5-15% faster at 16 threads on 2 vCPUs (BENCHMARKS.md, "The
 * 16-thread gap"); scanning from the first slot prefers the same few connections, like a stack (LIFO): under a
 * steady load the low slots serve everything, so connections dialled for a burst sit unused in the high slots
 * until the idle TTL closes them, and the pool shrinks back by itself. A FIFO would rotate through every
 * connection and keep them all alive.
 *
 * <p><b>Health.</b> A connection idle for the configured check interval (500 ms unless set lower) or longer is
 * checked before it is handed out (peer closed or reset, unsolicited bytes); one used more recently skips the
 * check, as HikariCP skips its own within 500 ms, since the check's system call costs a measurable share of a
 * loopback exchange. Idle time is judged by the {@link CoarseClock}, so the borrow and return path never reads
 * the real clock; to keep "500 ms or longer" true despite that clock's lag, the check starts a quarter second
 * early (a connection idle 250 ms is checked too). A connection that comes back broken makes the pool check every
 * connection that was idle at that moment at its next borrow, whatever its idle time: a server that reset one
 * connection has usually closed the others too (it was killed, or restarted), and each of them would otherwise
 * cost a caller a failed call, or an idempotent call a re-send.
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

    /** Up to this many connections a thread prefers its own last one (see "Reuse order" above). */
    private static final int AFFINITY_LIMIT = 2 * Runtime.getRuntime().availableProcessors();

    private final String address;
    private final PoolConfig config;
    /** Idle time (coarse clock) from which a borrow checks the connection: {@code checkIdleAfter} less the slack. */
    private final long checkIdleAfterNanos;
    /** Per thread, the slot it took a connection from last, or -1 (see {@link #takeIdle}). */
    private final ThreadLocal<int[]> lastSlot = ThreadLocal.withInitial(() -> new int[] {-1});
    private final LeakWatch leakWatch;
    /** Whether leak detection is on: fixed for the pool's life, so one field of its own rather than a look at the watch. */
    private final boolean leakOn;
    /** How a borrowed entry comes back: checks, then one compare-and-set (see {@link GiveBack}). */
    private final GiveBack giveBack;
    private final Slots slots;
    private final AtomicInteger total = new AtomicInteger();
    /** Places taken by {@code minIdle} dials under way ({@link PoolUpkeep}): in {@code total}, but neither active nor idle. */
    final AtomicInteger fillDials = new AtomicInteger();
    private final BusyCount busy;
    final Waiters waiters = new Waiters(this); // package-private for tests
    private final EndpointHealth health;
    private volatile Listeners listeners;
    private volatile boolean shutdown;
    /** How its connections are dialled and brought in. */
    final AddressDialer dialer;
    /** Its counts, and the failures a borrower gets instead of a connection. */
    final PoolReport report;
    private final PoolUpkeep upkeep;

    /** The value of {@code total} once the pool is retired: far below zero, so no reservation can succeed. */
    private static final int RETIRED = Integer.MIN_VALUE / 2;

    public AddressPool(String address, PoolConfig config, Listeners listeners, ScheduledExecutorService scheduler) {
        this(address, address, null, config, listeners, scheduler, new LifetimeCounts());
    }

    /**
     * The pool of an endpoint of a group: named {@code address} (its stats and events), dialling {@code target}
     * (null: {@code address} resolved at dial time) under the name {@code dialAs}, whose host TLS verifies. Its
     * dials, closes and acquire timeouts are counted in {@code lifetime} too, the factory's counts.
     */
    public AddressPool(String address, String dialAs, java.net.InetSocketAddress target, PoolConfig config,
                       Listeners listeners, ScheduledExecutorService scheduler, LifetimeCounts lifetime) {
        this.address = address;
        this.config = config;
        this.checkIdleAfterNanos = Math.max(0, config.staleCheckAfterNanos() - CoarseClock.SLACK_NANOS);
        this.listeners = listeners;
        this.leakWatch = new LeakWatch(address, config.leakDetectionNanos(), scheduler);
        this.leakOn = leakWatch.isOn();
        this.giveBack = new GiveBack(this, leakOn);
        this.slots = new Slots(config.maxSize());
        this.health = new EndpointHealth(address);
        this.dialer = new AddressDialer(this, dialAs, target, health, lifetime);
        this.report = new PoolReport(this, slots, leakWatch, dialer, lifetime);
        this.busy = new BusyCount(this);
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

    Listeners listeners() {
        return listeners;
    }

    // ------------------------------------------------------------------ borrow

    /**
     * Takes an idle connection or dials one; waits up to the acquire timeout when the pool is exhausted.
     * Returns null when the pool was retired meanwhile: the caller then asks its factory for the current pool.
     */
    public PoolEntry borrow(long connectTimeoutNanos) throws IOException {
        return borrow(connectTimeoutNanos, Deadlines.NONE, true);
    }

    /**
     * {@link #borrow(long)} within a call's {@code deadline} too (the wait and the dial). {@code mayWait} false:
     * rather than wait, throw {@link EndpointFull} at once (a group then looks for an endpoint with a free place);
     * true: wait, unless the factory's {@code maxPending} callers wait already ({@link PendingLimitException}).
     */
    public PoolEntry borrow(long connectTimeoutNanos, long deadline, boolean mayWait) throws IOException {
        if (shutdown) {
            throw report.poolClosed();
        }
        Listeners l = listeners;
        boolean timed = l != Listeners.NONE || leakOn; // only then the real clock, ~18 ns a read
        long start = timed ? System.nanoTime() : 0;
        long coarseNow = CoarseClock.now();
        PoolEntry entry = takeIdle(coarseNow);
        if (entry != null) {
            handOut(entry);
        } else {
            if (!timed) {
                start = System.nanoTime(); // the acquire timeout runs from here
            }
            entry = waiters.borrow(start, connectTimeoutNanos, deadline,
                    mayWait ? config.maxPending() : Waiters.NO_WAIT);
            if (entry == null) {
                return null;
            }
        }
        try {
            if (!timed) {
                entry.borrowedAt = coarseNow; // for a listener added while it is out: roughly right
                return entry;
            }
            long now = System.nanoTime();
            entry.borrowedAt = now;
            if (leakOn) {
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

    /** An idle entry just taken by a borrower: marked so. */
    PoolEntry handOut(PoolEntry entry) {
        entry.fromIdle = true;
        return entry;
    }

    /** Dials for a borrower into a place reserved by {@link #reserve()}; gives the place back if that fails. */
    PoolEntry dialForBorrower(long connectTimeoutNanos) throws IOException {
        PoolEntry fresh;
        try {
            fresh = dialer.dialIntoPlace(connectTimeoutNanos, PoolEntry.IN_USE);
        } catch (Throwable e) {
            unreserve();
            throw e;
        }
        fresh.fromIdle = false;
        lastSlot.get()[0] = fresh.slot; // the dialling thread's own connection, should the preference apply
        return fresh;
    }

    /**
     * The idle entry in the slot this thread took last, if the pool is small or full (see "Reuse order" above),
     * else the first idle one in slot order. The slot a thread took last is a thread-local {@code int}, so the
     * preference costs one thread-local read and no scan, and keeps no connection reachable after it is closed.
     */
    PoolEntry takeIdle(long now) {
        Slots s = slots;
        int t = total.get();
        int[] mine = null;
        if (t <= AFFINITY_LIMIT || t >= s.capacity()) {
            mine = lastSlot.get();
            int i = mine[0];
            if (i >= 0) {
                PoolEntry e = s.getAcquire(i);
                if (e != null && e.compareAndSet(PoolEntry.IDLE, PoolEntry.IN_USE) && fitForUse(e, now)) {
                    return e;
                }
            }
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            PoolEntry e = s.getAcquire(i);
            if (e != null && e.compareAndSet(PoolEntry.IDLE, PoolEntry.IN_USE) && fitForUse(e, now)) {
                if (mine != null) {
                    mine[0] = i;
                }
                return e;
            }
        }
        return null;
    }

    /**
     * Checks an entry just claimed from the idle set; closes it and says false if it must not be used. {@code now}
     * is the {@link CoarseClock}'s: a connection is checked from {@link #checkIdleAfterNanos} on, which leaves the
     * coarse clock's lag room below the contract's 500 ms.
     */
    boolean fitForUse(PoolEntry e, long now) {
        CloseReason expired = expiry(e, now);
        if (expired == null && config.validateOnBorrow()
                && (now - e.lastReturned >= checkIdleAfterNanos || e.lastReturned - giveBack.suspectUpTo <= 0)
                && e.link.isStale()) {
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

    /**
     * Reconnect-on-send: replaces the entry's connection with a freshly dialled one (the borrower keeps its
     * place in the pool) and closes the old one. Returns the new link. {@code abort} lets a close from another
     * thread end the dial.
     */
    public Link redial(PoolEntry entry, long connectTimeoutNanos, DialAbort abort) throws IOException {
        return dialer.redial(entry, connectTimeoutNanos, abort);
    }

    // ------------------------------------------------------------------ return

    /**
     * Takes back the borrow of {@code generation} from a borrower with no handle or none running an operation: to
     * the idle set if it is healthy and in sync, else closed (see {@link GiveBack}); nothing if that borrow ended.
     */
    public void release(PoolEntry entry, long generation, boolean healthy, boolean used) {
        long word = entry.word();
        if (PoolEntry.isOpen(word, generation) && !PoolEntry.isRunning(word)) {
            giveBack.from(entry, word, healthy, used);
        }
    }

    /** A handle's return from the {@code word} it read: false if the word changed meanwhile ({@link GiveBack}). */
    public boolean giveBack(PoolEntry entry, long word, boolean healthy, boolean used) {
        return giveBack.from(entry, word, healthy, used);
    }

    /** Takes an owned entry out of its slot and closes its connection. */
    void remove(PoolEntry entry, CloseReason reason) {
        entry.setState(PoolEntry.REMOVED);
        int slot = entry.slot;
        if (slot >= 0) {
            slots.compareAndSet(slot, entry, null);
        }
        total.decrementAndGet();
        waiters.wakeOne(); // a place is free: a waiter may dial
        report.countClose();
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

    // ------------------------------------------------------------------ stats and shutdown

    /** Connections borrowed right now, and borrowers dialling one: a scan of the slots ({@link BusyCount}). */
    public int borrowed() {
        return busy.exact();
    }

    /**
     * {@link #borrowed()} as of the coarse clock's current tick: what the least-busy balancing of a group compares,
     * two volatile reads but for one scan a tick ({@link BusyCount}).
     */
    public int recentlyBorrowed() {
        return busy.recent();
    }

    /** Its counts now (see {@link PoolReport}). */
    public PoolStats stats() {
        return report.stats();
    }

    /** Closes the idle connections now; the borrowed ones are closed as they come back. Wakes every waiter. */
    public void shutdown() {
        shutdown = true;
        dialer.close(); // a dial to an address that drops packets would hold its thread for the connect timeout
        closeIdle(CloseReason.FACTORY_CLOSED);
        waiters.shutdown(); // closes a gift, wakes a waiter, which passes the wake-up on
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

    Slots slots() {
        return slots;
    }

    /** Borrowers waiting for an entry right now. */
    int waiting() {
        return waiters.count();
    }

    /** Gives back a place taken by {@link #reserve()} whose dial failed. */
    void unreserve() {
        total.decrementAndGet();
        waiters.wakeOne();
    }

    /** An entry the housekeeper held (state {@code RESERVED}) was put back to {@code IDLE}: a waiter may take it. */
    void idleAgain() {
        waiters.wakeOne();
    }

    int total() {
        return total.get();
    }

    /** Retires the pool if it is empty: no reservation can succeed afterwards. */
    boolean retire() {
        return total.compareAndSet(0, RETIRED);
    }
}
