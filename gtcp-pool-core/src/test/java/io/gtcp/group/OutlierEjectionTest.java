package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outlier ejection as the contract's decisions say: who is ejected, for how long, how many, and who never. The
 * retry budget is unlimited here, so that every failover dial is made and only ejection is under test.
 */
@Timeout(value = 30, unit = SECONDS)
class OutlierEjectionTest {

    @AutoClose
    final Closer closer = new Closer();
    final GroupEvents events = new GroupEvents();

    private PoolConnFactory group(List<String> addresses, OutlierEjection ejection) {
        return closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).addresses(addresses).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .outlierEjection(ejection).listener(events).build());
    }

    @Test
    void consecutiveFailuresEjectAnEndpointUntilItComesBackByItself() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        PoolConnFactory pool = group(servers.addresses(), new OutlierEjection(3, Duration.ofSeconds(1), 50));

        for (int i = 0; i < 9; i++) { // in turn: the stopped server is chosen three times, and refuses each
            Calls.call(pool);
        }

        assertThat(events.ejected).containsExactly(
                new GroupEvents.Ejection(servers.address(1), Duration.ofSeconds(1)));
        assertThat(pool.endpoints().get(1)).extracting(EndpointStatus::ejected, EndpointStatus::consecutiveFailures)
                .containsExactly(true, 3);
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.call(pool)).isNotEqualTo(servers.address(1));
        }
        assertThat(pool.endpoints().get(1).consecutiveFailures()).as("not even tried while ejected").isEqualTo(3);

        // no traffic: the restore comes from the clock alone
        await().atMost(Duration.ofSeconds(10)).until(() -> events.restored.contains(servers.address(1)));
        assertThat(pool.endpoints().get(1).ejected()).isFalse();
    }

    @Test
    void theEjectionTimeGrowsUpToTenTimesAndStartsOverOnceTheEndpointServes() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        String stopped = servers.address(1);
        PoolConnFactory pool = group(servers.addresses(), new OutlierEjection(2, Duration.ofMillis(50), 50));
        AtomicInteger endsOfStream = new AtomicInteger();

        callUntil(pool, endsOfStream, () -> events.ejectionsOf(stopped).size() == 11);

        List<Duration> expected = new ArrayList<>();
        for (int multiplier = 1; multiplier <= 10; multiplier++) {
            expected.add(Duration.ofMillis(50L * multiplier));
        }
        expected.add(Duration.ofMillis(500)); // at most ten times
        assertThat(events.ejectionsOf(stopped)).containsExactlyElementsOf(expected);
        // two failures for the first ejection, then one each: a returning endpoint that fails once goes again
        assertThat(pool.endpoints().get(1).consecutiveFailures()).isEqualTo(12);

        servers.restart(1);
        callUntil(pool, endsOfStream, () -> servers.served(1) > 0);
        servers.stop(1);
        callUntil(pool, endsOfStream, () -> events.ejectionsOf(stopped).size() == 12);

        assertThat(events.ejectionsOf(stopped).get(11)).as("after serving, the base time again")
                .isEqualTo(Duration.ofMillis(50));
        assertThat(endsOfStream.get()).as("exchanges on the connection idle at the second stop").isLessThanOrEqualTo(1);
    }

    @Test
    void atMostMaxEjectionPercentOfTheGroupIsEjectedAtOnce() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        servers.stop(2);
        PoolConnFactory pool = group(servers.addresses(), new OutlierEjection(2, Duration.ofSeconds(20), 50));

        for (int i = 0; i < 40; i++) {
            assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
        }

        // half of three, rounded down: one; the other failing endpoint stays in rotation (and fails over)
        List<EndpointStatus> status = pool.endpoints();
        assertThat(status).filteredOn(EndpointStatus::ejected).hasSize(1);
        assertThat(status).filteredOn(s -> !s.ejected() && s.consecutiveFailures() >= 2).hasSize(1);
        assertThat(events.ejected).hasSize(1);
    }

    @Test
    void aGroupOfTwoMayEjectOneWhateverThePercent() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        PoolConnFactory pool = group(List.of(servers.address(0), servers.address(1)),
                new OutlierEjection(2, Duration.ofSeconds(20), 10));

        for (int i = 0; i < 10; i++) {
            Calls.call(pool);
        }

        assertThat(pool.endpoints()).extracting(EndpointStatus::ejected).containsExactly(false, true);
    }

    @Test
    void aSingleEndpointGroupIsNeverEjected() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(0);
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).address(servers.address(0))
                .outlierEjection(new OutlierEjection(1, Duration.ofSeconds(20), 100)).listener(events).build());

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(pool::get).isInstanceOf(ConnectException.class);
        }

        assertThat(pool.endpoints()).singleElement()
                .extracting(EndpointStatus::address, EndpointStatus::ejected, EndpointStatus::consecutiveFailures)
                .containsExactly(servers.address(0), false, 5);
        assertThat(events.ejected).isEmpty();
    }

    @Test
    void disabledEjectionNeverEjects() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        PoolConnFactory pool = group(servers.addresses(), OutlierEjection.disabled());

        for (int i = 0; i < 60; i++) {
            Calls.call(pool);
        }

        assertThat(pool.endpoints().get(1)).extracting(EndpointStatus::ejected, EndpointStatus::consecutiveFailures)
                .containsExactly(false, 20);
        assertThat(events.ejected).isEmpty();
    }

    /**
     * Calls until {@code done}, bounded in time. An exchange may fail on the connection that
     * was idle when a server stopped (handed out before its end of stream arrived): those are counted.
     */
    private static void callUntil(PoolConnFactory pool, AtomicInteger endsOfStream,
                                  java.util.concurrent.Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(2)).pollInSameThread().until(() -> {
            try {
                Calls.call(pool);
            } catch (IOException idleAtTheStop) {
                endsOfStream.incrementAndGet();
            }
            return done.call();
        });
    }
}
