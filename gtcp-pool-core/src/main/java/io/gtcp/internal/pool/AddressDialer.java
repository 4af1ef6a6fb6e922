package io.gtcp.internal.pool;

import io.gtcp.CloseReason;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.DialAbort;
import io.gtcp.internal.io.Dialer;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.io.Resolver;
import io.gtcp.internal.io.RetryGate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials one pool's address and accounts for it: every dial of the pool (a borrower's, a {@code minIdle} fill's,
 * a reconnect-on-send's) goes through here, so a failed one always reaches the address's {@link EndpointHealth}
 * (which logs WARN when the address starts failing) and the listeners, and a new connection is always counted.
 * What a failed dial throws names the pool and the address ({@link NamedFailure}). A new connection enters the
 * pool from here too, {@linkplain #dialIntoPlace into a reserved place} or {@linkplain #redial in place of a
 * borrowed entry's connection}: none of it is on the pool's warm path, which only dials when nothing was idle.
 *
 * <p>It reuses the IP address resolved at most {@link #RESOLVE_TTL_NANOS} ago (the JVM's own default DNS cache
 * time): the connections of a pool then share one resolved address instead of a copy each, and after a failed
 * dial the next one asks DNS again, since the host may have moved. Racing dials may both resolve: harmless, so
 * there is no lock.
 */
final class AddressDialer {

    private static final Logger log = LoggerFactory.getLogger(AddressDialer.class);
    /** A close is logged under the pool, as every close of its connections is. */
    private static final Logger closeLog = LoggerFactory.getLogger(AddressPool.class);
    private static final long RESOLVE_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final AddressPool pool;
    /** The pool's name, which a failure names with the address. */
    private final String poolName;
    private final String address;
    /** The {@code "host:port"} the dial names: TLS verifies its host; the address itself unless a group says else. */
    private final String dialAs;
    /** The IP a group endpoint dials, resolved by its group; null: resolve {@link #address} here. */
    private final InetSocketAddress fixedTarget;
    private final SSLContext tls;
    private final EndpointHealth health;
    /** The factory's retry budget, which the {@link io.gtcp.Retry} repeats of every link dialled here ask. */
    private final RetryGate retries;
    private final LongAdder created = new LongAdder();
    private final LifetimeCounts lifetime;
    private volatile InetSocketAddress resolved;
    private volatile long resolvedAt;
    /** Dials under way for the pool's places (not reconnects): {@link #close()} ends them. */
    private final Set<DialAbort> dials = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** For {@code pool}, whose name, address, TLS and retry budget it uses, counting into {@code lifetime} too. */
    AddressDialer(AddressPool pool, String dialAs, InetSocketAddress fixedTarget, EndpointHealth health,
                  LifetimeCounts lifetime) {
        this.pool = pool;
        this.lifetime = lifetime;
        this.poolName = pool.config().name();
        this.address = pool.address();
        this.dialAs = dialAs;
        this.fixedTarget = fixedTarget;
        this.tls = pool.config().sslContext();
        this.health = health;
        this.retries = pool.config().retries();
    }

    /**
     * Dials a connection for a reserved place and puts it in a free slot. The pool's shutdown ends such a dial
     * (its socket closed) rather than leaving a thread dialling for the whole connect timeout: it then fails with
     * the pool's "pool closed".
     */
    PoolEntry dialIntoPlace(long connectTimeoutNanos, int state) throws IOException {
        Link link;
        try {
            link = dialEndedByClose(connectTimeoutNanos, pool.listeners());
        } catch (AsynchronousCloseException e) {
            if (!pool.isShutdown()) {
                throw e;
            }
            IOException closed = pool.report.poolClosed();
            closed.initCause(e);
            throw closed;
        }
        PoolEntry entry;
        try {
            long now = System.nanoTime();
            entry = new PoolEntry(link, now, state);
            entry.startLife(now, pool.config().maxLifetimeNanos());
        } catch (Throwable e) {
            discard(link, CloseReason.BROKEN);
            throw e;
        }
        try {
            entry.slot = pool.slots().put(entry);
        } catch (Throwable e) { // no memory for a new chunk of places
            discard(link, CloseReason.BROKEN);
            throw e;
        }
        return entry;
    }

    /**
     * Reconnect-on-send: replaces the entry's connection with a freshly dialled one (the borrower keeps its
     * place in the pool) and closes the old one. Returns the new link. {@code abort} lets a close from another
     * thread end the dial.
     */
    Link redial(PoolEntry entry, long connectTimeoutNanos, DialAbort abort) throws IOException {
        Link fresh = dial(connectTimeoutNanos, pool.listeners(), abort);
        long now = System.nanoTime();
        Link old = entry.link;
        entry.link = fresh;
        entry.startLife(now, pool.config().maxLifetimeNanos());
        discard(old, CloseReason.REPLACED);
        return fresh;
    }

    /** A new connection, within {@code timeoutNanos} (0: no limit); reports it or the failure. */
    Link dial(long timeoutNanos, Listeners listeners) throws IOException {
        return dial(timeoutNanos, listeners, DialAbort.NEVER);
    }

    /**
     * A new connection for a place of the pool, which {@link #close()} ends (its socket closed: an
     * {@link AsynchronousCloseException}) instead of leaving it to run to the timeout.
     */
    Link dialEndedByClose(long timeoutNanos, Listeners listeners) throws IOException {
        DialAbort abort = new DialAbort();
        dials.add(abort);
        try {
            if (closed) {
                abort.abort(); // close() may have gone through the dials before this one was added
            }
            return dial(timeoutNanos, listeners, abort);
        } finally {
            dials.remove(abort);
        }
    }

    /** Closes a link dialled here that no entry holds (any more), counting and reporting it. */
    private void discard(Link link, CloseReason reason) {
        pool.report.countClose();
        link.abort();
        if (closeLog.isDebugEnabled()) {
            closeLog.debug("closed {} ({})", link, reason);
        }
        pool.listeners().connectionClosed(address, reason);
    }

    /** Ends the dials of {@link #dialEndedByClose} under way, and those that start from now on. */
    void close() {
        closed = true;
        for (DialAbort dial : dials) {
            dial.abort();
        }
    }

    /** The same, ended early by {@code abort}: that is no failure of the address. */
    Link dial(long timeoutNanos, Listeners listeners, DialAbort abort) throws IOException {
        long start = System.nanoTime();
        long deadline = Deadlines.after(start, timeoutNanos); // one budget for resolution, connect and handshake
        Link link;
        try {
            InetSocketAddress target = target(start, deadline);
            link = Dialer.connectBy(dialAs, target, deadline, tls, abort);
        } catch (IOException e) {
            resolved = null;
            // cancelled (a factory closing, a connection closed from another thread): not the address's fault
            if (!(e instanceof AsynchronousCloseException)) {
                health.recordFailure(e);
            }
            listeners.connectionFailed(address, e);
            throw NamedFailure.name(poolName, address, e); // the caller learns which pool and server failed
        }
        link.retryGate(retries);
        created.increment();
        lifetime.created.increment();
        long nanos = System.nanoTime() - start;
        if (log.isDebugEnabled()) {
            log.debug("created {} in {} ms", link, TimeUnit.NANOSECONDS.toMillis(nanos));
        }
        listeners.connectionCreated(address, nanos);
        return link;
    }

    /** How many connections were dialled so far. */
    long created() {
        return created.sum();
    }

    private InetSocketAddress target(long now, long deadline) throws IOException {
        if (fixedTarget != null) {
            return fixedTarget;
        }
        InetSocketAddress target = resolved;
        if (target == null || now - resolvedAt > RESOLVE_TTL_NANOS) {
            target = Resolver.resolve(address, deadline);
            resolvedAt = now;
            resolved = target;
        }
        return target;
    }
}
