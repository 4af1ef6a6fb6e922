package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointSource;
import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The group follows its names and its source: new endpoints join, gone ones are drained, failures keep the list. */
@Timeout(value = 30, unit = SECONDS)
class RefreshTest {

    static final Duration OFTEN = Duration.ofMillis(20);

    @AutoClose
    final Closer closer = new Closer();
    final GroupEvents events = new GroupEvents();

    @Test
    void reResolutionAddsNewAddressesAndDrainsRemovedOnes() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>(Map.of("svc.test", List.of(servers.ip(0),
                servers.ip(1))));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses("svc.test:" + servers.port())
                .resolver(EndpointGroupTest.resolver(dns)).refreshEvery(OFTEN)
                .loadBalancing(LoadBalancing.ROUND_ROBIN).listener(events).build());
        List<PoolConn> borrowed = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // in turn: two connections to each
            borrowed.add(pool.get());
        }
        PoolConn held = borrowed.stream().filter(c -> c.address().equals(servers.address(1))).findFirst().orElseThrow();
        borrowed.stream().filter(c -> c != held).forEach(PoolConn::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.connections(1) == 2); // one idle, one held

        dns.put("svc.test", List.of(servers.ip(0), servers.ip(2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.endpoints().stream().map(EndpointStatus::address)
                .toList().equals(List.of(servers.address(0), servers.address(2))));
        assertThat(events.added).contains(servers.address(2));
        assertThat(events.removed).containsExactly(servers.address(1)); // its meters go
        assertThat(pool.stats(servers.address(1)).total()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.connections(1) == 1); // idle: closed at once
        assertThat(new String(held.sendRecvPkg("still mine".getBytes()))).isEqualTo("> still mine");
        held.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.connections(1) == 0); // borrowed: on return
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.call(pool)).isNotEqualTo(servers.address(1));
        }
        assertThat(servers.served(2)).isEqualTo(5);
    }

    @Test
    void aFailedResolutionKeepsThePreviousEndpoints() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicInteger lookups = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses("svc.test:" + servers.port())
                .resolver(host -> {
                    if (lookups.incrementAndGet() > 1) {
                        throw new UnknownHostException(host + ": the name service is down");
                    }
                    return List.of(servers.ip(0), servers.ip(1));
                }).refreshEvery(OFTEN).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> lookups.get() >= 5);

        assertThat(pool.endpoints()).extracting(EndpointStatus::address)
                .containsExactly(servers.address(0), servers.address(1));
        Calls.call(pool);
    }

    @Test
    void anEndpointSourceIsPolledAndItsChangesJoinAndLeave() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicReference<List<String>> registry = new AtomicReference<>(List.of(servers.address(0)));
        AtomicInteger polls = new AtomicInteger();
        EndpointSource source = () -> {
            polls.incrementAndGet();
            List<String> now = registry.get();
            if (now == null) {
                throw new IOException("the registry is down");
            }
            return now;
        };
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().endpointSource(source).refreshEvery(OFTEN)
                .listener(events).build());
        assertThat(Calls.call(pool)).isEqualTo(servers.address(0));

        registry.set(List.of(servers.address(0), servers.address(1)));
        awaitEndpoints(pool, servers.address(0), servers.address(1));

        registry.set(null);
        int before = polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= before + 3);
        assertThat(addresses(pool)).containsExactly(servers.address(0), servers.address(1));

        registry.set(List.of(servers.address(1), "not an address"));
        awaitEndpoints(pool, servers.address(1));
        assertThat(events.removed).containsExactly(servers.address(0));
        assertThat(Calls.call(pool)).isEqualTo(servers.address(1));
    }

    @Test
    void anEmptyGroupFailsClearlyNamingIt() {
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("orders")
                .endpointSource(List::of).build());

        assertThatThrownBy(pool::get).isInstanceOf(IOException.class)
                .hasMessage("endpoint group 'orders' has no endpoints");
        assertThat(pool.endpoints()).isEmpty();
    }

    @Test
    void aNameThatNeverResolvedMakesGetFailWithTheReason() {
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("billing").addresses("nowhere.test:9000")
                .resolver(host -> {
                    throw new UnknownHostException(host + ": no such host");
                }).build());

        assertThatThrownBy(pool::get).isInstanceOf(IOException.class)
                .hasMessageContaining("endpoint group 'billing' has no endpoints")
                .hasMessageContaining("nowhere.test: no such host")
                .hasCauseInstanceOf(UnknownHostException.class);
    }

    private static void awaitEndpoints(PoolConnFactory pool, String... expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(List.of(expected)));
    }

    private static List<String> addresses(PoolConnFactory pool) {
        return pool.endpoints().stream().map(EndpointStatus::address).toList();
    }
}
