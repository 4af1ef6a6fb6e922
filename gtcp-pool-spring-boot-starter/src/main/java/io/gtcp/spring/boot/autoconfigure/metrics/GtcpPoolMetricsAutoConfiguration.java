package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Publishes the {@code gtcp.pool.connections.*} meters of every {@link PoolConnFactory} bean, when Micrometer is
 * on the class path and the application has a {@link MeterRegistry}. Ordered after Spring Boot's meter registry
 * auto-configurations (named, not referenced, so that Boot's metrics module stays optional) so that the
 * {@code @ConditionalOnBean(MeterRegistry.class)} sees their registry. A {@link GtcpClientRequestsMeterFilter} gives
 * the timers of the {@code gtcp.client.requests} observations their description.
 */
@AutoConfiguration(after = GtcpPoolAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, PoolConnFactory.class })
@ConditionalOnBean({ MeterRegistry.class, PoolConnFactory.class })
public final class GtcpPoolMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GtcpPoolMeterBinder gtcpPoolMeterBinder(ObjectProvider<PoolConnFactory> factories) {
        return new GtcpPoolMeterBinder(factories);
    }

    @Bean
    @ConditionalOnMissingBean
    GtcpClientRequestsMeterFilter gtcpClientRequestsMeterFilter() {
        return new GtcpClientRequestsMeterFilter();
    }
}
