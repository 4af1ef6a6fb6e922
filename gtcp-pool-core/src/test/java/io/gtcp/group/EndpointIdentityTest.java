package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md, "Endpoints keep their identity": an endpoint made from a host name is its {@code ip:port} whatever the
 * number of addresses in the answer, so an address that stays in the answer keeps its connections, its stats and
 * its meters when the answer shrinks to it or grows around it.
 */
@Timeout(value = 30, unit = SECONDS)
class EndpointIdentityTest {

    static final Duration OFTEN = Duration.ofMillis(20);

    @AutoClose
    final Closer closer = new Closer();
    final GroupEvents events = new GroupEvents();

    @Test
    void anAddressThatStaysWhenTheAnswerShrinksToItKeepsItsConnections() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>(Map.of("svc.test",
                List.of(servers.ip(1), servers.ip(2))));
        PoolConnFactory pool = group(servers, dns);
        Calls.call(pool);
        Calls.call(pool); // round robin: one connection to each, idle now
        assertThat(pool.stats(servers.address(2)).created()).isEqualTo(1);

        dns.put("svc.test", List.of(servers.ip(2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(List.of(servers.address(2))));
        assertThat(events.removed).containsExactly(servers.address(1));
        assertThat(Calls.call(pool)).isEqualTo(servers.address(2));
        assertThat(pool.stats(servers.address(2))).as("the same pool, its connection reused")
                .satisfies(s -> assertThat(s.created()).isEqualTo(1), s -> assertThat(s.closed()).isZero());
        assertThat(servers.connections(2)).isEqualTo(1);
    }

    @Test
    void aOneAddressAnswerIsNamedByItsIpAndKeepsItWhenTheAnswerGrows() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>(Map.of("svc.test", List.of(servers.ip(2))));
        PoolConnFactory pool = group(servers, dns);

        assertThat(addresses(pool)).containsExactly(servers.address(2));
        assertThat(Calls.call(pool)).isEqualTo(servers.address(2));

        dns.put("svc.test", List.of(servers.ip(1), servers.ip(2)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> addresses(pool).equals(List.of(servers.address(1), servers.address(2))));
        assertThat(events.removed).as("nothing drained").isEmpty();
        assertThat(pool.stats(servers.address(2)))
                .satisfies(s -> assertThat(s.created()).isEqualTo(1), s -> assertThat(s.idle()).isEqualTo(1),
                        s -> assertThat(s.closed()).isZero());
    }

    private PoolConnFactory group(ThreeServers servers, Map<String, List<InetAddress>> dns) {
        return closer.using(PoolConnFactory.builder().addresses("svc.test:" + servers.port())
                .resolver(EndpointGroupTest.resolver(dns)).refreshEvery(OFTEN)
                .loadBalancing(LoadBalancing.ROUND_ROBIN).listener(events).build());
    }

    private static List<String> addresses(PoolConnFactory pool) {
        return pool.endpoints().stream().map(EndpointStatus::address).toList();
    }
}
