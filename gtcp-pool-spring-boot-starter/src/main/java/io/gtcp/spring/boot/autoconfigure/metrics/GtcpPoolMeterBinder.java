package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.PoolConnFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds every {@link PoolConnFactory} bean of the application, the auto-configured one or the user's own, to a
 * {@link MeterRegistry} by adding a {@link GtcpPoolMetrics} listener to it and its retry budget's counter
 * ({@link GtcpClientRetryMetrics}). Spring Boot calls it once the
 * singletons exist, for each registry it manages.
 */
public class GtcpPoolMeterBinder implements MeterBinder {

    private final ObjectProvider<PoolConnFactory> factories;

    public GtcpPoolMeterBinder(ObjectProvider<PoolConnFactory> factories) {
        this.factories = factories;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.factories.orderedStream().forEach(factory -> {
            factory.addListener(new GtcpPoolMetrics(factory, registry));
            GtcpClientRetryMetrics.bind(factory, registry);
        });
    }
}
