package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.Gtcp;
import io.gtcp.spring.boot.autoconfigure.health.GtcpPoolHealthContributorAutoConfiguration;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpPoolMetrics;
import io.gtcp.spring.boot.autoconfigure.metrics.GtcpPoolMetricsAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The starter over true endpoint groups, with real servers on 127.0.0.1/.2: balancing and failover from
 * properties, discovery polled into the group, ejection seen in meters and health, an outage seen without traffic.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolGroupsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                HealthEndpointAutoConfiguration.class, UtilAutoConfiguration.class,
                SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class, GtcpPoolMetricsAutoConfiguration.class,
                GtcpPoolHealthContributorAutoConfiguration.class))
        .withPropertyValues("management.endpoint.health.show-details=always");

    @Test
    void roundRobinFromPropertiesTakesTheServersInTurn() {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.addresses=" + one.address() + "," + two.address(),
                        "gtcp.pool.load-balancing=round-robin")
                .run((context) -> {
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    assertThat(factory.endpoints()).extracting(EndpointStatus::address)
                        .containsExactly(one.address(), two.address());
                    List<Integer> ports = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        try (PoolConn conn = factory.get()) {
                            ports.add(conn.remoteAddress().getPort());
                        }
                    }
                    assertThat(ports).containsExactly(ports.get(0), ports.get(1), ports.get(0), ports.get(1));
                    assertThat(Set.copyOf(ports)).containsExactlyInAnyOrder(one.port(), two.port());
                });
        }
    }

    @Test
    void failoverFromPropertiesUsesTheFirstServerWhileItServes() {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pools.orders.addresses=" + one.address() + "," + two.address(),
                        "gtcp.pools.orders.load-balancing=failover")
                .run((context) -> {
                    PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                    for (int i = 0; i < 3; i++) {
                        try (PoolConn held = orders.get()) {
                            assertThat(held.remoteAddress().getPort()).isEqualTo(one.port());
                        }
                    }
                });
        }
    }

    @Test
    void theInstancesOfADiscoveredServiceAreTheGroup() {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("spring.cloud.discovery.client.simple.instances.orders[0].uri=tcp://" + one.address(),
                        "spring.cloud.discovery.client.simple.instances.orders[1].uri=tcp://" + two.address(),
                        "gtcp.pools.orders.discovery.service-id=orders")
                .run((context) -> {
                    PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(orders.endpoints())
                        .extracting(EndpointStatus::address)
                        .containsExactlyInAnyOrder(one.address(), two.address()));
                    Set<Integer> ports = new HashSet<>();
                    for (int i = 0; i < 20 && ports.size() < 2; i++) {
                        PoolConn a = orders.get();
                        PoolConn b = orders.get();
                        ports.add(a.remoteAddress().getPort());
                        ports.add(b.remoteAddress().getPort());
                        a.close();
                        b.close();
                    }
                    assertThat(ports).containsExactlyInAnyOrder(one.port(), two.port());
                });
        }
    }

    @Test
    void anInstanceThatLeavesTheServiceLeavesTheGroupWithItsMeters() throws IOException {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("spring.cloud.discovery.client.simple.instances.orders[0].uri=tcp://" + one.address(),
                        "spring.cloud.discovery.client.simple.instances.orders[1].uri=tcp://" + two.address(),
                        "gtcp.pools.orders.discovery.service-id=orders", "gtcp.pools.orders.refresh-every=200ms")
                .run((context) -> {
                    PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> orders.endpoints().size() == 2);
                    for (int i = 0; i < 4; i++) {
                        try (PoolConn conn = orders.get()) {
                            conn.sendRecvPkg(new byte[] { 1 });
                        }
                    }
                    await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(GtcpPoolMetrics.IDLE)
                        .tag("pool", "orders").tag("address", two.address()).gauge() != null);
                    context.getBean(SimpleDiscoveryProperties.class).getInstances().get("orders").remove(1);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(orders.endpoints())
                        .extracting(EndpointStatus::address)
                        .containsExactly(one.address()));
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            registry.find(GtcpPoolMetrics.IDLE).tag("address", two.address()).meters())
                        .as("the drained endpoint's meters").isEmpty());
                    assertThat(registry.find(GtcpPoolMetrics.IDLE).tag("address", one.address()).gauge()).isNotNull();
                    IndicatedHealthDescriptor health = (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class)
                        .healthForPath("gtcp", "ordersPoolConnFactory");
                    assertThat(health.getDetails().get("endpoints").toString()).doesNotContain(two.address());
                });
        }
    }

    @Test
    void anEjectedEndpointIsCountedAndShownDownWhileThePoolStaysUp() throws IOException {
        String dead = "127.0.0.1:" + Gtcp.freePort();
        try (EchoServer live = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.addresses=" + dead + "," + live.address(),
                        "gtcp.pool.load-balancing=failover", "gtcp.pool.outlier-ejection.consecutive-failures=1",
                        "gtcp.pool.outlier-ejection.base-ejection-time=30s")
                .run((context) -> {
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    try (PoolConn conn = factory.get()) {
                        assertThat(conn.remoteAddress().getPort()).as("failover inside get()").isEqualTo(live.port());
                    }
                    assertThat(factory.endpoints()).filteredOn((e) -> e.address().equals(dead))
                        .singleElement()
                        .satisfies((e) -> assertThat(e.ejected()).isTrue());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(GtcpPoolMetrics.EJECTIONS).tag("pool", "default").tag("address", dead)
                        .counter().count()).isEqualTo(1);
                    IndicatedHealthDescriptor health = gtcp(context);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(endpoint(health, dead)).containsEntry("ejected", true).containsEntry("status", "DOWN");
                    assertThat(endpoint(health, live.address())).containsEntry("status", "UP");
                });
        }
    }

    @Test
    void downWithinSecondsOfAnOutageAfterTrafficLeftIdleConnections() {
        EchoServer server = EchoServer.plain();
        int port = server.port();
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + server.address(), "gtcp.pool.min-idle=2")
            .run((context) -> {
                try {
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    factory.get().close();
                    await().atMost(Duration.ofSeconds(10)).until(() -> factory.stats().idle() == 2);
                    assertThat(gtcp(context).getStatus()).isEqualTo(Status.UP);
                    server.close();
                    await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.DOWN));
                    try (EchoServer back = EchoServer.plainOn(port)) {
                        await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(gtcp(context).getStatus()).isEqualTo(Status.UP));
                    }
                }
                finally {
                    server.close();
                }
            });
    }

    @Test
    void anEmptyDiscoveredGroupFailsGetNamingTheGroup() {
        this.contextRunner.withPropertyValues("gtcp.pools.orders.discovery.service-id=nobody").run((context) -> {
            PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
            assertThatExceptionOfType(IOException.class).isThrownBy(orders::get).withMessageContaining("orders");
        });
    }

    @Test
    void aDiscoveredServiceWithoutInstancesIsDownNotUnknown() {
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.service-id=nobody").run((context) -> {
            assertThat(context.getBean(PoolConnFactory.class).endpoints()).isEmpty();
            assertThat(gtcp(context).getStatus()).as("get() cannot serve: the pool is down").isEqualTo(Status.DOWN);
        });
    }

    private static IndicatedHealthDescriptor gtcp(AssertableApplicationContext context) {
        return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("gtcp");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(IndicatedHealthDescriptor health, String address) {
        Map<String, Object> endpoints = (Map<String, Object>) health.getDetails().get("endpoints");
        assertThat(endpoints).containsKey(address);
        return (Map<String, Object>) endpoints.get(address);
    }
}
