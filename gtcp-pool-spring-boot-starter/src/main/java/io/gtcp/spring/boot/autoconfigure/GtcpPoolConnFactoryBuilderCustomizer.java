package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

/**
 * Adjusts the auto-configured {@link PoolConnFactory} beyond what {@code gtcp.pool.*} can say (a listener, an
 * {@code SSLContext} built in code). Every bean of this type is called, in order, after the properties have been
 * applied and before the factory is built, so a customizer has the last word.
 */
@FunctionalInterface
public interface GtcpPoolConnFactoryBuilderCustomizer {

    /** Adjusts the builder of the auto-configured factory. */
    void customize(PoolConnFactory.Builder builder);
}
