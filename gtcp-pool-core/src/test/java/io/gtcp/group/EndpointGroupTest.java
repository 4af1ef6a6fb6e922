package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.AddressResolver;
import io.gtcp.EndpointStatus;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolStats;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a group is made of: its endpoints, each with its own pool, and how it lives beside get(address). */
@Timeout(value = 30, unit = SECONDS)
class EndpointGroupTest {

    @AutoClose
    final Closer closer = new Closer();
    final GroupEvents events = new GroupEvents();

    @Test
    void eachEndpointHasAPoolOfItsOwnWithItsLimitsAndStats() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(servers.addresses())
                .maxSize(2).minIdle(1).listener(events).build());

        assertThat(events.added).containsExactlyElementsOf(servers.addresses());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pool.endpoints().stream().allMatch(s -> s.stats().idle() == 1));
        for (String address : servers.addresses()) {
            assertThat(pool.stats(address).idle()).isEqualTo(1);
        }
        assertThat(pool.stats().idle()).as("the factory's stats add up every endpoint").isEqualTo(3);
        for (int i = 0; i < 30; i++) {
            Calls.call(pool);
        }
        assertThat(pool.endpoints()).extracting(EndpointStatus::stats).extracting(PoolStats::total)
                .allSatisfy(total -> assertThat(total).isBetween(1, 2));
    }

    @Test
    void aHostNameStandsForEveryAddressItResolvesTo() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AddressResolver dns = resolver(Map.of("svc.test", List.of(servers.ip(0), servers.ip(1), servers.ip(2))));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses("svc.test:" + servers.port(), servers.address(0)) // the IP again: counted once
                .resolver(dns).build());

        assertThat(pool.endpoints()).extracting(EndpointStatus::address).containsExactlyElementsOf(servers.addresses());
        for (int i = 0; i < 60; i++) {
            Calls.call(pool);
        }
        assertThat(List.of(servers.served(0), servers.served(1), servers.served(2)))
                .allSatisfy(served -> assertThat(served).isPositive());
    }

    @Test
    void aGroupOfOneNameResolvingToOneAddressIsNamedByThatAddress() throws IOException {
        // api.md, "Endpoints keep their identity": an endpoint is its ip:port whatever the answer's size
        ThreeServers servers = closer.using(ThreeServers.plain());
        String name = "svc.test:" + servers.port();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(name)
                .resolver(resolver(Map.of("svc.test", List.of(servers.ip(1))))).build());

        assertThat(Calls.call(pool)).isEqualTo(servers.address(1));

        assertThat(servers.served(1)).isEqualTo(1); // dialled the address the resolver gave
        assertThat(pool.stats(servers.address(1)).idle()).isEqualTo(1);
        assertThat(pool.endpoints()).extracting(EndpointStatus::address).containsExactly(servers.address(1));
        assertThat(pool.address()).as("the configured address stays what was configured").isEqualTo(name);
    }

    @Test
    void getOfAnAddressStaysOutsideTheGroup() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(servers.address(0), servers.address(1)).build());

        try (PoolConn conn = pool.get(servers.address(2))) {
            assertThat(conn.address()).isEqualTo(servers.address(2));
            conn.sendRecvPkg(new byte[] {1});
        }
        for (int i = 0; i < 20; i++) {
            assertThat(Calls.call(pool)).isNotEqualTo(servers.address(2));
        }

        assertThat(pool.endpoints()).hasSize(2);
        assertThat(pool.stats(servers.address(2)).idle()).isEqualTo(1);
        assertThat(pool.stats().total()).isEqualTo(pool.stats(servers.address(0)).total()
                + pool.stats(servers.address(1)).total() + 1);
    }

    @Test
    void theRefreshThreadRunsOnlyWhenThereIsSomethingToRefreshAndEndsWithTheFactory() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory ips = PoolConnFactory.builder().name("ips-only").addresses(servers.addresses())
                .refreshEvery(Duration.ofMillis(20)).build();
        PoolConnFactory named = PoolConnFactory.builder().name("named").addresses("svc.test:" + servers.port())
                .resolver(resolver(Map.of("svc.test", List.of(servers.ip(0)))))
                .refreshEvery(Duration.ofMillis(20)).build();
        try {
            assertThat(threadNames()).doesNotContain("gtcp-pool-refresh-ips-only").contains("gtcp-pool-refresh-named");
        } finally {
            ips.close();
            named.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threadNames().stream()
                .noneMatch(n -> n.equals("gtcp-pool-refresh-named") || n.endsWith("-ips-only")));
    }

    static AddressResolver resolver(Map<String, List<InetAddress>> names) {
        return host -> {
            List<InetAddress> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host + ": not in the test's map");
            }
            return addresses;
        };
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
