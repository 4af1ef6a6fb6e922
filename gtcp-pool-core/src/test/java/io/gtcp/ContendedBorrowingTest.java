package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static io.gtcp.PoolTestServer.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.gtcp.testing.Closer;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many borrowers on a small pool: the waiting logic (announce, look again, wait for a wake-up; returns go to
 * whoever looks first, and straight to the waiters once one has waited long). Every borrower finishes, the size
 * limit holds, the counts are right while borrowers wait, a shutdown ends every wait, and a waiter whose acquire
 * timeout passes gets the diagnostic exception.
 */
@Timeout(value = 60, unit = SECONDS)
class ContendedBorrowingTest {

    @AutoClose
    private final Closer closer = new Closer();

    @Test
    void thirtyTwoBorrowersOnTwoConnectionsAllFinishWithinTheSizeLimit() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        AtomicInteger created = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(2)
                .acquireTimeout(Duration.ofSeconds(40)).readTimeout(Duration.ofSeconds(10))
                .listener(new PoolListener() {
                    @Override
                    public void connectionCreated(String address, long nanos) {
                        created.incrementAndGet();
                    }
                }).build());
        int threads = 32;
        int borrows = 200;
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < borrows; i++) {
                        try (PoolConn conn = pool.get()) {
                            mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                            if (i % 20 == 0) { // some real exchanges, mostly borrow and return at once
                                String payload = "t" + thread + " #" + i;
                                assertThat(text(conn.sendRecvPkg(bytes(payload)))).isEqualTo("> " + payload);
                            }
                            held.decrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(50, SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(done).hasValue(threads * borrows);
        assertThat(mostHeld.get()).as("connections held at once").isLessThanOrEqualTo(2);
        assertThat(created.get()).as("connections dialled").isLessThanOrEqualTo(2);
        assertThat(server.accepted()).isLessThanOrEqualTo(2);
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::pending, PoolStats::acquireTimeouts)
                .containsExactly(0, 0, 0L);
    }

    @Test
    void aWaiterIsServedWhileAnotherThreadReturnsAndReborrowsWithoutPause() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(20)).build());
        AtomicBoolean served = new AtomicBoolean();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            PoolConn conn = pool.get();
            Future<String> waiter = executor.submit(() -> {
                try (PoolConn mine = pool.get()) {
                    served.set(true);
                    return text(mine.sendRecvPkg(bytes("me too")));
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);
            // The hog gives the connection back and takes it again at once, as a busy thread does: the woken
            // waiter nearly always finds it taken. Once it has waited a while, returns must go to it.
            long deadline = System.nanoTime() + SECONDS.toNanos(15);
            for (int round = 0; round < 5_000_000 && !served.get() && System.nanoTime() - deadline < 0; round++) {
                conn.close();
                conn = pool.get();
            }
            assertThat(served).as("the waiter got the connection while the hog kept borrowing").isTrue();
            conn.close();
            assertThat(waiter.get(20, SECONDS)).isEqualTo("> me too");
        } finally {
            executor.shutdownNow();
        }
        assertThat(pool.stats().acquireTimeouts()).isZero();
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aPlaceFreedByABrokenConnectionLetsAWaiterDial() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.replyOnceThenClose());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(30)).readTimeout(Duration.ofSeconds(10)).build());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            PoolConn holder = pool.get();
            assertThat(text(holder.sendRecvPkg(bytes("one")))).isEqualTo("> one");
            Future<String> waiter = executor.submit(() -> {
                try (PoolConn conn = pool.get()) {
                    return text(conn.sendRecvPkg(bytes("two")));
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);

            assertThatThrownBy(holder::recvPkg).isInstanceOf(IOException.class); // the server has closed it
            holder.close(); // broken: closed, and its place lets the waiter dial

            assertThat(waiter.get(20, SECONDS)).isEqualTo("> two");
            assertThat(server.accepted()).isEqualTo(2);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void closingTheFactoryEndsEveryWait() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(50)).build();
        int waiting = 5;
        ExecutorService executor = Executors.newFixedThreadPool(waiting);
        try {
            PoolConn held = pool.get();
            List<Future<PoolConn>> waiters = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                waiters.add(executor.submit(() -> pool.get()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == waiting);
            assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::pending).containsExactly(1, waiting);

            pool.close();

            for (Future<PoolConn> waiter : waiters) {
                assertThatThrownBy(() -> waiter.get(20, SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IOException.class).hasMessageContaining("pool closed");
            }
            held.close();
            assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::pending).containsExactly(0, 0);
        } finally {
            executor.shutdownNow();
            pool.close();
        }
    }

    @Test
    void aWaiterWhoseAcquireTimeoutPassesGetsTheDiagnosticException() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofMillis(300)).build());
        try (PoolConn held = pool.get()) {
            assertThatThrownBy(pool::get).isInstanceOfSatisfying(AcquireTimeoutException.class, e -> {
                assertThat(e.waiting()).as("other callers waiting, not counting the caller").isZero();
                assertThat(e.active()).isEqualTo(1);
                assertThat(e.maxSize()).isEqualTo(1);
            });
            assertThat(pool.stats()).extracting(PoolStats::pending, PoolStats::acquireTimeouts)
                    .containsExactly(0, 1L);
        }
        try (PoolConn again = pool.get()) { // the connection came back: no wait now
            assertThat(text(again.sendRecvPkg(bytes("after")))).isEqualTo("> after");
        }
    }
}
