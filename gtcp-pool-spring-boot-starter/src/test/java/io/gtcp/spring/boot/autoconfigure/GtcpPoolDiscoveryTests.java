package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code discovery.service-id}: the endpoints of a pool from Spring Cloud Commons' {@code DiscoveryClient}, here its
 * simple client configured by properties, and a starter that works as before without Spring Cloud.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolDiscoveryTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
                SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class));

    /** An application without Spring Cloud: the class loader hides it, and none of its auto-configurations run. */
    private final ApplicationContextRunner withoutSpringCloud = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpPoolAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.cloud"));

    @Test
    void aServiceIdsEndpointsAreTheHostAndPortOfEachInstance() {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("spring.cloud.discovery.client.simple.instances.orders[0].uri=tcp://" + one.address(),
                        "spring.cloud.discovery.client.simple.instances.orders[1].host=127.0.0.1",
                        "spring.cloud.discovery.client.simple.instances.orders[1].port=" + port(two),
                        "gtcp.pools.orders.discovery.service-id=orders")
                .run((context) -> {
                    assertThat(context).hasNotFailed().hasSingleBean(GtcpEndpointSources.class);
                    assertThat(context.getBean(GtcpEndpointSources.class).forService("orders").endpoints())
                        .containsExactly(one.address(), two.address());
                    assertThat(context.getBean(GtcpEndpointSources.class).forService("nobody").endpoints()).isEmpty();
                    assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).name())
                        .isEqualTo("orders");
                });
        }
    }

    @Test
    void withoutSpringCloudThePoolsWorkAsBefore() {
        try (EchoServer server = EchoServer.plain()) {
            this.withoutSpringCloud.withPropertyValues("gtcp.pool.address=" + server.address())
                .run((context) -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(GtcpEndpointSources.class);
                    context.getBean(PoolConnFactory.class).get().close();
                });
        }
    }

    @Test
    void aServiceIdWithoutSpringCloudSaysWhatIsMissing() {
        this.withoutSpringCloud.withPropertyValues("gtcp.pools.orders.discovery.service-id=orders")
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidGtcpPoolPropertyException failure = GtcpPoolAutoConfigurationTests
                    .invalidProperty(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders.discovery.service-id");
                assertThat(failure.getRequirement()).contains("Spring Cloud Commons");
            });
    }

    @Test
    void aServiceIdIsNotSetTogetherWithAddresses() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.discovery.service-id=orders", "gtcp.pool.address=127.0.0.1:1")
            .run((context) -> assertThat(GtcpPoolAutoConfigurationTests.invalidProperty(context.getStartupFailure())
                .getProperty()).isEqualTo("gtcp.pool.discovery.service-id"));
    }

    private static int port(EchoServer server) {
        return Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
    }
}
