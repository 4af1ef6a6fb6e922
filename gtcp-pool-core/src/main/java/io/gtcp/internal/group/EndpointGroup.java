package io.gtcp.internal.group;

import io.gtcp.CloseReason;
import io.gtcp.Conn;
import io.gtcp.EndpointStatus;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.RetryGate;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.EndpointFull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a factory's {@code get()} borrows from: one or more endpoints, each an address with its own pool, chosen
 * by a {@link Balancer}, with failed dials moving on to the next endpoint, failing endpoints ejected by an
 * {@link OutlierDetector} and the membership kept current by a {@link Refresher}.
 *
 * <p><b>Why borrowers never lock.</b> Borrowers read the published {@link Members} (one volatile read) and ask
 * the balancer, which indexes an array; the chosen pool does the rest. Everything that changes the group (a
 * refresh, an ejection, a restore) is rare: it takes the group's lock, updates the endpoints, and publishes a new
 * snapshot. The clock is read only while some endpoint is ejected, to notice when its time is up; a timer on the
 * factory's scheduler notices it too, so a restore is reported even with no traffic. A group of one usable
 * endpoint (the common single-address factory) goes straight to it ({@link Members#sole}): no ejection to end,
 * no pick. That shortcut, together with the trimmed warm path of {@code AddressPool} (one state read before the
 * claim's compare-and-set, the slot count read only when a scan is needed, leak detection a field of the pool),
 * a constant buffer wait in a new handle and one flag for an uncounted retry budget, measured
 * ({@code ContendedBorrowBenchmark.gtcp}, alternating JVMs): at 32 threads on 8 connections 36.5 to 39.4 ops/µs
 * (medians of 6 rounds, faster in all 6), the ratio to HikariCP's bag with a handle 0.61 to 0.70; at
 * {@code -t 1} a warm borrow+return 32.1 to 31.1 ns (medians of 8 pairs, faster in 5; the fastest second of each
 * JVM 31.1 to 27.7 ns, faster in 6), within this shared machine's noise of about ±4 ns, where the bag with a
 * handle measured 26-34 ns.
 *
 * <p><b>Why failover lives here.</b> The group is the only place that knows the alternatives: when the chosen
 * endpoint cannot serve a borrow (a failed dial, a full pool, an endpoint a re-sent call already failed on), the
 * same {@code get()} goes elsewhere, by the rules its {@link Detours} keep.
 */
public final class EndpointGroup {

    private static final Logger log = LoggerFactory.getLogger(EndpointGroup.class);

    private final String name;
    private final EndpointPools pools;
    private final ScheduledExecutorService timer;
    private final Balancer balancer;
    private final OutlierDetector detector;
    private final Refresher refresher;
    /** Where a borrow goes when its pick cannot serve it. */
    private final Detours detours;
    /** Guards every change of membership and of the endpoints' ejection state. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Members members = Members.NONE;
    private volatile boolean closed;
    /** Why the last refresh could not do all it should; the cause given when the group is empty. */
    private volatile Exception problem;

    private EndpointGroup(String name, GroupConfig config, EndpointPools pools, ScheduledExecutorService timer,
                          RetryGate retries) {
        this.name = name;
        this.pools = pools;
        this.timer = timer;
        this.balancer = Balancer.of(config.loadBalancing());
        this.detector = new OutlierDetector(config.outlierEjection());
        this.refresher = new Refresher(name, config, this);
        this.detours = new Detours(this, name, balancer, retries);
    }

    /**
     * The group of a factory named {@code name}: its first membership resolved (or polled) now, waiting at most
     * {@code waitNanos} for a name service or a source (then it starts empty and the next refresh or
     * {@code get()} tries again), then refreshed on a thread of its own if there is anything to refresh.
     * {@code timer} runs the restore of ejected endpoints; {@code retries} allows (or not) each failover dial.
     * If it throws, it leaves no thread behind.
     */
    public static EndpointGroup start(String name, GroupConfig config, EndpointPools pools,
                                      ScheduledExecutorService timer, RetryGate retries, long waitNanos) {
        EndpointGroup group = new EndpointGroup(name, config, pools, timer, retries);
        try {
            group.refresher.start(waitNanos);
        } catch (Throwable e) {
            group.close();
            throw e;
        }
        return group;
    }

    // ------------------------------------------------------------------ borrowing

    /** A connection from the endpoint the balancer picks, or from the next one that can be dialled. */
    public <T> T borrow(ConnectionOpener<T> opener, long connectTimeoutNanos) throws IOException {
        return borrow(opener, connectTimeoutNanos, Deadlines.NONE, null, null);
    }

    /**
     * {@link #borrow(ConnectionOpener, long)} within a call's {@code deadline} (waiting and every dial, failover
     * included), preferring an endpoint other than {@code avoid} and {@code alsoAvoid} (those a call's earlier
     * attempts failed on; null: none) where the group has one.
     */
    public <T> T borrow(ConnectionOpener<T> opener, long connectTimeoutNanos, long deadline, AddressPool avoid,
                        AddressPool alsoAvoid) throws IOException {
        Members m = members;
        Endpoint chosen = m.sole; // one usable endpoint: no ejection to end, no choice to make
        Endpoint[] candidates;
        if (chosen != null && avoid == null) {
            candidates = m.usable;
        } else {
            if (m.anyEjected && m.restoreDue(System.nanoTime())) {
                m = restoreDue();
            }
            candidates = m.usable.length > 0 ? m.usable : m.all; // all ejected: try them anyway
            if (candidates.length == 0) {
                m = refreshedWhenEmpty(connectTimeoutNanos, deadline);
                candidates = m.usable.length > 0 ? m.usable : m.all;
            }
            chosen = balancer.pick(candidates);
            if (avoid != null && Detours.avoided(chosen, avoid, alsoAvoid)) {
                chosen = Detours.notAvoided(m, candidates, chosen, avoid, alsoAvoid);
            }
        }
        T conn;
        try {
            conn = opener.open(chosen.pool, connectTimeoutNanos, deadline, candidates.length == 1);
        } catch (EndpointFull full) {
            return detours.elsewhereOrWait(m, candidates, chosen, opener, connectTimeoutNanos, deadline, avoid,
                    alsoAvoid);
        } catch (IOException failed) {
            return detours.failover(m, chosen, failed, opener, connectTimeoutNanos, deadline, true, avoid, alsoAvoid);
        }
        return conn != null ? conn : detours.failover(m, chosen, detours.left(chosen, null), opener,
                connectTimeoutNanos, deadline, true, avoid, alsoAvoid);
    }

    /**
     * The membership after a refresh asked for by a borrower that found the group empty (the first resolution
     * may still be under way, or may have failed): it waits for it at most the connect timeout (the default one
     * if that is unlimited) and the call's deadline. Throws if the group is still empty.
     */
    private Members refreshedWhenEmpty(long connectTimeoutNanos, long deadline) throws IOException {
        if (closed) {
            throw closedException();
        }
        long waitNanos = connectTimeoutNanos > 0 ? connectTimeoutNanos : Conn.DEFAULT_CONNECT_TIMEOUT.toNanos();
        if (deadline != Deadlines.NONE) {
            waitNanos = Math.min(waitNanos, deadline - System.nanoTime()); // the call's deadline holds here too
        }
        try {
            refresher.refreshAndWait(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while endpoint group '" + name + "' was refreshed");
        }
        Members m = members;
        if (m.all.length == 0) {
            throw closed ? closedException() : empty();
        }
        return m;
    }

    /** The failure of a borrow that found the group empty, with the last refresh problem if any. */
    IOException empty() {
        Exception why = problem;
        String message = "endpoint group '" + name + "' has no endpoints";
        return why == null ? new IOException(message) : new IOException(message + ": " + why, why);
    }

    /** The failure of a borrow from a closed group. */
    IOException closedException() {
        return new IOException("pool closed: the factory '" + name + "' was closed");
    }

    // ------------------------------------------------------------------ ejection

    /** An endpoint's pool counted a failure: perhaps eject it. On the failing caller's thread. */
    void endpointFailed(Endpoint endpoint, int consecutiveFailures) {
        if (members.restoreDue(System.nanoTime())) {
            restoreDue(); // an ejection that is over no longer counts against the group's maximum
        }
        long ejectedFor;
        lock.lock();
        try {
            ejectedFor = detector.failed(endpoint, consecutiveFailures, members, System.nanoTime());
            if (ejectedFor > 0) {
                members = new Members(members.all);
            }
        } finally {
            lock.unlock();
        }
        if (ejectedFor > 0) {
            endpoint.pool.closeIdle(CloseReason.EJECTED); // most likely to a dead server: free them now
            log.warn("endpoint group '{}': ejected {} for {} ms after {} consecutive failure(s)", name, endpoint,
                    TimeUnit.NANOSECONDS.toMillis(ejectedFor), consecutiveFailures);
            pools.listeners().endpointEjected(endpoint.address.address(), Duration.ofNanos(ejectedFor));
            try {
                timer.schedule(() -> {
                    restoreDue();
                }, ejectedFor, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException factoryClosed) {
                // nothing left to restore
            }
        }
    }

    /** An endpoint's pool completed an operation after failures: its next ejection starts from the base time. */
    void endpointRecovered(Endpoint endpoint) {
        lock.lock();
        try {
            detector.recovered(endpoint);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores the endpoints whose ejection is over; returns the members now. Their idle connections are closed
     * before they are back in rotation: one returned during the ejection (a call that was under way when its
     * server died) could be handed out unchecked, as recently used, and fail; the first borrow after a restore
     * dials instead, which is the honest test of whether the server is back.
     */
    private Members restoreDue() {
        List<Endpoint> due = new ArrayList<>(1);
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Endpoint e : members.all) {
                if (detector.ejectionOver(e, now)) {
                    due.add(e);
                }
            }
        } finally {
            lock.unlock();
        }
        if (due.isEmpty()) {
            return members;
        }
        for (Endpoint e : due) {
            e.pool.closeIdle(CloseReason.EJECTED);
        }
        List<Endpoint> restored = new ArrayList<>(due.size());
        Members m;
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Endpoint e : due) {
                if (e.member && detector.restoreIfDue(e, now)) {
                    restored.add(e);
                }
            }
            if (!restored.isEmpty()) {
                members = new Members(members.all);
            }
            m = members;
        } finally {
            lock.unlock();
        }
        announceRestored(restored);
        return m;
    }

    private void announceRestored(List<Endpoint> restored) {
        for (Endpoint e : restored) {
            log.info("endpoint group '{}': {} is back in rotation after its ejection", name, e);
            pools.listeners().endpointRestored(e.address.address());
        }
    }

    // ------------------------------------------------------------------ membership

    /**
     * Makes {@code wanted} the group, in that order: endpoints already in it stay (with their pools and
     * state), new ones join with a new pool, and the others are drained. Only the refresher calls this, one call
     * at a time.
     */
    void update(List<EndpointAddress> wanted) {
        Members current = members;
        Endpoint[] next = new Endpoint[wanted.size()];
        List<Endpoint> joined = new ArrayList<>();
        for (int i = 0; i < next.length; i++) {
            EndpointAddress address = wanted.get(i);
            Endpoint endpoint = find(current, address);
            if (endpoint == null) {
                endpoint = new Endpoint(address, pools.open(address), this);
                if (detector.enabled()) {
                    endpoint.watchHealth();
                }
                joined.add(endpoint);
            }
            next[i] = endpoint;
        }
        List<Endpoint> left = new ArrayList<>();
        List<Endpoint> restored = new ArrayList<>(0);
        lock.lock();
        try {
            if (closed) {
                left.addAll(joined);
            } else {
                for (Endpoint e : current.all) {
                    if (!contains(next, e)) {
                        e.member = false;
                        left.add(e);
                    }
                }
                // a smaller group may eject fewer (a group of one none): the ejections over its limit end now
                restored.addAll(detector.restoreOverLimit(next));
                members = new Members(next);
            }
        } finally {
            lock.unlock();
        }
        for (Endpoint e : left) {
            e.stopWatchingHealth();
            pools.drain(e.pool);
        }
        for (Endpoint e : restored) {
            e.pool.closeIdle(CloseReason.EJECTED); // as any restore: its first borrow dials afresh
        }
        announceRestored(restored);
        if (current == Members.NONE && left.isEmpty()) {
            log.debug("endpoint group '{}': endpoints {}", name, addresses()); // the first list: the factory's own start
        } else if (!joined.isEmpty() || !left.isEmpty()) {
            log.info("endpoint group '{}': endpoints {}{}{}", name, addresses(),
                    joined.isEmpty() ? "" : ", joined " + joined, left.isEmpty() ? "" : ", left " + left);
        }
    }

    private static Endpoint find(Members members, EndpointAddress address) {
        for (Endpoint e : members.all) {
            if (e.address.equals(address)) {
                return e;
            }
        }
        return null;
    }

    private static boolean contains(Endpoint[] endpoints, Endpoint endpoint) {
        for (Endpoint e : endpoints) {
            if (e == endpoint) {
                return true;
            }
        }
        return false;
    }

    /** What the last refresh could not do (null: everything worked), for the message of an empty group. */
    void problem(Exception problem) {
        this.problem = problem;
    }

    // ------------------------------------------------------------------ observing and closing

    /** The endpoints now, in list order. */
    public List<EndpointStatus> status() {
        Members m = members;
        if (m.restoreDue(System.nanoTime())) {
            m = restoreDue();
        }
        List<EndpointStatus> status = new ArrayList<>(m.all.length);
        for (int i = 0; i < m.all.length; i++) {
            status.add(m.all[i].status(!m.isUsable(i)));
        }
        return List.copyOf(status);
    }

    /** The endpoints' addresses now, in list order. */
    public List<String> addresses() {
        Endpoint[] all = members.all;
        List<String> addresses = new ArrayList<>(all.length);
        for (Endpoint e : all) {
            addresses.add(e.address.address());
        }
        return addresses;
    }

    /** The endpoint of the group called {@code address} ({@code ip:port}, or the name a group of one kept); or null. */
    public EndpointAddress endpoint(String address) {
        for (Endpoint e : members.all) {
            if (e.address.address().equals(address)) {
                return e.address;
            }
        }
        return null;
    }

    /** Why the last refresh could not do all it should (a failed poll or resolution); null when it worked. */
    public Exception problem() {
        return problem;
    }

    /** Whether {@code pool} serves an endpoint of the group (then it is never retired for being unused). */
    public boolean owns(AddressPool pool) {
        for (Endpoint e : members.all) {
            if (e.pool == pool) {
                return true;
            }
        }
        return false;
    }

    /** Whether the factory closed the group. */
    /** The published membership. */
    Members members() {
        return members;
    }

    public boolean isClosed() {
        return closed;
    }

    /** A refresh now, on the group's refreshing thread; false if the group does not refresh (see Refresher). */
    public boolean refreshSoon() {
        return !closed && refresher.refreshSoon();
    }

    /** Stops refreshing; the factory closes the pools. */
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        refresher.stop();
    }

    @Override
    public String toString() {
        return "EndpointGroup[" + name + ", " + addresses() + (closed ? ", closed" : "") + "]";
    }
}
