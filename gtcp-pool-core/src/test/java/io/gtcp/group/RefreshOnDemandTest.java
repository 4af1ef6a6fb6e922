package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PoolConnFactory#refreshEndpoints()}: a registry's change event makes the group poll its source at once,
 * long before {@code refreshEvery}; the caller never waits for the poll, and a burst of events costs one poll.
 */
@Timeout(value = 30, unit = SECONDS)
class RefreshOnDemandTest {

    static final Duration RARELY = Duration.ofHours(1);

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aRefreshOnDemandPollsTheSourceAtOnceDespiteALongRefreshEvery() {
        List<String> registry = new CopyOnWriteArrayList<>(List.of("127.0.0.1:9001"));
        AtomicInteger polls = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().endpointSource(() -> {
            polls.incrementAndGet();
            return List.copyOf(registry);
        }).refreshEvery(RARELY).build());
        assertThat(addresses(pool)).containsExactly("127.0.0.1:9001");

        registry.add("127.0.0.2:9001");
        assertThat(pool.refreshEndpoints()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(
                List.of("127.0.0.1:9001", "127.0.0.2:9001")));
        registry.remove("127.0.0.1:9001");
        pool.refreshEndpoints();
        await().atMost(Duration.ofSeconds(10)).until(() -> addresses(pool).equals(List.of("127.0.0.2:9001")));
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void theCallerDoesNotWaitAndABurstWhileOneIsQueuedCostsOnePoll() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().endpointSource(() -> {
            if (polls.incrementAndGet() == 2) { // the first refresh on demand blocks in the registry
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of("127.0.0.1:9001");
        }).refreshEvery(RARELY).build());
        try {
            assertThat(pool.refreshEndpoints()).isTrue(); // returns while the poll blocks
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() == 2);
            for (int i = 0; i < 50; i++) {
                assertThat(pool.refreshEndpoints()).isTrue(); // all of them join one queued refresh
            }
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() == 3);
        assertThat(pool.refreshEndpoints()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() == 4);
    }

    @Test
    void aGroupThatDoesNotRefreshOrAClosedFactoryDoesNothing() {
        AtomicInteger polls = new AtomicInteger();
        PoolConnFactory never = closer.using(PoolConnFactory.builder().endpointSource(() -> {
            polls.incrementAndGet();
            return List.of("127.0.0.1:9001");
        }).refreshEvery(Duration.ZERO).build());
        PoolConnFactory ipsOnly = closer.using(PoolConnFactory.builder().addresses("127.0.0.1:9001")
                .refreshEvery(RARELY).build());
        PoolConnFactory none = closer.using(PoolConnFactory.builder().build());
        PoolConnFactory closed = PoolConnFactory.builder().endpointSource(() -> List.of("127.0.0.1:9001"))
                .refreshEvery(RARELY).build();
        closed.close();

        assertThat(never.refreshEndpoints()).isFalse();
        assertThat(ipsOnly.refreshEndpoints()).isFalse();
        assertThat(none.refreshEndpoints()).isFalse();
        assertThat(closed.refreshEndpoints()).isFalse();
        assertThat(polls.get()).isEqualTo(1); // the one when built
    }

    private static List<String> addresses(PoolConnFactory pool) {
        return pool.endpoints().stream().map(EndpointStatus::address).toList();
    }
}
