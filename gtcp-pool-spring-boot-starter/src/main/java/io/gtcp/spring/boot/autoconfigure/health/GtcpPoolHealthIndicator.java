package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.PoolConnFactory;
import io.gtcp.PoolListener;
import io.gtcp.PoolStats;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one {@link PoolConnFactory}, judged from what its pool has seen rather than by dialling on every
 * health request: the indicator listens to the factory's dial outcomes. It is DOWN when the configured address has
 * refused every connection attempt since its last successful one (or the factory is closed), UP otherwise,
 * including before any attempt. The details show each address's idle, active, pending and total connections, and
 * for an address whose dials are failing, how many failed in a row and the last error.
 */
public class GtcpPoolHealthIndicator extends AbstractHealthIndicator {

    private final PoolConnFactory factory;

    private final DialOutcomes outcomes = new DialOutcomes();

    public GtcpPoolHealthIndicator(PoolConnFactory factory) {
        super("gtcp pool health check failed");
        this.factory = factory;
        factory.addListener(this.outcomes);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String configured = this.factory.address();
        Failing failing = (configured != null) ? this.outcomes.failing.get(configured) : null;
        if (this.factory.isClosed()) {
            builder.down().withDetail("closed", true);
        }
        else if (failing != null) {
            builder.down();
        }
        else {
            builder.up();
        }
        builder.withDetail("pool", this.factory.name());
        if (configured != null) {
            builder.withDetail("address", configured);
        }
        builder.withDetail("maxSize", this.factory.maxSize());
        Map<String, Object> addresses = new TreeMap<>();
        for (String address : this.factory.addresses()) {
            addresses.put(address, details(address));
        }
        builder.withDetail("addresses", addresses);
    }

    private Map<String, Object> details(String address) {
        PoolStats stats = this.factory.stats(address);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("idle", stats.idle());
        details.put("active", stats.active());
        details.put("pending", stats.pending());
        details.put("total", stats.total());
        Failing failing = this.outcomes.failing.get(address);
        if (failing != null) {
            details.put("failedConnects", failing.count);
            details.put("error", failing.cause.getClass().getName() + ": " + failing.cause.getMessage());
        }
        return details;
    }

    /** Dials that failed since an address's last successful one: how many, and the latest error. */
    private record Failing(int count, IOException cause) {
    }

    /** Remembers, per address, whether dials have been failing since the last one that worked. */
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
