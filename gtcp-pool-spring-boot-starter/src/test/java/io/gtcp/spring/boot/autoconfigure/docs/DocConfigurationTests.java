package io.gtcp.spring.boot.autoconfigure.docs;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;
import io.gtcp.spring.boot.autoconfigure.health.GtcpPoolHealthContributorAutoConfiguration;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML examples of the docs, each started as an application with every auto-configuration on the class path
 * (the test only points their addresses at its loopback servers); {@link DocCodeBlocksTests} holds the docs to
 * these files.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocConfigurationTests {

    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);

    @Test
    void fiveMinutesOfTheReadmeGiveANamedPoolWithMetersAndHealth() throws IOException {
        try (EchoServer server = EchoServer.plain();
                ConfigurableApplicationContext context = application(FiveMinutes.class).run(
                        "--spring.config.location=classpath:docs/five-minutes.yml",
                        "--gtcp.pool.address=" + server.address(), "--gtcp.pools.orders.addresses=" + server.address())) {
            assertThat(context.getBean(OrderClient.class).call(PING)).isEqualTo(PING);
            assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).maxSize()).isEqualTo(16);
            String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
            assertThat(scrape).contains("gtcp_pool_connections_active{address=\"" + server.address() + "\",pool=\"orders\"}");
            CompositeHealthContributor gtcp = context.getBean("gtcpHealthContributor",
                    CompositeHealthContributor.class);
            gtcp.stream().forEach((pool) -> assertThat(((HealthIndicator) pool.contributor()).health().getStatus())
                .as(pool.name()).isEqualTo(Status.UP));
            assertThat(gtcp.stream()).hasSize(2);
        }
    }

    @Test
    void discoveryExampleMakesAnEndpointOfEachInstance() throws IOException {
        // a list is bound from one property source: the test's arguments replace both instances of the file
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain();
                ConfigurableApplicationContext context = application(Application.class).run(
                        "--spring.config.location=classpath:docs/discovery.yml",
                        "--spring.cloud.discovery.client.simple.instances.orders[0].uri=tcp://" + one.address(),
                        "--spring.cloud.discovery.client.simple.instances.orders[1].host=127.0.0.1",
                        "--spring.cloud.discovery.client.simple.instances.orders[1].port=" + two.port())) {
            PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
            assertThat(orders.endpoints()).extracting(EndpointStatus::address)
                .containsExactly(one.address(), two.address());
            try (PoolConn conn = orders.get()) {
                assertThat(conn.sendRecvPkg(PING)).isEqualTo(PING);
            }
        }
    }

    @Test
    void sslBundleExampleDialsTls() throws IOException {
        try (EchoServer server = EchoServer.tls();
                ConfigurableApplicationContext context = application(Application.class).run(
                        "--spring.config.location=classpath:docs/ssl-bundle.yml",
                        "--gtcp.pool.address=" + server.address())) {
            try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                assertThat(conn.sendRecvPkg(PING)).isEqualTo(PING);
            }
        }
    }

    @Test
    void healthGroupsExampleKeepsADownPoolOutOfReadiness() {
        int closedPort;
        try (EchoServer gone = EchoServer.plain()) {
            closedPort = gone.port();
        }
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class, GtcpPoolAutoConfiguration.class,
                    GtcpPoolHealthContributorAutoConfiguration.class))
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withPropertyValues("spring.config.location=classpath:docs/health-groups.yml",
                    "gtcp.pool.address=127.0.0.1:" + closedPort)
            .run((context) -> {
                // what SpringApplication publishes once the application is ready (a context runner does not)
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                HealthEndpoint health = context.getBean(HealthEndpoint.class);
                assertThat(health.healthForPath("gtcp").getStatus()).as("the pool").isEqualTo(Status.DOWN);
                assertThat(health.healthForPath("backends").getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
                assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            });
    }

    private static SpringApplication application(Class<?> configuration) {
        SpringApplication application = new SpringApplication(configuration);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(OrderClient.class)
    static class FiveMinutes {

    }
}
