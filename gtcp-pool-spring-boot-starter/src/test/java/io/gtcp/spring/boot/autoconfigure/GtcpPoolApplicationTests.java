package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpPoolMetrics;

import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The starter as an application meets it: a real {@link SpringApplication} with every auto-configuration on the
 * class path, registered through {@code AutoConfiguration.imports} and {@code spring.factories}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class GtcpPoolApplicationTests {

    @Test
    void applicationGetsAWorkingFactoryWithMetersAndHealth() throws IOException {
        try (EchoServer server = EchoServer.plain();
                ConfigurableApplicationContext context = application().run("--gtcp.pool.address=" + server.address(),
                        "--gtcp.pool.name=orders")) {
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (PoolConn conn = factory.get()) {
                byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
                assertThat(conn.sendRecvPkg(ping)).isEqualTo(ping);
                assertThat(registry.get(GtcpPoolMetrics.ACTIVE).tag("pool", "orders")
                    .tag("address", server.address()).gauge().value()).isEqualTo(1);
            }
            assertThat(registry.get(GtcpPoolMetrics.IDLE).tag("pool", "orders").gauge().value()).isEqualTo(1);
            assertThat(registry.get("gtcp.client.requests").tag("pool", "orders").tag("address", server.address())
                .tag("outcome", "SUCCESS").timer().count()).as("the exchange, observed and timed by Boot's handler")
                .isEqualTo(1);
            HealthIndicator health = context.getBean("gtcpHealthContributor", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void invalidPropertyStopsStartupWithAReportOfWhatToChange(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application().run("--gtcp.pool.max-size=-1"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: gtcp.pool.max-size")
            .contains("Value: \"-1\"")
            .contains("from property source \"commandLineArgs\"")
            .contains("Change gtcp.pool.max-size in the application's configuration: it must be at least 1.");
    }

    @Test
    void invalidValueOfANamedPoolIsReportedWithItsFullPath(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application().run("--gtcp.pools.orders.max-size=0"));
        assertThat(output).contains("The gtcp pool 'orders' could not be configured")
            .contains("Property: gtcp.pools.orders.max-size")
            .contains("Change gtcp.pools.orders.max-size in the application's configuration: it must be at least 1.");
    }

    @Test
    void unconvertibleValueOfANamedPoolIsReportedWithItsFullPath(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application().run("--gtcp.pools.orders.max-size=many"));
        assertThat(output).contains("APPLICATION FAILED TO START").contains("gtcp.pools.orders.max-size");
    }

    @Test
    void aNamedPoolCalledDefaultStopsStartupPointingToGtcpPool(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application().run("--gtcp.pools.default.max-size=16"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("The gtcp pool 'default' could not be configured")
            .contains("Property: gtcp.pools.default")
            .contains("set the default pool's properties under gtcp.pool.*");
    }

    @Test
    void anApplicationConverterReadsANamedPoolsValueInAYamlFile() {
        SpringApplication application = application();
        application.addPrimarySources(List.of(GtcpNamedPoolsTests.WordDurationsConfiguration.class));
        try (ConfigurableApplicationContext context = application
            .run("--spring.config.location=classpath:word-durations.yml")) {
            GtcpPoolProperties orders = context.getBean(GtcpPoolConnFactories.class).properties("orders");
            assertThat(orders.getReadTimeout()).as("inherited").isEqualTo(Duration.ofSeconds(5));
            assertThat(orders.getWriteTimeout()).isEqualTo(Duration.ofMinutes(2));
        }
    }

    @Test
    void readmeExampleConfigurationBinds() throws IOException {
        try (EchoServer server = EchoServer.plain();
                ConfigurableApplicationContext context = application().run(
                        "--spring.config.location=classpath:readme-example.yml",
                        "--gtcp.pool.address=" + server.address(),
                        "--gtcp.pools.orders.addresses=" + server.address())) {
            GtcpPoolProperties properties = context.getBean(GtcpPoolProperties.class);
            assertThat(properties.getMaxSize()).isEqualTo(32);
            assertThat(properties.getAcquireTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.getReadTimeout()).isEqualTo(Duration.ofSeconds(5));
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            assertThat(factory.name()).isEqualTo("default");
            PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
            assertThat(orders.maxSize()).isEqualTo(16);
            assertThat(context.getBean("billingPoolConnFactory", PoolConnFactory.class).maxSize()).as("inherited")
                .isEqualTo(32);
            for (PoolConnFactory pool : new PoolConnFactory[] { factory, orders }) {
                try (PoolConn conn = pool.get()) {
                    byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
                    assertThat(conn.sendRecvPkg(ping)).isEqualTo(ping);
                }
            }
        }
    }

    @Test
    void invalidValueOfANamedPoolInAYamlFileIsReportedAsTheReadmeShows(CapturedOutput output) {
        assertThatException()
            .isThrownBy(() -> application().run("--spring.config.location=classpath:invalid-named-pool.yml"));
        assertThat(output).contains("The gtcp pool 'orders' could not be configured:")
            .contains("Property: gtcp.pools.orders.max-size")
            .contains("Value: \"0\"")
            .contains("Origin: class path resource [invalid-named-pool.yml] - 12:17")
            .contains("Reason: it must be at least 1");
    }

    @Test
    void invalidValueInAYamlFileIsReportedWithItsLine(CapturedOutput output) {
        assertThatException()
            .isThrownBy(() -> application().run("--spring.config.location=classpath:invalid-pool.yml"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: gtcp.pool.max-size")
            .contains("Origin: class path resource [invalid-pool.yml] - 4:15");
    }

    private static SpringApplication application() {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

    }
}
