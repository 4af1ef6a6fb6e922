package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where each {@link LoadBalancing} policy sends the traffic of a group of three servers. */
@Timeout(value = 30, unit = SECONDS)
class LoadBalancingTest {

    @AutoClose
    final Closer closer = new Closer();

    private PoolConnFactory group(ThreeServers servers, LoadBalancing policy) {
        return closer.using(PoolConnFactory.builder().name("lb").addresses(servers.addresses())
                .loadBalancing(policy).build());
    }

    @Test
    void leastBusyIsTheDefaultAndSpreadsCallsOverIdleEndpoints() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(servers.addresses()).build());

        for (int i = 0; i < 300; i++) {
            Calls.call(pool);
        }

        // one caller at a time: every endpoint is idle, so each call goes to one of two at random (about 100
        // each; 50 is more than six standard deviations below)
        for (int i = 0; i < 3; i++) {
            assertThat(servers.served(i)).as("calls served by %s", servers.address(i)).isGreaterThan(50);
        }
        assertThat(pool.endpoints()).extracting(s -> s.address()).containsExactlyElementsOf(servers.addresses());
    }

    @Test
    void leastBusySendsClearlyLessToASlowServer() throws Exception {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.slow(2, 50);
        PoolConnFactory pool = group(servers, LoadBalancing.LEAST_BUSY);

        runConcurrently(pool, 8, 100);

        // a slow server's connections stay borrowed longer, so it loses most comparisons: far below the third
        // that an even spread (round robin) would give it
        int total = servers.served(0) + servers.served(1) + servers.served(2);
        assertThat(total).isEqualTo(800);
        assertThat(servers.served(2)).as("calls to the slow server of %s", total).isLessThan(total / 8);
    }

    @Test
    void roundRobinTakesTheEndpointsInTurn() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = group(servers, LoadBalancing.ROUND_ROBIN);

        List<String> used = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            used.add(Calls.call(pool));
        }

        List<String> a = servers.addresses();
        assertThat(used).containsExactly(a.get(0), a.get(1), a.get(2), a.get(0), a.get(1), a.get(2),
                a.get(0), a.get(1), a.get(2));
    }

    @Test
    void roundRobinGivesASlowServerItsThirdAnyway() throws Exception {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.slow(2, 5);
        PoolConnFactory pool = group(servers, LoadBalancing.ROUND_ROBIN);

        runConcurrently(pool, 4, 30);

        assertThat(servers.served(2)).isEqualTo(40); // 120 calls, in turn: the contrast to least busy
    }

    @Test
    void failoverConcentratesOnTheFirstEndpointAndMovesOnOnlyWhileItIsDown() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(servers.addresses())
                .loadBalancing(LoadBalancing.FAILOVER)
                .outlierEjection(new OutlierEjection(2, Duration.ofMillis(200), 50)).build());

        for (int i = 0; i < 20; i++) {
            assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
        }
        servers.stop(0);
        try {
            Calls.call(pool);
        } catch (IOException endOfStream) {
            // the connection idle at the stop can be handed out before its end of stream arrives; its exchange
            // then fails, and that is the caller's to see (only a failed dial moves on to the next endpoint)
        }
        for (int i = 0; i < 20; i++) {
            assertThat(Calls.call(pool)).isEqualTo(servers.address(1)); // the next in list order, never .3
        }
        assertThat(pool.endpoints().get(0).ejected()).isTrue();
        servers.restart(0);

        // back after its ejection: it takes everything again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Calls.call(pool).equals(servers.address(0)));
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
        }
        assertThat(servers.served(2)).isZero();
    }

    /** {@code threads} callers of {@code calls} calls each, all at once; fails if any call fails. */
    private static void runConcurrently(PoolConnFactory pool, int threads, int calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                callers.add(executor.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        Calls.call(pool);
                    }
                    return null;
                }));
            }
            for (Future<?> caller : callers) {
                caller.get(20, SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
