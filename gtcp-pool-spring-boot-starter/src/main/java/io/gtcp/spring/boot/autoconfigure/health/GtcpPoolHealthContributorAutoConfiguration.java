package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code gtcp} health of every {@link PoolConnFactory} bean when Spring Boot's health module is
 * present; off with {@code management.health.gtcp.enabled=false}. One factory gives one
 * {@link GtcpPoolHealthIndicator}; several give a composite with one entry per bean name.
 */
@AutoConfiguration(after = GtcpPoolAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, PoolConnFactory.class })
@ConditionalOnBean(PoolConnFactory.class)
@ConditionalOnEnabledHealthIndicator("gtcp")
public final class GtcpPoolHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<GtcpPoolHealthIndicator, PoolConnFactory> {

    GtcpPoolHealthContributorAutoConfiguration() {
        super(GtcpPoolHealthIndicator::new);
    }

    @Bean
    @ConditionalOnMissingBean(name = { "gtcpHealthIndicator", "gtcpHealthContributor" })
    HealthContributor gtcpHealthContributor(ConfigurableListableBeanFactory beanFactory) {
        return createContributor(beanFactory, PoolConnFactory.class);
    }
}
