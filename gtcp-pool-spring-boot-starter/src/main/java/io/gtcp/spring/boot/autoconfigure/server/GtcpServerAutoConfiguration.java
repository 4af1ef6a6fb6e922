package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.TcpServer;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A gtcp server in the application: with {@code gtcp.server.address} set, a {@link TcpServer} bean named
 * {@code gtcpServer} serves the application's one handler bean, and a {@link GtcpServerLifecycle} starts it
 * before the application is ready and drains it when the application stops (see {@link GtcpServers} for how the
 * server is made and what stops a start). An application's own {@code TcpServer} bean replaces it.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(TcpServer.class)
@ConditionalOnProperty(prefix = GtcpServerProperties.PREFIX, name = "address")
@EnableConfigurationProperties(GtcpServerProperties.class)
public final class GtcpServerAutoConfiguration {

    /** The name of the server's bean: the {@code server} tag of its meters. */
    public static final String SERVER_BEAN = "gtcpServer";

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    @Bean(name = SERVER_BEAN, destroyMethod = "close")
    @ConditionalOnMissingBean(TcpServer.class)
    TcpServer gtcpServer(GtcpServerProperties properties, ConfigurableListableBeanFactory beanFactory,
            Environment environment, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<GtcpServerHandlerDecorator> decorator) {
        return new GtcpServers(properties, beanFactory, environment, sslBundles.getIfAvailable(),
                decorator.getIfUnique()).create(SERVER_BEAN);
    }

    /** Runs the server, the starter's or the application's own if it has exactly one. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(TcpServer.class)
    GtcpServerLifecycle gtcpServerLifecycle(ConfigurableListableBeanFactory beanFactory,
            GtcpServerProperties properties, Environment environment) {
        TcpServer server = beanFactory.getBean(TcpServer.class);
        String[] names = beanFactory.getBeanNamesForType(TcpServer.class);
        String name = java.util.Arrays.asList(names).contains(SERVER_BEAN) ? SERVER_BEAN : names[0];
        Duration grace = Binder.get(environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_GRACE);
        return new GtcpServerLifecycle(server, name, properties.getAddress(), properties.getShutdown(), grace);
    }

    @Bean
    @ConditionalOnBean(GtcpServerLifecycle.class)
    GtcpServerGracefulShutdownLifecycle gtcpServerGracefulShutdown(GtcpServerLifecycle lifecycle) {
        return new GtcpServerGracefulShutdownLifecycle(lifecycle);
    }

    /** The server into Spring Cloud's service registry, when there is one (see {@link GtcpServiceRegistration}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ AbstractAutoServiceRegistration.class, WebServerInitializedEvent.class })
    static class ServiceRegistrationConfiguration {

        // no @ConditionalOnBean(GtcpServerLifecycle): a member class is read before the beans of its outer class
        @Bean
        @ConditionalOnProperty(name = "spring.cloud.service-registry.auto-registration.enabled",
                matchIfMissing = true)
        GtcpServiceRegistration gtcpServiceRegistration(
                ObjectProvider<AbstractAutoServiceRegistration<?>> registrations,
                ObjectProvider<GtcpServerLifecycle> lifecycle) {
            return new GtcpServiceRegistration(registrations, lifecycle);
        }
    }
}
