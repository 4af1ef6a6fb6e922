package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.PoolConnFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The retry budget of one {@link PoolConnFactory} as a counter, {@code gtcp.client.retries}, tagged {@code pool}
 * and {@code outcome}: {@code attempted} counts the attempts after a call's first that the budget allowed (failover
 * dials, reconnects, idempotent re-sends, retry repeats), {@code refused} those it did not (the call ended with
 * its failure). Both read the factory's own counts when the registry asks, so nothing is recorded per call.
 */
public final class GtcpClientRetryMetrics {

    /** Attempts after a call's first, by outcome. */
    public static final String RETRIES = "gtcp.client.retries";

    private GtcpClientRetryMetrics() {
    }

    /** Registers the factory's two counters with {@code registry}. */
    public static void bind(PoolConnFactory factory, MeterRegistry registry) {
        FunctionCounter.builder(RETRIES, factory, PoolConnFactory::retriesAttempted)
            .description("Attempts after a call's first that the retry budget allowed or refused")
            .tag("pool", factory.name())
            .tag("outcome", "attempted")
            .register(registry);
        FunctionCounter.builder(RETRIES, factory, PoolConnFactory::retriesRefused)
            .description("Attempts after a call's first that the retry budget allowed or refused")
            .tag("pool", factory.name())
            .tag("outcome", "refused")
            .register(registry);
    }
}
