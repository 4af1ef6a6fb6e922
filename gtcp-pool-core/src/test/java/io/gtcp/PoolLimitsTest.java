package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static io.gtcp.PoolTestServer.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.gtcp.testing.Closer;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Max size, the fair bounded wait, statistics, per-address pools, builder checks, and load. */
@Timeout(value = 60, unit = SECONDS)
class PoolLimitsTest {

    @AutoClose
    private final Closer closer = new Closer();

    @Test
    void statsFollowEachStep() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).build());
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0, 0, 0, 0));

        PoolConn a = pool.get();
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 1, 0, 1, 1, 0, 0));
        PoolConn b = pool.get();
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 2, 0, 2, 2, 0, 0));
        a.close();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 2, 2, 0, 0));
        assertThatThrownBy(() -> b.recvPkgWithTimeout(Duration.ofMillis(20))).isInstanceOf(IOException.class);
        b.close();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 0, 1, 2, 1, 0));
        assertThat(pool.stats(server.address())).isEqualTo(pool.stats());
        assertThat(pool.stats("127.0.0.1:1")).isEqualTo(PoolStats.EMPTY);
    }

    @Test
    void anExhaustedPoolTimesOutWithAMessageNamingAddressSizeAndWaiters() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(2)
                .acquireTimeout(Duration.ofMillis(100)).listener(events).build());
        PoolConn a = pool.get();
        PoolConn b = pool.get();

        assertThatThrownBy(pool::get).isInstanceOf(AcquireTimeoutException.class)
                .isInstanceOf(java.net.SocketTimeoutException.class)
                .hasMessageContaining(server.address())
                .hasMessageContaining("active 2, idle 0, pending 0 (other callers waiting), max 2")
                .satisfies(e -> assertThat(((AcquireTimeoutException) e).maxSize()).isEqualTo(2))
                .satisfies(e -> assertThat(((AcquireTimeoutException) e).waiting()).as("not counting itself")
                        .isZero());

        assertThat(pool.stats()).extracting(PoolStats::acquireTimeouts, PoolStats::total, PoolStats::pending)
                .containsExactly(1L, 2, 0);
        assertThat(events.timeouts).hasValue(1);
        a.close();
        b.close();
        try (PoolConn c = pool.get()) {
            assertThat(text(c.sendRecvPkg(bytes("free again")))).isEqualTo("> free again");
        }
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(20)).build());
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            PoolConn held = pool.get();
            ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
            List<Future<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                waiters.add(threads.submit(() -> {
                    try (PoolConn conn = pool.get()) {
                        order.add(id);
                        assertThat(text(conn.sendRecvPkg(bytes("w" + id)))).isEqualTo("> w" + id);
                    }
                    return null;
                }));
                await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == id + 1);
            }
            assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::pending).containsExactly(1, 3);

            held.close();
            for (Future<?> waiter : waiters) {
                waiter.get(20, SECONDS);
            }
            assertThat(order).containsExactly(0, 1, 2);
            assertThat(server.accepted()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void eachAddressHasItsOwnPool() throws IOException {
        PoolTestServer one = closer.using(PoolTestServer.echo());
        PoolTestServer two = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().maxSize(1).listener(events)
                .acquireTimeout(Duration.ofMillis(50)).build());

        try (PoolConn a = pool.get(one.address()); PoolConn b = pool.get(two.address())) {
            assertThat(a.remoteAddress().getPort()).isEqualTo(one.port());
            assertThat(b.remoteAddress().getPort()).isEqualTo(two.port());
            assertThatThrownBy(() -> pool.get(one.address())).isInstanceOf(AcquireTimeoutException.class);
        }
        assertThat(pool.addresses()).containsExactlyInAnyOrder(one.address(), two.address());
        assertThat(events.added).containsExactlyInAnyOrder(one.address(), two.address());
        assertThat(pool.stats(one.address()).idle()).isEqualTo(1);
        assertThat(pool.stats(two.address()).idle()).isEqualTo(1);
        assertThat(pool.stats().idle()).isEqualTo(2);
        assertThatThrownBy(pool::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeadServerGivesAnExceptionAndFreesTheSlot() throws IOException {
        int port = Gtcp.freePort();
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("127.0.0.1:" + port).maxSize(1)
                .acquireTimeout(Duration.ofMillis(200)).listener(events).build());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(pool::get).isInstanceOf(java.net.ConnectException.class);
        }
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::active, PoolStats::acquireTimeouts)
                .containsExactly(0, 0, 0L);
        assertThat(events.failures).hasSize(3);
    }

    @Test
    void theBuilderRejectsBadValuesNamingTheSetting() {
        PoolConnFactory.Builder builder = PoolConnFactory.builder();
        assertThatThrownBy(() -> builder.ttl(Duration.ofSeconds(-1))).hasMessageContaining("ttl");
        assertThatThrownBy(() -> builder.maxSize(0)).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> builder.minIdle(-1)).hasMessageContaining("minIdle");
        assertThatThrownBy(() -> builder.acquireTimeout(Duration.ofMillis(-5))).hasMessageContaining("acquireTimeout");
        assertThatThrownBy(() -> builder.readTimeout(null)).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> builder.address("no-port")).hasMessageContaining("no-port");
        assertThatThrownBy(() -> builder.address("host:99999")).hasMessageContaining("port");
        assertThatThrownBy(() -> builder.checkIdleAfter(Duration.ofSeconds(1))).hasMessageContaining("checkIdleAfter");
        assertThatThrownBy(() -> PoolConnFactory.builder().maxSize(2).minIdle(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minIdle (3)")
                .hasMessageContaining("maxSize (2)");
        assertThatThrownBy(() -> Retry.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thirtyTwoThreadsGetEveryReplyRightAndNeverExceedMaxSize() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        int maxSize = 8;
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(maxSize)
                .readTimeout(Duration.ofSeconds(10)).writeTimeout(Duration.ofSeconds(10)).build());
        int threads = 32;
        int exchanges = 300;
        AtomicInteger maxTotal = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < exchanges; i++) {
                            String payload = "thread " + thread + " exchange " + i;
                            try (PoolConn conn = pool.get()) {
                                assertThat(text(conn.sendRecvPkg(bytes(payload)))).isEqualTo("> " + payload);
                            }
                            maxTotal.accumulateAndGet(pool.stats().total(), Math::max);
                            done.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, executor));
            }
            start.countDown();
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(50, SECONDS);
        } finally {
            executor.shutdownNow();
        }
        assertThat(done).hasValue(threads * exchanges);
        assertThat(maxTotal.get()).isLessThanOrEqualTo(maxSize);
        assertThat(server.accepted()).isLessThanOrEqualTo(maxSize);
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::pending, PoolStats::closed)
                .containsExactly(0, 0, 0L);
    }
}
