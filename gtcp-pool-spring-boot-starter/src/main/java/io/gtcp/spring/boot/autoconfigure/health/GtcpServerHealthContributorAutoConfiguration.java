package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerAutoConfiguration;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerLifecycle;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code gtcpServer} health component of the starter's server when Spring Boot's health module
 * is present; off with {@code management.health.gtcp-server.enabled=false}.
 */
@AutoConfiguration(after = GtcpServerAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, TcpServer.class })
@ConditionalOnBean(GtcpServerLifecycle.class)
@ConditionalOnEnabledHealthIndicator("gtcp-server")
public final class GtcpServerHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "gtcpServerHealthIndicator")
    GtcpServerHealthIndicator gtcpServerHealthIndicator(GtcpServerLifecycle lifecycle) {
        return new GtcpServerHealthIndicator(lifecycle);
    }
}
