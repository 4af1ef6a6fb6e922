package io.gtcp.internal.pool;

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
 * What a failed dial throws names the pool and the address ({@link NamedFailure}).
 *
 * <p>It reuses the IP address resolved at most {@link #RESOLVE_TTL_NANOS} ago (the JVM's own default DNS cache
 * time): the connections of a pool then share one resolved address instead of a copy each, and after a failed
 * dial the next one asks DNS again, since the host may have moved. Racing dials may both resolve: harmless, so
 * there is no lock.
 */
final class AddressDialer {

    private static final Logger log = LoggerFactory.getLogger(AddressDialer.class);
    private static final long RESOLVE_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

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

    AddressDialer(String poolName, String address, String dialAs, InetSocketAddress fixedTarget, SSLContext tls,
                  EndpointHealth health, RetryGate retries, LifetimeCounts lifetime) {
        this.lifetime = lifetime;
        this.poolName = poolName;
        this.address = address;
        this.dialAs = dialAs;
        this.fixedTarget = fixedTarget;
        this.tls = tls;
        this.health = health;
        this.retries = retries;
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
