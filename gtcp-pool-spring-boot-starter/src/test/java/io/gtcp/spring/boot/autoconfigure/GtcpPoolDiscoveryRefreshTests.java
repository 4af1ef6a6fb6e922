package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery that follows the registry: a group refreshes at once on Spring Cloud's {@code HeartbeatEvent} (with
 * {@code refresh-every} at an hour), polls the registry until the first such event, and takes an instance's gtcp
 * port from its metadata ({@code port-metadata-key}) when present.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolDiscoveryRefreshTests {

    private final Registry registry = new Registry();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpPoolAutoConfiguration.class))
        .withBean(DiscoveryClient.class, () -> this.registry)
        .withPropertyValues("gtcp.pool.discovery.service-id=orders", "gtcp.pool.refresh-every=1h");

    @Test
    void aHeartbeatEventRefreshesTheGroupAtOnce() {
        this.registry.add("127.0.0.1", 9001, Map.of());
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.poll-until-heartbeat=0").run((context) -> {
            PoolConnFactory pool = context.getBean(PoolConnFactory.class);
            assertThat(addresses(pool)).containsExactly("127.0.0.1:9001");
            int polls = this.registry.calls.get();

            this.registry.add("127.0.0.2", 9001, Map.of());
            context.publishEvent(new HeartbeatEvent(this, 1L));

            await().atMost(Duration.ofSeconds(10))
                .until(() -> addresses(pool).equals(List.of("127.0.0.1:9001", "127.0.0.2:9001")));
            this.registry.instances.remove(0);
            context.publishEvent(new HeartbeatEvent(this, 2L));
            await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(List.of("127.0.0.2:9001")));
            assertThat(this.registry.calls.get() - polls).isEqualTo(2); // one poll per event, none in between
        });
    }

    @Test
    void aGroupPollsTheRegistryUntilItsFirstHeartbeatEvent() {
        this.registry.add("127.0.0.1", 9001, Map.of());
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.poll-until-heartbeat=50ms").run((context) -> {
            PoolConnFactory pool = context.getBean(PoolConnFactory.class);
            GtcpDiscoveryGroups groups = context.getBean(GtcpDiscoveryGroups.class);
            assertThat(groups.followsEvents()).isFalse();

            this.registry.add("127.0.0.2", 9001, Map.of()); // no event: a registry that tells nothing
            await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).size() == 2);

            context.publishEvent(new HeartbeatEvent(this, 1L));
            assertThat(groups.followsEvents()).isTrue();
            this.registry.instances.remove(0);
            context.publishEvent(new HeartbeatEvent(this, 2L));
            await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(List.of("127.0.0.2:9001")));
        });
    }

    @Test
    void namedPoolsFollowTheRegistryToo() {
        this.contextRunner.withPropertyValues("gtcp.pools.billing.discovery.service-id=orders",
                "gtcp.pool.discovery.poll-until-heartbeat=0").run((context) -> {
                    PoolConnFactory billing = context.getBean("billingPoolConnFactory", PoolConnFactory.class);
                    assertThat(addresses(billing)).isEmpty();
                    this.registry.add("127.0.0.3", 9001, Map.of());
                    context.publishEvent(new HeartbeatEvent(this, 1L));
                    await().atMost(Duration.ofSeconds(10))
                        .until(() -> addresses(billing).equals(List.of("127.0.0.3:9001")));
                });
    }

    @Test
    void anInstancesGtcpPortComesFromItsMetadataWhenPresent() {
        this.registry.add("127.0.0.1", 8080, Map.of("gtcp-port", "9100"));
        this.registry.add("127.0.0.2", 9001, Map.of("zone", "a"));
        this.contextRunner.run((context) -> assertThat(addresses(context.getBean(PoolConnFactory.class)))
            .containsExactly("127.0.0.1:9100", "127.0.0.2:9001"));
    }

    @Test
    void thePortMetadataKeyCanBeAnotherOrNone() {
        this.registry.add("127.0.0.1", 8080, Map.of("gtcp-port", "9100", "tcp", "9200"));
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.port-metadata-key=tcp")
            .run((context) -> assertThat(addresses(context.getBean(PoolConnFactory.class)))
                .containsExactly("127.0.0.1:9200"));
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.port-metadata-key=")
            .run((context) -> assertThat(addresses(context.getBean(PoolConnFactory.class)))
                .containsExactly("127.0.0.1:8080"));
    }

    @Test
    void aNegativePollFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.poll-until-heartbeat=-1s")
            .run((context) -> assertThat(GtcpPoolAutoConfigurationTests.invalidProperty(context.getStartupFailure())
                .getProperty()).isEqualTo("gtcp.pool.discovery.poll-until-heartbeat"));
    }

    private static List<String> addresses(PoolConnFactory pool) {
        return pool.endpoints().stream().map(EndpointStatus::address).toList();
    }

    /** A registry the test changes at will, counting the lookups of the service. */
    static final class Registry implements DiscoveryClient {

        final List<ServiceInstance> instances = new CopyOnWriteArrayList<>();

        final AtomicInteger calls = new AtomicInteger();

        void add(String host, int port, Map<String, String> metadata) {
            this.instances.add(new DefaultServiceInstance(host + ":" + port, "orders", host, port, false, metadata));
        }

        @Override
        public String description() {
            return "test registry";
        }

        @Override
        public List<ServiceInstance> getInstances(String serviceId) {
            this.calls.incrementAndGet();
            return "orders".equals(serviceId) ? List.copyOf(this.instances) : List.of();
        }

        @Override
        public List<String> getServices() {
            return List.of("orders");
        }
    }
}
