package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolConnFactoryBuilderCustomizer;

import io.micrometer.observation.ObservationRegistry;

/**
 * Sets an {@link ObservationExchangeObserver} on every auto-configured pool, so that each of its exchanges is an
 * observation {@value ObservationExchangeObserver#NAME} in the given registry. The starter's observation
 * auto-configuration defines one; it has a type of its own (not just {@link GtcpPoolConnFactoryBuilderCustomizer})
 * so that an application can replace it with a bean of this type, for another registry or for some pools only
 * (override {@link #customize(String, PoolConnFactory.Builder)}), while its other customizers leave it alone.
 */
public class ObservationGtcpPoolConnFactoryBuilderCustomizer implements GtcpPoolConnFactoryBuilderCustomizer {

    private final ObservationExchangeObserver observer;

    public ObservationGtcpPoolConnFactoryBuilderCustomizer(ObservationRegistry registry) {
        this.observer = new ObservationExchangeObserver(registry);
    }

    @Override
    public void customize(PoolConnFactory.Builder builder) {
        builder.exchangeObserver(this.observer);
    }
}
