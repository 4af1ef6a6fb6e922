package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolListener;
import io.gtcp.PoolStats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one {@link PoolConnFactory}: of each endpoint of its group, and of the pool as a whole (UP while
 * at least one endpoint is, DOWN when none is, its group is empty or the factory is closed, UNKNOWN when no
 * address, group or service was configured).
 *
 * <p>It tells the truth without traffic and without waiting, deciding each endpoint cheapest evidence first:
 * <ol>
 * <li>ejected by outlier ejection: DOWN;</li>
 * <li>idle connections and no failure since the last success: UP, because the core checks idle connections in
 * the background and drops those the server closed within about 2 s (not with {@code validateOnBorrow(false)},
 * which checks nothing: then idle connections prove nothing and the probe decides);</li>
 * <li>otherwise (no idle connection, or failures): a probe decides, a dial of the endpoint as a borrower's
 * (through the pool's resolver; for a TLS pool with the handshake, so a certificate every dial rejects is DOWN),
 * closed at once, at most once per {@link #PROBE_INTERVAL} per endpoint, all endpoints at once under one
 * {@link #PROBE_TIMEOUT} ({@link #TLS_PROBE_TIMEOUT} for a TLS pool).</li>
 * </ol>
 * So an outage is DOWN within about 2 s and a recovery UP within about 2 s. The indicator never borrows from the
 * pool: an exhausted pool (every connection borrowed, callers waiting) is reported at once, as
 * {@code exhausted: true} with its {@code pending} count, not discovered by waiting in line.
 *
 * <p>An empty group (a discovered service without instances) is DOWN with its {@code source} (the service) and the
 * {@code error} that says why. The details show, under {@code endpoints}, each endpoint's status, ejection, failures in a row, connections
 * and probe error, and under {@code addresses} the pools that {@code get(address)} made outside the group.
 */
public class GtcpPoolHealthIndicator extends AbstractHealthIndicator {

    /** How long a probe's outcome is trusted before an endpoint is dialled again. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    /** The longest a probe of all endpoints takes. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    /** The same for a TLS pool, whose dial includes a handshake: a cold JVM's first one can take a second. */
    static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final PoolConnFactory factory;

    private final DialOutcomes outcomes = new DialOutcomes();

    private final Map<String, Probed> probes = new ConcurrentHashMap<>();

    public GtcpPoolHealthIndicator(PoolConnFactory factory) {
        super("gtcp pool health check failed");
        this.factory = factory;
        factory.addListener(this.outcomes);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("pool", this.factory.name());
        if (this.factory.address() != null) {
            builder.withDetail("address", this.factory.address());
        }
        builder.withDetail("maxSize", this.factory.maxSize());
        if (this.factory.isClosed()) {
            builder.down().withDetail("closed", true);
            return;
        }
        List<EndpointStatus> endpoints = this.factory.endpoints();
        Map<String, IOException> probed = probe(endpoints);
        Map<String, Object> endpointDetails = new LinkedHashMap<>();
        int up = 0;
        for (EndpointStatus endpoint : endpoints) {
            Status status = status(endpoint, probed);
            up += Status.UP.equals(status) ? 1 : 0;
            endpointDetails.put(endpoint.address(), details(endpoint, status));
        }
        // no endpoint: UNKNOWN only when nothing was configured; an empty group (a discovered service without
        // instances) cannot serve get(), so it is DOWN
        boolean unknown = endpoints.isEmpty() && !this.factory.hasEndpointGroup();
        builder.status((up > 0) ? Status.UP : unknown ? Status.UNKNOWN : Status.DOWN);
        if (endpoints.isEmpty() && !unknown) {
            // an empty group: say where its endpoints should come from and why none came
            Exception problem = this.factory.endpointSourceProblem();
            builder.withDetail("source", this.factory.endpointSource());
            builder.withDetail("error", (problem != null) ? describe(problem)
                    : "no endpoints: " + this.factory.endpointSource() + " has none");
        }
        builder.withDetail("endpoints", endpointDetails);
        Map<String, Object> addresses = new TreeMap<>();
        for (String address : this.factory.addresses()) {
            addresses.put(address, details(address));
        }
        builder.withDetail("addresses", addresses);
    }

    /** The endpoints whose health only a dial can tell, dialled at once; null outcome means it accepted. */
    private Map<String, IOException> probe(List<EndpointStatus> endpoints) {
        List<String> due = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long now = System.nanoTime();
        for (EndpointStatus endpoint : endpoints) {
            current.add(endpoint.address());
            Probed last = this.probes.get(endpoint.address());
            if (!endpoint.ejected() && !provenByIdleConnections(endpoint)
                    && (last == null || now - last.atNanos >= PROBE_INTERVAL.toNanos())) {
                due.add(endpoint.address());
            }
        }
        if (!due.isEmpty()) {
            Duration timeout = this.factory.isTls() ? TLS_PROBE_TIMEOUT : PROBE_TIMEOUT;
            EndpointProbe.probe(this.factory, due, timeout).forEach((address, error) -> {
                this.probes.put(address, new Probed(System.nanoTime(), error));
                if (error == null) {
                    this.outcomes.failing.remove(address);
                }
            });
        }
        this.probes.keySet().retainAll(current); // endpoints that left the group are forgotten
        Map<String, IOException> outcomes = new LinkedHashMap<>();
        this.probes.forEach((address, probe) -> outcomes.put(address, probe.error));
        return outcomes;
    }

    /** Idle connections prove an endpoint only when the core checks them in the background (validate-on-borrow). */
    private boolean provenByIdleConnections(EndpointStatus endpoint) {
        return this.factory.validateOnBorrow() && endpoint.stats().idle() > 0 && endpoint.consecutiveFailures() == 0
                && !this.outcomes.failing.containsKey(endpoint.address());
    }

    private Status status(EndpointStatus endpoint, Map<String, IOException> probed) {
        if (endpoint.ejected()) {
            return Status.DOWN;
        }
        if (provenByIdleConnections(endpoint)) {
            return Status.UP;
        }
        return (probed.containsKey(endpoint.address()) && probed.get(endpoint.address()) == null) ? Status.UP
                : Status.DOWN;
    }

    private Map<String, Object> details(EndpointStatus endpoint, Status status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", status.getCode());
        details.put("ejected", endpoint.ejected());
        details.put("consecutiveFailures", endpoint.consecutiveFailures());
        stats(details, endpoint.stats());
        Probed probe = this.probes.get(endpoint.address());
        if (Status.DOWN.equals(status) && probe != null && probe.error != null) {
            details.put("error", describe(probe.error));
        }
        return details;
    }

    private Map<String, Object> details(String address) {
        Map<String, Object> details = new LinkedHashMap<>();
        stats(details, this.factory.stats(address));
        Failing failing = this.outcomes.failing.get(address);
        if (failing != null) {
            details.put("failedConnects", failing.count);
            details.put("error", describe(failing.cause));
        }
        return details;
    }

    private void stats(Map<String, Object> details, PoolStats stats) {
        details.put("idle", stats.idle());
        details.put("active", stats.active());
        details.put("pending", stats.pending());
        details.put("total", stats.total());
        if (stats.idle() == 0 && stats.total() >= this.factory.maxSize()) {
            details.put("exhausted", true);
        }
    }

    private static String describe(Exception error) {
        return error.getClass().getName() + ": " + error.getMessage();
    }

    /** A probe's outcome: when, and the error (null: the endpoint accepted the connection). */
    private record Probed(long atNanos, IOException error) {
    }

    /** Dials that failed since an address's last successful one: how many, and the latest error. */
    private record Failing(int count, IOException cause) {
    }

    /** Remembers, per address, whether the pool's dials have been failing since the last one that worked. */
    private static final class DialOutcomes implements PoolListener {

        final Map<String, Failing> failing = new ConcurrentHashMap<>();

        @Override
        public void connectionCreated(String address, long nanos) {
            this.failing.remove(address);
        }

        @Override
        public void connectionFailed(String address, IOException cause) {
            this.failing.merge(address, new Failing(1, cause), (old, now) -> new Failing(old.count + 1, cause));
        }

        @Override
        public void poolRemoved(String address) {
            this.failing.remove(address);
        }
    }
}
