package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.Gtcp;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpPoolAutoConfiguration.class,
                GtcpPoolHealthContributorAutoConfiguration.class));

    @Test
    void upWithTheConnectionsOfEachAddress() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner.withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.name=orders")
                .run((context) -> {
                    assertThat(context).hasSingleBean(GtcpPoolHealthIndicator.class);
                    HealthIndicator indicator = context.getBean("gtcpHealthContributor", HealthIndicator.class);
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    PoolConn held = factory.get();
                    factory.get().close();
                    Health health = indicator.health();
                    held.close();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("pool", "orders")
                        .containsEntry("address", server.address())
                        .containsEntry("maxSize", 64);
                    assertThat(addressDetails(health, server.address())).containsEntry("idle", 1)
                        .containsEntry("active", 1)
                        .containsEntry("pending", 0)
                        .containsEntry("total", 2)
                        .doesNotContainKey("error");
                });
        }
    }

    @Test
    void downWhileTheConfiguredAddressRefusesEveryConnectionAndUpAfterASuccess() throws IOException {
        int port = Gtcp.freePort();
        String address = "127.0.0.1:" + port;
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + address).run((context) -> {
            HealthIndicator indicator = context.getBean("gtcpHealthContributor", HealthIndicator.class);
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            assertThat(indicator.health().getStatus()).as("before any attempt: the probe finds nobody there")
                .isEqualTo(Status.DOWN);

            assertThatExceptionOfType(IOException.class).isThrownBy(factory::get);
            assertThatExceptionOfType(IOException.class).isThrownBy(factory::get);
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(addressDetails(down, address)).containsEntry("failedConnects", 2)
                .hasEntrySatisfying("error", (error) -> assertThat(error).asString().contains("Connect"));

            try (TcpServer server = new TcpServer(address, (conn) -> conn.recvPkg()).start()) {
                assertThat(server.port()).as("the refused port now listens").isEqualTo(port);
                try (PoolConn conn = factory.get()) { // a completed operation: the endpoint's failure count resets
                    conn.sendPkg("ping".getBytes(StandardCharsets.UTF_8));
                }
                Health up = indicator.health();
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(addressDetails(up, address)).doesNotContainKey("error");
            }
        });
    }

    @Test
    void failuresOfAnotherAddressDoNotMakeItDown() throws IOException {
        String refusing = "127.0.0.1:" + Gtcp.freePort();
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner.withPropertyValues("gtcp.pool.address=" + server.address()).run((context) -> {
                HealthIndicator indicator = context.getBean("gtcpHealthContributor", HealthIndicator.class);
                assertThatExceptionOfType(IOException.class)
                    .isThrownBy(() -> context.getBean(PoolConnFactory.class).get(refusing));
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(addressDetails(health, refusing)).containsEntry("failedConnects", 1);
            });
        }
    }

    @Test
    void downOnceTheFactoryIsClosed() {
        this.contextRunner.run((context) -> {
            HealthIndicator indicator = context.getBean("gtcpHealthContributor", HealthIndicator.class);
            context.getBean(PoolConnFactory.class).close();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("closed", true);
        });
    }

    @Test
    void oneEntryPerFactoryBeanWhenThereAreSeveral() {
        this.contextRunner.withUserConfiguration(TwoFactoriesConfiguration.class).run((context) -> {
            HealthContributor contributor = context.getBean("gtcpHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
            assertThat(composite.getContributor("ordersPool")).isInstanceOf(GtcpPoolHealthIndicator.class);
            assertThat(composite.getContributor("billingPool")).isInstanceOf(GtcpPoolHealthIndicator.class);
        });
    }

    @Test
    void disabledWithManagementHealthGtcpEnabledFalse() {
        this.contextRunner.withPropertyValues("management.health.gtcp.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(PoolConnFactory.class)
                .doesNotHaveBean("gtcpHealthContributor"));
    }

    @Test
    void absentWithoutSpringBootsHealthModule() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
            .run((context) -> assertThat(context).hasSingleBean(PoolConnFactory.class)
                .doesNotHaveBean("gtcpHealthContributor"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> addressDetails(Health health, String address) {
        Map<String, Object> addresses = (Map<String, Object>) health.getDetails().get("addresses");
        assertThat(addresses).containsKey(address);
        return (Map<String, Object>) addresses.get(address);
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoFactoriesConfiguration {

        @Bean
        PoolConnFactory ordersPool() {
            return PoolConnFactory.builder().name("orders").build();
        }

        @Bean
        PoolConnFactory billingPool() {
            return PoolConnFactory.builder().name("billing").build();
        }
    }
}
