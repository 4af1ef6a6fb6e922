package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.AcquireTimeoutException;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class, GtcpPoolMetricsAutoConfiguration.class));

    private EchoServer server;

    @BeforeEach
    void startServer() {
        this.server = EchoServer.plain();
    }

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void gaugesFollowConnectionsHeldAndReturned() {
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.max-size=5")
            .run((context) -> {
                assertThat(context).hasSingleBean(GtcpPoolMeterBinder.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                assertThat(gauge(registry, GtcpPoolMetrics.MAX)).isEqualTo(5);
                assertThat(gauge(registry, GtcpPoolMetrics.TOTAL)).isZero();

                PoolConn first = factory.get();
                PoolConn second = factory.get();
                assertThat(gauge(registry, GtcpPoolMetrics.ACTIVE)).isEqualTo(2);
                assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isZero();
                assertThat(gauge(registry, GtcpPoolMetrics.TOTAL)).isEqualTo(2);

                first.close();
                assertThat(gauge(registry, GtcpPoolMetrics.ACTIVE)).isEqualTo(1);
                assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isEqualTo(1);

                second.close();
                assertThat(gauge(registry, GtcpPoolMetrics.ACTIVE)).isZero();
                assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isEqualTo(2);
                assertThat(gauge(registry, GtcpPoolMetrics.TOTAL)).isEqualTo(2);
                assertThat(gauge(registry, GtcpPoolMetrics.PENDING)).isZero();

                assertThat(timerCount(registry, GtcpPoolMetrics.ACQUIRE)).isEqualTo(2);
                assertThat(timerCount(registry, GtcpPoolMetrics.CREATION)).isEqualTo(2);
                assertThat(timerCount(registry, GtcpPoolMetrics.USAGE)).isEqualTo(2);

                factory.get().close();
                assertThat(timerCount(registry, GtcpPoolMetrics.ACQUIRE)).isEqualTo(3);
                assertThat(timerCount(registry, GtcpPoolMetrics.CREATION)).as("a pooled connection was reused")
                    .isEqualTo(2);
                assertThat(timerCount(registry, GtcpPoolMetrics.USAGE)).isEqualTo(3);
            });
    }

    @Test
    void pendingGaugeCountsABorrowerWaitingForAFreeConnection() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.max-size=1",
                    "gtcp.pool.acquire-timeout=30s")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                PoolConn held = factory.get();
                CompletableFuture<PoolConn> waiter = CompletableFuture.supplyAsync(() -> borrow(factory));
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(gauge(registry, GtcpPoolMetrics.PENDING)).isEqualTo(1));
                held.close();
                waiter.get(10, TimeUnit.SECONDS).close();
                assertThat(gauge(registry, GtcpPoolMetrics.PENDING)).isZero();
                assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isEqualTo(1);
            });
    }

    @Test
    void acquireTimeoutIsCounted() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.max-size=1",
                    "gtcp.pool.acquire-timeout=100ms")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                PoolConn held = factory.get();
                assertThatExceptionOfType(AcquireTimeoutException.class).isThrownBy(factory::get);
                held.close();
                assertThat(search(registry, GtcpPoolMetrics.TIMEOUT).counter().count()).isEqualTo(1);
            });
    }

    @Test
    void closedConnectionsAreCountedByReason() throws IOException {
        try (TcpServer hangUp = new TcpServer("127.0.0.1:0", (conn) -> conn.close()).start()) {
            String address = "127.0.0.1:" + hangUp.port();
            this.contextRunner.withPropertyValues("gtcp.pool.address=" + address).run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                    assertThatExceptionOfType(IOException.class).isThrownBy(conn::recvPkg);
                }
                assertThat(registry.get(GtcpPoolMetrics.CLOSED).tag("reason", "broken").counter().count())
                    .isEqualTo(1);
                assertThat(registry.get(GtcpPoolMetrics.CLOSED).tag("reason", "idle_expired").counter().count())
                    .isZero();
                assertThat(registry.get(GtcpPoolMetrics.CLOSED).tag("address", address).counters())
                    .hasSize(io.gtcp.CloseReason.values().length);
            });
        }
    }

    @Test
    void metersOfAnAddressGoAwayWithItsPool() {
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + this.server.address()).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            PoolConn held = factory.get();
            assertThat(registry.find(GtcpPoolMetrics.IDLE).gauges()).hasSize(1);
            factory.close();
            assertThat(registry.find(GtcpPoolMetrics.IDLE).gauges()).isEmpty();
            assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("gtcp.pool"));
            held.close();
            assertThat(registry.getMeters()).as("a connection returned after the close brings no meter back")
                .noneMatch((meter) -> meter.getId().getName().startsWith("gtcp.pool"));
        });
    }

    @Test
    void aLeakIsCounted() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.server.address(),
                    "gtcp.pool.leak-detection-threshold=100ms")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                PoolConn held = context.getBean(PoolConnFactory.class).get();
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(search(registry, GtcpPoolMetrics.LEAKED).counter().count())
                        .isEqualTo(1));
                held.close();
            });
    }

    @Test
    void metersFollowAnAddressForgottenAfterItsIdleTtlAndUsedAgain() {
        this.contextRunner.withPropertyValues("gtcp.pool.ttl=200ms").run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            factory.get(this.server.address()).close();
            assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(registry.find(GtcpPoolMetrics.IDLE).gauges()).isEmpty());
            assertThat(factory.addresses()).doesNotContain(this.server.address());
            factory.get(this.server.address()).close();
            assertThat(gauge(registry, GtcpPoolMetrics.IDLE)).isEqualTo(1);
            assertThat(timerCount(registry, GtcpPoolMetrics.ACQUIRE)).as("a new pool, new meters").isEqualTo(1);
        });
    }

    @Test
    void everyAddressOfAUserDefinedFactoryIsMeasured() {
        try (EchoServer other = EchoServer.plain()) {
            this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class).run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                PoolConn one = factory.get(this.server.address());
                PoolConn two = factory.get(other.address());
                assertThat(registry.get(GtcpPoolMetrics.ACTIVE).tag("pool", "mine")
                    .tag("address", this.server.address()).gauge().value()).isEqualTo(1);
                assertThat(registry.get(GtcpPoolMetrics.ACTIVE).tag("pool", "mine")
                    .tag("address", other.address()).gauge().value()).isEqualTo(1);
                one.close();
                two.close();
                assertThat(registry.get(GtcpPoolMetrics.IDLE).tag("pool", "mine").gauges()).hasSize(2)
                    .allMatch((gauge) -> gauge.value() == 1);
            });
        }
    }

    @Test
    void eachNamedPoolIsMeasuredUnderItsName() {
        try (EchoServer other = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + this.server.address(),
                        "gtcp.pools.orders.address=" + other.address(), "gtcp.pools.orders.min-idle=1")
                .run((context) -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    try (PoolConn held = context.getBean("ordersPoolConnFactory", PoolConnFactory.class).get()) {
                        assertThat(registry.get(GtcpPoolMetrics.ACTIVE).tag("pool", "orders")
                            .tag("address", held.address()).gauge().value()).isEqualTo(1);
                    }
                    assertThat(registry.get(GtcpPoolMetrics.MIN).tag("pool", "orders").gauge().value()).isEqualTo(1);
                    assertThat(registry.get(GtcpPoolMetrics.MIN).tag("pool", "default").gauge().value()).isZero();
                });
        }
    }

    @Test
    void noMetricsWithoutMicrometer() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .withPropertyValues("gtcp.pool.address=" + this.server.address())
            .run((context) -> {
                assertThat(context).hasSingleBean(PoolConnFactory.class);
                assertThat(context).doesNotHaveBean(GtcpPoolMeterBinder.class);
            });
    }

    @Test
    void noMetricsWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(GtcpPoolAutoConfiguration.class, GtcpPoolMetricsAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).hasSingleBean(PoolConnFactory.class);
                assertThat(context).doesNotHaveBean(GtcpPoolMeterBinder.class);
            });
    }

    private double gauge(MeterRegistry registry, String name) {
        return search(registry, name).gauge().value();
    }

    private long timerCount(MeterRegistry registry, String name) {
        return search(registry, name).timer().count();
    }

    private Search search(MeterRegistry registry, String name) {
        Search search = registry.find(name).tag("pool", "default").tag("address", this.server.address());
        assertThat(search.meters()).as(name).hasSize(1);
        return search;
    }

    private static PoolConn borrow(PoolConnFactory factory) {
        try {
            return factory.get();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFactoryConfiguration {

        @Bean
        PoolConnFactory userFactory() {
            return PoolConnFactory.builder().name("mine").build();
        }
    }
}
