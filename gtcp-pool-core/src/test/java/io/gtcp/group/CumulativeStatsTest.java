package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolStats;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md: "stats() is cumulative for the factory's life (created, closed, acquireTimeouts keep the counts of
 * drained endpoints), and a connection borrowed from a drained endpoint counts as active until it is returned."
 */
@Timeout(value = 30, unit = SECONDS)
class CumulativeStatsTest {

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aDrainedEndpointsCountsStayAndItsBorrowedConnectionStaysActive() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicReference<List<String>> registry = new AtomicReference<>(List.of(servers.address(0), servers.address(1)));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().endpointSource(registry::get)
                .refreshEvery(Duration.ofMillis(20)).loadBalancing(LoadBalancing.ROUND_ROBIN).build());
        List<PoolConn> borrowed = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // in turn: two connections to each
            borrowed.add(pool.get());
        }
        PoolConn held = borrowed.stream().filter(c -> c.address().equals(servers.address(1))).findFirst()
                .orElseThrow();
        borrowed.stream().filter(c -> c != held).forEach(PoolConn::close);
        assertThat(pool.stats()).extracting(PoolStats::created, PoolStats::active, PoolStats::idle)
                .containsExactly(4L, 1, 3);

        registry.set(List.of(servers.address(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.endpoints().stream().map(EndpointStatus::address)
                .toList().equals(List.of(servers.address(0))));

        assertThat(pool.stats()).as("after the drain: the idle one to it closed, the held one still out")
                .extracting(PoolStats::created, PoolStats::closed, PoolStats::active, PoolStats::idle,
                        PoolStats::total)
                .containsExactly(4L, 1L, 1, 2, 3);

        held.close();

        assertThat(pool.stats()).as("returned to a drained pool: closed")
                .extracting(PoolStats::created, PoolStats::closed, PoolStats::active, PoolStats::idle)
                .containsExactly(4L, 2L, 0, 2);
    }
}
