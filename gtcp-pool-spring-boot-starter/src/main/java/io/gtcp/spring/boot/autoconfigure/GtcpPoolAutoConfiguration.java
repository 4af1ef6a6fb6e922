package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.EndpointSource;
import io.gtcp.PoolConnFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configures a {@link PoolConnFactory} from the {@code gtcp.pool.*} properties, and one more per named pool
 * {@code gtcp.pools.<name>.*} (see {@link GtcpNamedPoolsRegistrar}), all closed with the application context. An
 * application that defines its own {@code PoolConnFactory} bean keeps it: the default pool backs off (named pools
 * stay; a bean named after a named pool replaces only that pool, see {@link OnNoUserDefaultPoolCondition}), and
 * the metrics and health auto-configurations observe the user's factory too.
 *
 * <p>Every pool's properties are mapped onto the core's builder in one place, {@link GtcpPoolPropertiesMapper};
 * a value the core rejects stops startup with a report naming the property's full path.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(PoolConnFactory.class)
@EnableConfigurationProperties(GtcpPoolProperties.class)
@Import(GtcpNamedPoolsRegistrar.class)
public final class GtcpPoolAutoConfiguration {

    @Bean(destroyMethod = "close")
    @Conditional(OnNoUserDefaultPoolCondition.class)
    PoolConnFactory gtcpPoolConnFactory(GtcpPoolConnFactories factories, GtcpPoolProperties properties) {
        return factories.build(GtcpPoolConnFactories.DEFAULT_PREFIX, properties);
    }

    /** Infrastructure, not meant to be replaced: the named pools' bean definitions name it as their factory. */
    @Bean
    GtcpPoolConnFactories gtcpPoolConnFactories(ConfigurableEnvironment environment,
            ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<GtcpEndpointSources> endpointSources,
            ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers,
            ObjectProvider<GtcpDiscoveryGroups> discoveryGroups) {
        // again here, for an application started from Spring AOT's code, where the registrar does not run
        GtcpPropertyKeys.check(environment, beanFactory.getBeanClassLoader());
        GtcpPoolPropertiesMapper mapper = new GtcpPoolPropertiesMapper(sslBundles.getIfAvailable(),
                endpointSources.getIfAvailable());
        return new GtcpPoolConnFactories(ConfigurationPropertiesBinders.create(environment, beanFactory), mapper,
                customizers, discoveryGroups.getIfAvailable());
    }

    /**
     * {@code discovery.service-id} through Spring Cloud Commons, when it is on the class path; its groups refresh
     * on the registry's {@code HeartbeatEvent}s (see {@link GtcpDiscoveryGroups}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DiscoveryClient.class)
    static class DiscoveryConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GtcpEndpointSources gtcpDiscoveryEndpointSources(ObjectProvider<DiscoveryClient> discoveryClient) {
            return new GtcpEndpointSources() {

                @Override
                public EndpointSource forService(String serviceId) {
                    return new DiscoveryClientEndpointSource(discoveryClient, serviceId);
                }

                @Override
                public EndpointSource forService(String serviceId, String portMetadataKey) {
                    return new DiscoveryClientEndpointSource(discoveryClient, serviceId, portMetadataKey);
                }
            };
        }

        @Bean
        @ConditionalOnMissingBean
        GtcpDiscoveryGroups gtcpDiscoveryGroups() {
            return new GtcpDiscoveryGroups();
        }

        @Bean
        ApplicationListener<HeartbeatEvent> gtcpDiscoveryHeartbeatListener(GtcpDiscoveryGroups groups) {
            return (event) -> groups.registryChanged();
        }
    }
}
