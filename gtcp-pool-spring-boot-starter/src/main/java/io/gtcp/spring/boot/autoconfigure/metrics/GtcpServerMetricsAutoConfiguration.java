package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Publishes the {@code gtcp.server.connections.*} meters of every {@link TcpServer} bean when Micrometer is on the
 * class path and the application has a {@link MeterRegistry} (ordered after Boot's registry auto-configurations,
 * named so that Boot's metrics module stays optional).
 */
@AutoConfiguration(after = GtcpServerAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, TcpServer.class })
@ConditionalOnBean({ MeterRegistry.class, TcpServer.class })
public final class GtcpServerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GtcpServerMeterBinder gtcpServerMeterBinder(ListableBeanFactory beanFactory) {
        return new GtcpServerMeterBinder(beanFactory);
    }
}
