package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PendingLimitException;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpClientRetryMetrics;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpPoolMetrics;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpPoolMetricsAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The fleet settings from properties: {@code idempotent}, {@code max-pending} and {@code retry-budget.*}, inherited
 * by named pools, checked with their full path; the {@code gtcp.client.retries} counter and the pending gauge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolFleetPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class, GtcpPoolMetricsAutoConfiguration.class));

    @Test
    void maxPendingFromPropertiesIsInheritedByANamedPool() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.max-size=1",
                        "gtcp.pool.max-pending=0", "gtcp.pools.orders.address=" + server.address())
                .run((context) -> {
                    for (String name : new String[] { "gtcpPoolConnFactory", "ordersPoolConnFactory" }) {
                        PoolConnFactory factory = context.getBean(name, PoolConnFactory.class);
                        try (PoolConn held = factory.get()) {
                            assertThatExceptionOfType(PendingLimitException.class).isThrownBy(factory::get)
                                .satisfies((e) -> assertThat(e.maxPending()).isZero());
                        }
                    }
                });
        }
    }

    @Test
    void theRetryCounterCountsAttemptedAndRefusedAttempts() throws IOException {
        String dead = deadAddress();
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.addresses=" + dead + "," + server.address(),
                        "gtcp.pool.load-balancing=failover", "gtcp.pool.outlier-ejection.consecutive-failures=0",
                        "gtcp.pool.retry-budget.ratio=0", "gtcp.pool.retry-budget.min-per-second=0",
                        "gtcp.pools.orders.addresses=" + dead + "," + server.address(),
                        "gtcp.pools.orders.retry-budget.ratio=1")
                .run((context) -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    PoolConnFactory none = context.getBean("gtcpPoolConnFactory", PoolConnFactory.class);
                    assertThatExceptionOfType(IOException.class).isThrownBy(() -> none.sendRecvPkg(new byte[] { 1 }));
                    assertThat(count(registry, "default", "refused")).isEqualTo(1);
                    assertThat(count(registry, "default", "attempted")).isZero();

                    PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                    assertThat(orders.sendRecvPkg(new byte[] { 7 })).containsExactly(7); // failed over
                    assertThat(count(registry, "orders", "attempted")).isEqualTo(1);
                });
        }
    }

    @Test
    void idempotentBindsForTheDefaultPoolAndIsInheritedByANamedOne() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.idempotent=true",
                        "gtcp.pools.orders.address=" + server.address())
                .run((context) -> {
                    assertThat(context.getBean(GtcpPoolProperties.class).isIdempotent()).isTrue();
                    PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                    assertThat(orders.sendRecvPkg(new byte[] { 3 })).containsExactly(3);
                });
        }
    }

    @Test
    void thePendingGaugeCountsTheCallersWaiting() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.max-size=1")
                .run((context) -> {
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    PoolConn held = factory.get();
                    CompletableFuture<byte[]> waiter = CompletableFuture.supplyAsync(() -> {
                        try {
                            return factory.sendRecvPkg(new byte[] { 9 });
                        }
                        catch (IOException ex) {
                            throw new IllegalStateException(ex);
                        }
                    });
                    await().atMost(Duration.ofSeconds(10))
                        .until(() -> registry.get(GtcpPoolMetrics.PENDING).gauge().value() == 1.0);
                    held.close();
                    assertThat(waiter.get(10, TimeUnit.SECONDS)).containsExactly(9);
                    assertThat(registry.get(GtcpPoolMetrics.PENDING).gauge().value()).isZero();
                });
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidSettings")
    void anInvalidSettingFailsTheStartNamingItsFullPath(String property, String setting, String requirement) {
        this.contextRunner.withPropertyValues("gtcp.pool.address=127.0.0.1:1", property + "=" + setting)
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidGtcpPoolPropertyException failure = GtcpPoolAutoConfigurationTests
                    .invalidProperty(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo(property);
                assertThat(failure.getRequirement()).contains(requirement);
            });
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(Arguments.of("gtcp.pool.max-pending", "-2", "-1 (no limit)"),
                Arguments.of("gtcp.pools.orders.max-pending", "-5", "-1 (no limit)"),
                Arguments.of("gtcp.pool.retry-budget.ratio", "-0.5", "0 or more"),
                Arguments.of("gtcp.pool.retry-budget.min-per-second", "-1", "not be negative"),
                Arguments.of("gtcp.pool.retry-budget.window", "10ms", "between 1s and 1h"),
                Arguments.of("gtcp.pools.orders.retry-budget.window", "2h", "between 1s and 1h"));
    }

    private static double count(MeterRegistry registry, String pool, String outcome) {
        return registry.get(GtcpClientRetryMetrics.RETRIES).tag("pool", pool).tag("outcome", outcome)
            .functionCounter()
            .count();
    }

    private static String deadAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}
