package io.gtcp;

import io.gtcp.internal.call.ExchangeCall;
import io.gtcp.internal.call.RetryAllowance;
import io.gtcp.internal.group.EndpointCheck;
import io.gtcp.internal.group.EndpointGroup;
import io.gtcp.internal.group.FactoryPools;
import io.gtcp.internal.group.GroupConfig;
import io.gtcp.internal.group.StartLine;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.AddressPools;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;
import io.gtcp.internal.pool.PoolEntry;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pools TCP connections per address, the way gtcp's {@code PoolConn} does, with the limits and checks a
 * production pool needs: a maximum size with a fair, bounded wait; idle TTL and maximum lifetime; a borrow-time
 * stale check; reconnect-on-send; leak detection; statistics and a listener SPI for metrics.
 *
 * <p>{@link #get()} borrows from the factory's endpoint group: the configured address, or several
 * ({@link Builder#addresses}, a host name standing for every address it resolves to, or an
 * {@link EndpointSource}), each endpoint with its own pool, picked by the {@link LoadBalancing} policy, a failed
 * dial moving on to the next endpoint, failing endpoints ejected for a while ({@link OutlierEjection}) and the list
 * refreshed every {@link Builder#refreshEvery}. {@link #get(String)} borrows from the pool of any address (one
 * pool per exact address string, created on first use), outside the group. Closing the {@link PoolConn} gives it
 * back. One daemon housekeeping thread per factory closes expired idle connections (within about a second), checks
 * idle connections for a peer close in the background, and forgets the pool of an address (other than the group's)
 * that has stayed empty for a whole idle TTL; up to two filler threads, ended when idle, dial to keep
 * {@code minIdle} connections ready, so that a slow dial never holds up the housekeeping. {@link #close()} closes
 * the idle connections at once and the borrowed ones as they come back, and ends those threads; afterwards
 * {@code get} fails with "pool closed".
 *
 * <pre>{@code
 * try (PoolConnFactory pool = PoolConnFactory.builder().address("127.0.0.1:8999").build();
 *      PoolConn conn = pool.get()) {
 *     byte[] reply = conn.sendRecvPkg("hello".getBytes());
 * }
 * }</pre>
 */
public final class PoolConnFactory implements Closeable {

    /** gtcp's idle lifetime: 600 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(600);
    public static final int DEFAULT_MAX_SIZE = 64;
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Conn.DEFAULT_CONNECT_TIMEOUT;
    public static final String DEFAULT_NAME = "default";
    /** Connections idle this long or longer are always checked before reuse (when validateOnBorrow is on). */
    public static final Duration MAX_CHECK_IDLE_AFTER = Duration.ofMillis(500);
    /** How often a group re-resolves its host names and polls its endpoint source. */
    public static final Duration DEFAULT_REFRESH_EVERY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(PoolConnFactory.class);

    private final PoolConfig config;
    private final AddressPools pools;
    /** What {@link #get()} borrows from; null when neither an address nor a group is configured. */
    private final EndpointGroup endpointGroup;
    /** Where the group's endpoints come from, for {@link #endpointSource()}; null without a group. */
    private final String endpointSource;
    /** The retry budget every attempt after a call's first asks; every call deposits into it. */
    private final RetryAllowance retries;
    /** The factory exchanges' machinery; null without a group. */
    private final ExchangeCall exchanges;
    private volatile boolean closed;

    private PoolConnFactory(PoolConfig config, GroupConfig group, Listeners listeners, boolean idempotent) {
        this.config = config;
        this.retries = (RetryAllowance) config.retries();
        FactoryPools started = new FactoryPools(config, group, listeners, retries);
        this.pools = started.pools();
        this.endpointGroup = started.group();
        this.exchanges = endpointGroup == null ? null
                : new ExchangeCall(endpointGroup, retries, idempotent, config.connectTimeoutNanos());
        this.endpointSource = group.isConfigured() ? StartLine.source(group) : null;
        if (log.isInfoEnabled()) {
            log.info("pool {}{}", StartLine.of(config, group), idempotent ? ", idempotent" : "");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The process-wide factory behind {@link PoolConn#newPoolConn}: the builder's defaults. */
    static PoolConnFactory defaultFactory() {
        return DefaultHolder.INSTANCE;
    }

    private static final class DefaultHolder {
        static final PoolConnFactory INSTANCE = builder().name("gtcp-default").build();
    }

    // ------------------------------------------------------------------ borrowing

    /** A connection to an endpoint of the group: the configured address, or one of the configured addresses. */
    public PoolConn get() throws IOException {
        EndpointGroup group = group();
        retries.deposit();
        return group.borrow(FactoryExchange.PKG, config.connectTimeoutNanos());
    }

    private EndpointGroup group() {
        EndpointGroup group = endpointGroup;
        if (group == null) {
            throw new IllegalStateException("no address configured: " + config.addressHint() + " or call get(address)");
        }
        return group;
    }

    // ------------------------------------------------------------------ one-call exchanges

    /**
     * Borrows a connection of the group, sends {@code request} as one package, receives the reply package and
     * gives the connection back: {@code try (PoolConn c = get()) { return c.sendRecvPkg(request, option); }}, plus,
     * with {@link Builder#idempotent}, a send on another connection when the first failed before any byte of
     * its reply arrived (see {@link Builder#idempotent}).
     */
    public byte[] sendRecvPkg(byte[] request, PkgOption... option) throws IOException {
        return call().exchange(FactoryExchange.PKG, request, 0, option, Deadlines.NONE);
    }

    /**
     * {@link #sendRecvPkg} under one deadline, {@code timeout} from now: waiting for a place, every dial (failover
     * included), the exchange and every retry. When it passes the call ends with a
     * {@link java.net.SocketTimeoutException} (an {@link AcquireTimeoutException} if it was waiting for a place).
     */
    public byte[] sendRecvPkgWithTimeout(byte[] request, Duration timeout, PkgOption... option) throws IOException {
        return call().exchange(FactoryExchange.PKG, request, 0, option, Deadlines.ofCall(timeout));
    }

    /** Raw mode, as {@link Conn#sendRecv}: sends {@code request} as it is and receives as {@code receive} says. */
    public byte[] sendRecv(byte[] request, int receive) throws IOException {
        return call().exchange(FactoryExchange.RAW, request, receive, null, Deadlines.NONE);
    }

    /** {@link #sendRecv} under one deadline, as {@link #sendRecvPkgWithTimeout}. */
    public byte[] sendRecvWithTimeout(byte[] request, int receive, Duration timeout) throws IOException {
        return call().exchange(FactoryExchange.RAW, request, receive, null, Deadlines.ofCall(timeout));
    }

    private ExchangeCall call() {
        group();
        if (closed) {
            throw new IllegalStateException("pool '" + config.name() + "' is closed");
        }
        return exchanges;
    }


    /** A connection to {@code address} ({@code "host:port"}), from that address's own pool. */
    public PoolConn get(String address) throws IOException {
        retries.deposit();
        return borrow(pools.pool(address), config.connectTimeoutNanos());
    }

    /** A connection to {@code address}, dialling (if it must) with {@code connectTimeout}. */
    public PoolConn get(String address, Duration connectTimeout) throws IOException {
        retries.deposit();
        return borrow(pools.pool(address), Deadlines.nanos(connectTimeout, "connect timeout"));
    }

    private PoolConn borrow(AddressPool pool, long connectTimeoutNanos) throws IOException {
        PoolEntry entry = pool.borrow(connectTimeoutNanos);
        while (entry == null) { // that address's pool retired as we came: take its successor
            pool = pools.pool(pool.address());
            entry = pool.borrow(connectTimeoutNanos);
        }
        return PoolConn.handOut(pool, entry, connectTimeoutNanos);
    }

    // ------------------------------------------------------------------ observing

    /** All addresses' pools added together. */
    public PoolStats stats() {
        return pools.stats();
    }

    /** The pool of one address; all zero if it has none. */
    public PoolStats stats(String address) {
        return pools.stats(address);
    }

    /** Attempts after a call's first that the retry budget allowed so far (failover, reconnect, re-send, retry). */
    public long retriesAttempted() {
        return retries.attempted();
    }

    /** Attempts after a call's first that the retry budget refused so far: the calls ended with their failure. */
    public long retriesRefused() {
        return retries.refused();
    }

    /** The addresses that have a pool. */
    public Set<String> addresses() {
        return pools.addresses();
    }

    /** Adds a listener; it is told at once of the pools that exist already. */
    public void addListener(PoolListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        pools.addListener(listener);
    }

    /** Removes a listener added before. */
    public void removeListener(PoolListener listener) {
        pools.removeListener(listener);
    }

    /** The name given to the builder ("default" unless set): the {@code pool} tag of its metrics. */
    public String name() {
        return config.name();
    }

    /** The endpoints of the group behind {@link #get()} now, in list order; empty if there is no group. */
    public java.util.List<EndpointStatus> endpoints() {
        EndpointGroup group = endpointGroup;
        return group == null ? java.util.List.of() : group.status();
    }

    /**
     * Whether {@link #get()} has a target: an address or a group, fixed or discovered, even one that is empty right
     * now (a discovered service without instances); false when neither was configured.
     */
    public boolean hasEndpointGroup() {
        return endpointGroup != null;
    }

    /**
     * Refreshes the group behind {@link #get()} now, besides every {@code refreshEvery}: polls its
     * {@link EndpointSource} and resolves its host names again, on the group's refreshing thread, so the caller
     * never waits (a service registry's change event calls this; the starter does on Spring Cloud's
     * {@code HeartbeatEvent}). Calls while one refresh is queued are served by it. Returns false, doing nothing,
     * when the factory is closed or its group does not refresh: no group, only IP addresses, or
     * {@code refreshEvery} 0.
     */
    public boolean refreshEndpoints() {
        EndpointGroup group = endpointGroup;
        return group != null && !closed && group.refreshSoon();
    }

    /** The configured address, or null if there is none. */
    public String address() {
        return config.address();
    }

    /** The maximum number of connections per address. */
    public int maxSize() {
        return config.maxSize();
    }

    /** The idle connections kept ready per address of the group. */
    public int minIdle() {
        return config.minIdle();
    }

    /**
     * Whether idle connections are checked for a peer close, at borrow and in the background; without it an idle
     * connection says nothing about its server (the starter's health indicator relies on this).
     */
    public boolean validateOnBorrow() {
        return config.validateOnBorrow();
    }

    /**
     * Where the group's endpoints come from: its entries ({@code [orders.internal:9000]}) or its source's own
     * description ({@code DiscoveryClient service 'orders'}); null without a group. What a health check shows for
     * an empty group, beside {@link #endpointSourceProblem()}.
     */
    public String endpointSource() {
        return endpointSource;
    }

    /** Whether the pool dials TLS (it has an {@code SSLContext}). */
    public boolean isTls() {
        return config.sslContext() != null;
    }

    /** Why the group's last refresh could not do all it should (a failed poll or resolution); null when it worked. */
    public Exception endpointSourceProblem() {
        return endpointGroup != null ? endpointGroup.problem() : null;
    }

    /**
     * Dials {@code endpoint}, one of {@link #endpoints()}, as a borrow would (the address the group resolved with
     * its resolver, the TLS handshake with host name verification) and closes the connection at once: it is neither
     * pooled nor counted for or against the endpoint. {@code timeout} bounds the whole dial, name resolution
     * included. For health checks, which must see what a borrower would see.
     */
    public void checkEndpoint(String endpoint, Duration timeout) throws IOException {
        if (endpointGroup == null) {
            throw new IOException("pool '" + config.name() + "' has no endpoint group");
        }
        EndpointCheck.dial(endpointGroup, endpoint, Deadlines.after(System.nanoTime(), timeout.toNanos()),
                config.sslContext());
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Closes idle connections now and borrowed ones as they come back; stops the housekeeping, filler and refresh
     * threads (a background dial in progress is interrupted), so no thread of this factory outlives it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (endpointGroup != null) {
            endpointGroup.close();
        }
        PoolStats before = pools.close();
        log.info("pool '{}' closed: {} idle connections closed, {} borrowed ones close as they come back",
                config.name(), before.idle(), before.active());
    }

    @Override
    public String toString() {
        return "PoolConnFactory[" + config.name() + (config.address() != null ? ", " + config.address() : "")
                + ", max " + config.maxSize() + (closed ? ", closed" : "") + "]";
    }

    /**
     * Settings of a {@link PoolConnFactory}. Every value is checked here: a bad one is an
     * {@link IllegalArgumentException} naming the setting.
     */
    public static final class Builder {
        private final FactorySettings settings = new FactorySettings();

        private Builder() {
        }

        /** A name for logs, the housekeeping thread and the {@code pool} metrics tag; default "default". */
        public Builder name(String name) {
            settings.name(name);
            return this;
        }

        /**
         * The address {@link #get()} uses, {@code "host:port"}: a group of one entry. Checked for form now; a host
         * name is resolved when the factory is built and again every {@link #refreshEvery}.
         */
        public Builder address(String address) {
            settings.address(address);
            return this;
        }

        /**
         * The group behind {@link #get()}: {@code "host:port"} entries, each an endpoint with its own pool; a host
         * name that resolves to several addresses stands for one endpoint per address. Replaces {@link #address}.
         */
        public Builder addresses(String... addresses) {
            settings.addresses(addresses);
            return this;
        }

        /** Like {@link #addresses(String...)}. */
        public Builder addresses(java.util.List<String> addresses) {
            settings.addresses(addresses);
            return this;
        }

        /** A dynamic group: the endpoints come from {@code source}, polled every {@link #refreshEvery}. */
        public Builder endpointSource(EndpointSource source) {
            settings.endpointSource(source);
            return this;
        }

        /** How {@link #get()} picks an endpoint of the group; default {@link LoadBalancing#LEAST_BUSY}. */
        public Builder loadBalancing(LoadBalancing policy) {
            settings.loadBalancing(policy);
            return this;
        }

        /** When failing endpoints leave the rotation; default {@link OutlierEjection#defaults()}. */
        public Builder outlierEjection(OutlierEjection ejection) {
            settings.outlierEjection(ejection);
            return this;
        }

        /** How host names of the group become IP addresses; default {@link java.net.InetAddress#getAllByName}. */
        public Builder resolver(AddressResolver resolver) {
            settings.resolver(resolver);
            return this;
        }

        /** How often names are resolved again and the endpoint source polled; default 30 s; zero: never. */
        public Builder refreshEvery(Duration interval) {
            settings.refreshEvery(interval);
            return this;
        }

        /** How long a connection may stay idle in the pool; default 600 s; zero: forever. */
        public Builder ttl(Duration idleTtl) {
            settings.ttl(idleTtl);
            return this;
        }

        /** How long a connection may live at all (minus up to 2.5% spread); default zero: no limit. */
        public Builder maxLifetime(Duration maxLifetime) {
            settings.maxLifetime(maxLifetime);
            return this;
        }

        /** The most connections per address, idle and borrowed together; default 64. */
        public Builder maxSize(int maxPerAddress) {
            settings.maxSize(maxPerAddress);
            return this;
        }

        /** How many idle connections the housekeeper keeps ready per address; default 0. */
        public Builder minIdle(int minIdlePerAddress) {
            settings.minIdle(minIdlePerAddress);
            return this;
        }

        /** How long {@code get} waits for a free connection when the pool is at max size; default 30 s; zero: no wait. */
        public Builder acquireTimeout(Duration timeout) {
            settings.acquireTimeout(timeout);
            return this;
        }

        /** The dial timeout (TCP connect, and the TLS handshake); default 30 s; zero: no limit. */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(timeout);
            return this;
        }

        /** The longest a receive operation (one call) may take; default zero: no limit. */
        public Builder readTimeout(Duration timeout) {
            settings.readTimeout(timeout);
            return this;
        }

        /** The longest a send operation (one call) may take; default zero: no limit. */
        public Builder writeTimeout(Duration timeout) {
            settings.writeTimeout(timeout);
            return this;
        }

        /** The retry of calls that pass none; default none. */
        public Builder retry(Retry retry) {
            settings.retry(retry);
            return this;
        }

        /**
         * Check a connection idle 500 ms or more for a peer close before handing it out, and check idle connections
         * in the background (so that an outage shows without traffic); default true. {@code false} checks nothing,
         * as gtcp does: a connection the server closed then fails its next exchange.
         */
        public Builder validateOnBorrow(boolean validate) {
            settings.validateOnBorrow(validate);
            return this;
        }

        /**
         * With {@link #validateOnBorrow}, check connections idle at least this long; more recently used ones
         * skip the check, which costs a few microseconds. Default and maximum 500 ms; zero checks every borrow.
         */
        public Builder checkIdleAfter(Duration idle) {
            settings.checkIdleAfter(idle);
            return this;
        }

        /** Dial TLS with this context (host name verification on); default none: plain TCP. */
        public Builder sslContext(SSLContext context) {
            settings.sslContext(context);
            return this;
        }

        /** Log a warning, with the borrower's stack, for a connection held longer; default zero: off. */
        public Builder leakDetectionThreshold(Duration threshold) {
            settings.leakDetectionThreshold(threshold);
            return this;
        }

        /** Observes each sendRecv* / sendRecvPkg* exchange on the pooled connections (tracing); default none. */
        public Builder exchangeObserver(ExchangeObserver observer) {
            settings.exchangeObserver(observer);
            return this;
        }

        /**
         * May the factory's exchanges ({@link PoolConnFactory#sendRecvPkg} and its kin) be sent twice? Default
         * false. With true, an exchange that fails with an {@link IOException} before any byte of its reply
         * arrived (reset, end of stream, refused, a failed dial) is sent again on a fresh connection, to another
         * usable endpoint where the group has one, at most twice, within the deadline and the retry budget; never
         * after a byte of the reply or a timeout. What it risks: a request that reached a server which then died
         * without replying is sent again, so only say true of requests that may be processed twice.
         */
        public Builder idempotent(boolean idempotent) {
            settings.idempotent(idempotent);
            return this;
        }

        /** How many attempts after a call's first the factory may make; default {@link RetryBudget#defaults()}. */
        public Builder retryBudget(RetryBudget budget) {
            settings.retryBudget(budget);
            return this;
        }

        /**
         * Callers that may wait per endpoint when every connection is in use; default -1: no limit; 0: never wait.
         * A caller over the limit gets a {@link PendingLimitException} at once, after the other endpoints of the
         * group were tried for a free place.
         */
        public Builder maxPending(int maxPending) {
            settings.maxPending(maxPending);
            return this;
        }

        /**
         * How a user of this factory sets its address, for the error of {@link #get()} when it has none; default
         * "set Builder.address". Whoever builds factories from configuration names its keys here (the Spring Boot
         * starter: "set gtcp.pool.address").
         */
        public Builder addressHint(String hint) {
            settings.addressHint(hint);
            return this;
        }

        /** Adds a listener of pool events (metrics, health). */
        public Builder listener(PoolListener listener) {
            settings.listener(listener);
            return this;
        }

        public PoolConnFactory build() {
            PoolConfig config = settings.poolConfig();
            return new PoolConnFactory(config, settings.groupConfig(), settings.listeners(), settings.idempotent());
        }

    }
}
