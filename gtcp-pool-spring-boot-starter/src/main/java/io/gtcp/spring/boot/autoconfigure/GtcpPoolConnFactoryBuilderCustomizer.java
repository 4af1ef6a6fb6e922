package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

/**
 * Adjusts the auto-configured {@link PoolConnFactory}s beyond what their properties can say (a listener, an
 * {@code SSLContext} built in code). Every bean of this type is called, in order, for the default pool and for
 * each named pool, after the properties have been applied and before the factory is built, so a customizer has
 * the last word.
 *
 * <p>A lambda customizes every pool alike. To treat pools differently, override {@link #customize(String,
 * PoolConnFactory.Builder)}, which knows the pool's name (and implement {@link #customize(PoolConnFactory.Builder)}
 * as the fallback it replaces).
 */
@FunctionalInterface
public interface GtcpPoolConnFactoryBuilderCustomizer {

    /** Adjusts the builder of an auto-configured factory. */
    void customize(PoolConnFactory.Builder builder);

    /**
     * Adjusts the builder of the auto-configured factory named {@code pool} (the default pool's
     * {@code gtcp.pool.name}, "default" unless set, or the key of {@code gtcp.pools.<name>}); the starter calls this method. By default, {@link #customize(PoolConnFactory.Builder)}.
     */
    default void customize(String pool, PoolConnFactory.Builder builder) {
        customize(builder);
    }
}
