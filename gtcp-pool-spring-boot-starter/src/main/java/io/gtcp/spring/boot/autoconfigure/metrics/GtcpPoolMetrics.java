package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.CloseReason;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolListener;
import io.gtcp.PoolStats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * The Micrometer meters of one {@link PoolConnFactory}, kept up to date by the factory's own events: a
 * {@link PoolListener}, so nothing polls. Each address's pool gets its meters, tagged {@code pool} (the factory's
 * name) and {@code address}, when it appears, and loses them all when it goes away (the factory closes, or
 * forgets an address whose pool stayed empty for a whole idle TTL).
 *
 * <p>A factory's group is a set of such addresses (one per endpoint), so each endpoint has its own meters, and
 * {@code gtcp.pool.endpoint.ejections} counts how often outlier ejection took it out of rotation.
 *
 * <p>The gauges read {@link PoolConnFactory#stats(String)} when the registry asks, so they are exact at scrape
 * time; the timers and counters are fed on the borrow/return path, where the work is a map look-up and a record.
 * Register it with {@code factory.addListener(new GtcpPoolMetrics(factory, registry))}; the starter does this for
 * every {@code PoolConnFactory} bean.
 *
 * <p>The gauges have no base unit, so that their Prometheus names are HikariCP's with {@code gtcp_pool} for
 * {@code hikaricp} ({@code gtcp_pool_connections_active}, not {@code …_active_connections}): dashboards and alerts
 * written for HikariCP carry over.
 */
public final class GtcpPoolMetrics implements PoolListener {

    /** Idle connections, ready to be borrowed. */
    public static final String IDLE = "gtcp.pool.connections.idle";
    /** Connections borrowed right now. */
    public static final String ACTIVE = "gtcp.pool.connections.active";
    /** Callers waiting for a connection right now. */
    public static final String PENDING = "gtcp.pool.connections.pending";
    /** Idle plus active connections: {@code gtcp_pool_connections} in Prometheus, as HikariCP's total. */
    public static final String TOTAL = "gtcp.pool.connections";
    /** The most connections the address's pool may hold. */
    public static final String MAX = "gtcp.pool.connections.max";
    /** The idle connections the address's pool keeps ready (min-idle). */
    public static final String MIN = "gtcp.pool.connections.min";
    /** Time taken to get a connection, dialling included. */
    public static final String ACQUIRE = "gtcp.pool.connections.acquire";
    /** Time a connection was held by its borrower. */
    public static final String USAGE = "gtcp.pool.connections.usage";
    /** Time taken to dial a new connection. */
    public static final String CREATION = "gtcp.pool.connections.creation";
    /** Borrowers that gave up after the acquire timeout. */
    public static final String TIMEOUT = "gtcp.pool.connections.timeout";
    /** Connections held longer than the leak detection threshold. */
    public static final String LEAKED = "gtcp.pool.connections.leaked";
    /** Connections physically closed, tagged with the {@code reason}. */
    public static final String CLOSED = "gtcp.pool.connections.closed";
    /** Times outlier ejection took the endpoint out of rotation. */
    public static final String EJECTIONS = "gtcp.pool.endpoint.ejections";

    private static final CloseReason[] REASONS = CloseReason.values();

    private final PoolConnFactory factory;

    private final MeterRegistry registry;

    private final ConcurrentHashMap<String, AddressMeters> addresses = new ConcurrentHashMap<>();

    /**
     * Serialises registering and removing an address's meters: otherwise a pool retired while its address is used
     * again could leave the new pool recording into meters just removed from the registry.
     */
    private final ReentrantLock registration = new ReentrantLock();

    public GtcpPoolMetrics(PoolConnFactory factory, MeterRegistry registry) {
        this.factory = factory;
        this.registry = registry;
    }

    @Override
    public void poolAdded(String address) {
        meters(address);
    }

    @Override
    public void poolRemoved(String address) {
        this.registration.lock();
        try {
            AddressMeters removed = this.addresses.remove(address);
            if (removed != null) {
                removed.all.forEach(this.registry::remove);
            }
        }
        finally {
            this.registration.unlock();
        }
    }

    @Override
    public void connectionAcquired(String address, long nanos) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.acquire.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void connectionReleased(String address, long nanos) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.usage.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void connectionCreated(String address, long nanos) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.creation.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void acquireTimedOut(String address) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.timeout.increment();
        }
    }

    @Override
    public void connectionLeaked(String address, long heldNanos, Throwable borrowedAt) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.leaked.increment();
        }
    }

    @Override
    public void endpointEjected(String address, Duration ejectedFor) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.ejections.increment();
        }
    }

    @Override
    public void connectionClosed(String address, CloseReason reason) {
        AddressMeters meters = meters(address);
        if (meters != null) {
            meters.closed[reason.ordinal()].increment();
        }
    }

    /**
     * The meters of a live pool, registered on first sight (which also heals the race of a retired pool's
     * {@code poolRemoved} arriving after its successor's {@code poolAdded}); null for a pool that has gone away, so
     * that a connection returned after its factory closed does not bring the meters back.
     */
    private AddressMeters meters(String address) {
        AddressMeters meters = this.addresses.get(address);
        if (meters != null) {
            return meters;
        }
        this.registration.lock();
        try {
            if (this.factory.isClosed() || !this.factory.addresses().contains(address)) {
                return null;
            }
            return this.addresses.computeIfAbsent(address, AddressMeters::new);
        }
        finally {
            this.registration.unlock();
        }
    }

    @Override
    public String toString() {
        return "GtcpPoolMetrics[" + this.factory.name() + "]";
    }

    private final class AddressMeters {

        final List<Meter> all = new ArrayList<>();

        final Timer acquire;

        final Timer usage;

        final Timer creation;

        final Counter timeout;

        final Counter leaked;

        final Counter ejections;

        final Counter[] closed = new Counter[REASONS.length];

        AddressMeters(String address) {
            Tags tags = Tags.of("pool", GtcpPoolMetrics.this.factory.name(), "address", address);
            gauge(IDLE, "Idle connections, ready to be borrowed", tags, address, PoolStats::idle);
            gauge(ACTIVE, "Connections borrowed right now", tags, address, PoolStats::active);
            gauge(PENDING, "Callers waiting for a connection right now", tags, address, PoolStats::pending);
            gauge(TOTAL, "Idle plus active connections", tags, address, PoolStats::total);
            add(Gauge.builder(MAX, GtcpPoolMetrics.this.factory, PoolConnFactory::maxSize)
                .description("The most connections the pool may hold for this address")
                .tags(tags)
                .strongReference(true)
                .register(GtcpPoolMetrics.this.registry));
            add(Gauge.builder(MIN, GtcpPoolMetrics.this.factory, PoolConnFactory::minIdle)
                .description("The idle connections the pool keeps ready for this address")
                .tags(tags)
                .strongReference(true)
                .register(GtcpPoolMetrics.this.registry));
            this.acquire = add(timer(ACQUIRE, "Time taken to get a connection, dialling included", tags));
            this.usage = add(timer(USAGE, "Time a connection was held by its borrower", tags));
            this.creation = add(timer(CREATION, "Time taken to dial a new connection", tags));
            this.timeout = add(Counter.builder(TIMEOUT)
                .description("Borrowers that gave up after the acquire timeout")
                .tags(tags)
                .register(GtcpPoolMetrics.this.registry));
            this.leaked = add(Counter.builder(LEAKED)
                .description("Connections held longer than the leak detection threshold")
                .tags(tags)
                .register(GtcpPoolMetrics.this.registry));
            this.ejections = add(Counter.builder(EJECTIONS)
                .description("Times outlier ejection took the endpoint out of rotation")
                .tags(tags)
                .register(GtcpPoolMetrics.this.registry));
            for (CloseReason reason : REASONS) {
                this.closed[reason.ordinal()] = add(Counter.builder(CLOSED)
                    .description("Connections physically closed, by reason")
                    .tags(tags)
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(GtcpPoolMetrics.this.registry));
            }
        }

        private void gauge(String name, String description, Tags tags, String address, ToIntFunction<PoolStats> value) {
            PoolConnFactory factory = GtcpPoolMetrics.this.factory;
            add(Gauge.builder(name, factory, f -> value.applyAsInt(f.stats(address)))
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(GtcpPoolMetrics.this.registry));
        }

        private Timer timer(String name, String description, Tags tags) {
            return Timer.builder(name).description(description).tags(tags).register(GtcpPoolMetrics.this.registry);
        }

        private <M extends Meter> M add(M meter) {
            this.all.add(meter);
            return meter;
        }
    }
}
