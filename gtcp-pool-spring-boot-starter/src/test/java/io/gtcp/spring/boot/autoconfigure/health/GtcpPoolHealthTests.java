package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.Gtcp;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health of pools as the actuator's health endpoint shows it, against real servers on loopback that stop and
 * come back while nobody uses the pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolHealthTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class, GtcpPoolHealthContributorAutoConfiguration.class))
        .withPropertyValues("management.endpoint.health.show-details=always");

    @Test
    void downWithinSecondsOfAnOutageWithoutTrafficAndUpWithinSecondsOfTheReturn() {
        EchoServer server = EchoServer.plain();
        int port = server.port();
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + server.address()).run((context) -> {
            try {
                assertThat(gtcp(context).getStatus()).isEqualTo(Status.UP);
                server.close();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(
                        () -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.DOWN));
                Map<String, Object> endpoint = endpoint(context, "127.0.0.1:" + port);
                assertThat(endpoint).containsEntry("status", "DOWN").containsKey("error");
                try (EchoServer back = EchoServer.plainOn(port)) {
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(
                            () -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.UP));
                    assertThat(endpoint(context, back.address())).containsEntry("status", "UP")
                        .doesNotContainKey("error");
                }
            }
            finally {
                server.close();
            }
        });
    }

    @Test
    void idleConnectionsNobodyChecksDoNotKeepAPoolUpThroughAnOutage() throws IOException {
        EchoServer server = EchoServer.plain();
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + server.address(),
                "gtcp.pool.validate-on-borrow=false").run((context) -> {
            try {
                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                try (PoolConn conn = factory.get()) {
                    conn.sendRecvPkg(new byte[] { 1 });
                }
                assertThat(factory.stats().idle()).isEqualTo(1);
                assertThat(gtcp(context).getStatus()).isEqualTo(Status.UP);
                server.close();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(
                        () -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.DOWN));
            }
            finally {
                server.close();
            }
        });
    }

    @Test
    void anExhaustedPoolIsReportedAtOnceWithoutBorrowing() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.max-size=1",
                        "gtcp.pool.acquire-timeout=30s")
                .run((context) -> {
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    PoolConn held = factory.get();
                    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> borrowAndReturn(factory));
                    await().atMost(Duration.ofSeconds(10)).until(() -> factory.stats().pending() == 1);
                    long started = System.nanoTime();
                    IndicatedHealthDescriptor health = gtcp(context);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait behind the borrower")
                        .isLessThan(Duration.ofSeconds(5));
                    assertThat(health.getStatus()).as("the server is there, the pool is busy").isEqualTo(Status.UP);
                    assertThat(endpoint(context, server.address())).containsEntry("exhausted", true)
                        .containsEntry("pending", 1)
                        .containsEntry("active", 1);
                    held.close();
                    waiter.get(10, TimeUnit.SECONDS);
                });
        }
    }

    @Test
    void eachNamedPoolIsAComponentWithItsEndpoints() throws IOException {
        String refusing = "127.0.0.1:" + Gtcp.freePort();
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pools.orders.address=" + refusing)
                .run((context) -> {
                    HealthDescriptor gtcp = context.getBean(HealthEndpoint.class).healthForPath("gtcp");
                    assertThat(gtcp).isInstanceOf(CompositeHealthDescriptor.class);
                    Map<String, HealthDescriptor> pools = ((CompositeHealthDescriptor) gtcp).getComponents();
                    assertThat(pools).containsOnlyKeys("gtcpPoolConnFactory", "ordersPoolConnFactory");
                    IndicatedHealthDescriptor orders = (IndicatedHealthDescriptor) pools.get("ordersPoolConnFactory");
                    assertThat(orders.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(orders.getDetails()).containsEntry("pool", "orders");
                    assertThat(pools.get("gtcpPoolConnFactory").getStatus()).isEqualTo(Status.UP);
                    assertThat(gtcp.getStatus()).as("one pool is down").isEqualTo(Status.DOWN);
                });
        }
    }

    @Test
    void aPoolWithoutEndpointsIsUnknown() {
        this.contextRunner.run((context) -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.UNKNOWN));
    }

    @Test
    void aProbeTellsWhichEndpointsAcceptAndWhyTheOthersDoNot() throws IOException {
        String refusing = "127.0.0.1:" + Gtcp.freePort();
        try (EchoServer server = EchoServer.plain();
                PoolConnFactory factory = PoolConnFactory.builder().addresses(server.address(), refusing).build()) {
            Map<String, IOException> outcome = EndpointProbe.probe(factory,
                    List.of(server.address(), refusing, refusing), Duration.ofSeconds(2));
            assertThat(outcome).containsOnlyKeys(server.address(), refusing);
            assertThat(outcome.get(server.address())).isNull();
            assertThat(outcome.get(refusing)).isInstanceOf(ConnectException.class);
        }
    }

    static IndicatedHealthDescriptor gtcp(AssertableApplicationContext context) {
        return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("gtcp");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> endpoint(AssertableApplicationContext context, String address) {
        Map<String, Object> endpoints = (Map<String, Object>) gtcp(context).getDetails().get("endpoints");
        assertThat(endpoints).containsKey(address);
        return (Map<String, Object>) endpoints.get(address);
    }

    private static void borrowAndReturn(PoolConnFactory factory) {
        try {
            factory.get().close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
