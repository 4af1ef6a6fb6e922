package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.PoolConnFactory;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With an {@link ObservationRegistry} bean, every auto-configured pool (default and named) observes its exchanges
 * as {@value ObservationExchangeObserver#NAME}: an {@link ObservationGtcpPoolConnFactoryBuilderCustomizer} sets an
 * {@link ObservationExchangeObserver}. Without one, nothing is set and an exchange pays a single reference
 * comparison. Ordered after Boot's observation auto-configuration (named, so that Boot's observation module stays
 * optional) so that the condition sees its registry. An application's own bean of that customizer's type replaces
 * it; its other {@code GtcpPoolConnFactoryBuilderCustomizer}s do not. The starter's server observes its
 * {@code PkgHandler}'s exchanges as {@code gtcp.server.requests} the same way.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, PoolConnFactory.class })
@ConditionalOnBean(ObservationRegistry.class)
public final class GtcpPoolObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationGtcpPoolConnFactoryBuilderCustomizer gtcpObservationCustomizer(ObservationRegistry registry) {
        return new ObservationGtcpPoolConnFactoryBuilderCustomizer(registry);
    }

    /** The starter's server observes each {@code PkgHandler} exchange as {@code gtcp.server.requests}. */
    @Bean
    @ConditionalOnMissingBean
    ObservationGtcpServerHandlerDecorator gtcpServerObservationDecorator(ObservationRegistry registry) {
        return new ObservationGtcpServerHandlerDecorator(registry);
    }
}
