package io.gtcp.registry;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.GtcpDiscoveryGroups;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet of gtcp server applications behind a real registry (Apache ZooKeeper in process, Spring Cloud Zookeeper
 * discovery) and a client application under load: a server that stops gracefully leaves the client's endpoints
 * within seconds although {@code refresh-every} is a minute, with no failed call; a server that joins gets traffic
 * within seconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZooKeeperFleetTests {

    /** What "within a few seconds" means here: the client polls every 2 s until a registry event. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    private TestingServer zookeeper;

    private ConfigurableApplicationContext a;

    private ConfigurableApplicationContext b;

    private final List<ConfigurableApplicationContext> applications = new java.util.ArrayList<>();

    /**
     * ZooKeeper and the fleet's first two server applications, set up under a bound of their own: the first
     * Spring application of a JVM pays for loading its classes, a few seconds on an idle machine, close to a
     * minute on a machine whose two cores are shared by many builds.
     */
    @BeforeEach
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void startZooKeeperAndTwoServers() throws Exception {
        this.zookeeper = new TestingServer(true);
        this.a = start(FleetApplications.server(this.zookeeper, "a", "127.0.0.1"));
        this.b = start(FleetApplications.server(this.zookeeper, "b", "127.0.0.2"));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ConfigurableApplicationContext application : this.applications) {
            application.close();
        }
        this.zookeeper.close();
    }

    @Test
    void aDeployIsInvisibleToTheCallers() throws Exception {
        ConfigurableApplicationContext a = this.a;
        ConfigurableApplicationContext b = this.b;
        // the requests may be sent twice: one that crossed a drained connection's close is sent to another server
        ConfigurableApplicationContext client = start(FleetApplications.client(this.zookeeper,
                "gtcp.pool.idempotent=true"));
        PoolConnFactory pool = client.getBean(PoolConnFactory.class);
        await().atMost(FEW_SECONDS).until(() -> endpoints(pool).size() == 2);
        assertThat(endpoints(pool)).containsExactlyInAnyOrder(address(a, "127.0.0.1"), address(b, "127.0.0.2"));
        assertThat(client.getBean(GtcpDiscoveryGroups.class).followsEvents())
            .as("a client that did not register gets no ZooKeeper events: it polls").isFalse();

        try (Load load = new Load(pool, 2)) {
            await().atMost(FEW_SECONDS).until(() -> load.replies("a") > 20 && load.replies("b") > 20);

            String leaving = address(a, "127.0.0.1");
            a.close(); // graceful: deregisters, drains, stops
            await().atMost(FEW_SECONDS).until(() -> !endpoints(pool).contains(leaving));
            long bBefore = load.replies("b");
            await().atMost(FEW_SECONDS).until(() -> load.replies("b") > bBefore + 20);

            ConfigurableApplicationContext c = start(FleetApplications.server(this.zookeeper, "c", "127.0.0.3"));
            await().atMost(FEW_SECONDS).until(() -> endpoints(pool).contains(address(c, "127.0.0.3")));
            await().atMost(FEW_SECONDS).until(() -> load.replies("c") > 20);

            assertThat(load.failures).as("failed calls while the fleet changed").isEmpty();
        }
    }

    @Test
    void aGtcpOnlyServerRegistersItselfAtItsGtcpPort() throws Exception {
        ConfigurableApplicationContext a = this.a;
        DiscoveryClient discovery = a.getBean(DiscoveryClient.class);
        await().atMost(FEW_SECONDS).until(() -> discovery.getInstances(FleetApplications.SERVICE).size() == 2);
        ServiceInstance instance = discovery.getInstances(FleetApplications.SERVICE).stream()
            .filter((i) -> i.getHost().equals("127.0.0.1")).findFirst().orElseThrow();
        assertThat(instance.getHost()).isEqualTo("127.0.0.1");
        assertThat(instance.getPort()).isEqualTo(a.getBean(TcpServer.class).port());
        assertThat(a.getBean(GtcpDiscoveryGroups.class).followsEvents())
            .as("an application that registered gets ZooKeeper's events").isTrue();
    }

    private ConfigurableApplicationContext start(ConfigurableApplicationContext application) {
        this.applications.add(application);
        return application;
    }

    private static String address(ConfigurableApplicationContext server, String ip) {
        return ip + ":" + server.getBean(TcpServer.class).port();
    }

    private static List<String> endpoints(PoolConnFactory pool) {
        return pool.endpoints().stream().map(EndpointStatus::address).toList();
    }
}
