package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static io.gtcp.PoolTestServer.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.testing.Closer;
import io.gtcp.testing.RawPeer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code PoolConn} has no state word of its own: its close, its operations and the pool's return all act on the
 * entry's word, and the return is one compare-and-set from the word it read ({@code GiveBack}). Raced from several
 * threads, a borrow is still given back exactly once, a handle of an ended borrow never touches the next one, and a
 * close racing the owner's operations either aborts one or returns the connection between two of them, never while
 * one runs.
 */
@Timeout(value = 90, unit = SECONDS)
class CloseRacesTest {

    private static final int ROUNDS = 300;
    private static final long ROUND_NANOS = SECONDS.toNanos(15); // bounded in time as well as in count
    private static final long HANG_NANOS = SECONDS.toNanos(30);

    private final Closer closer = new Closer();
    private final ExecutorService threads = Executors.newFixedThreadPool(3);
    private final AtomicInteger arrived = new AtomicInteger();
    private final Semaphore closes = new Semaphore(0);
    private volatile PoolConn target;
    private volatile int go;
    private volatile boolean stop;

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        closer.close();
    }

    @Test
    void twoClosesRacingABorrowerGiveTheConnectionBackOnce() throws Exception {
        racingCloses(false);
    }

    /** With a listener the return claims the entry first, so that {@code connectionReleased} is told once. */
    @Test
    void twoClosesRacingABorrowerGiveTheConnectionBackOnceAndTellTheListenerOnce() throws Exception {
        racingCloses(true);
    }

    /**
     * Each round, two threads close the same handle at once: they meet by spinning while the round's set-up waits
     * for them, parked, so that both are on a processor (a barrier's wake-ups are microseconds apart, the return's
     * decision takes a fraction of one). In every other round a borrower waits for the connection meanwhile, so that
     * it may take it between the two closes.
     */
    private void racingCloses(boolean listening) throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        RecordingListener events = new RecordingListener();
        if (listening) {
            pool.addListener(events);
        }
        long end = System.nanoTime() + ROUND_NANOS;
        Callable<Void> closing = () -> {
            for (int r = 1; r <= ROUNDS; r++) {
                int round = r;
                if (!spin(() -> go >= round, end)) {
                    return null; // the test is over
                }
                arrived.incrementAndGet();
                if (!spin(() -> arrived.get() >= 2 * round, end)) {
                    return null;
                }
                target.close(); // both closers on a processor: the round's set-up waits for them, parked
                closes.release();
            }
            return null;
        };
        Future<Void> one = threads.submit(closing);
        Future<Void> two = threads.submit(closing);
        int rounds = 0;
        try {
            for (int i = 1; i <= ROUNDS && System.nanoTime() - end < 0; i++, rounds++) {
                PoolConn conn = pool.get();
                Future<PoolConn> waiting = null;
                if (i % 2 == 0) {
                    waiting = threads.submit(() -> pool.get());
                    soon(() -> pool.stats().pending() == 1, "the borrower waits");
                }
                target = conn;
                go = i;
                assertThat(closes.tryAcquire(2, 10, SECONDS)).as("both closes returned").isTrue();
                try (PoolConn next = waiting != null ? waiting.get(10, SECONDS) : pool.get()) {
                    assertThat(conn.isClosed()).isTrue();
                    assertThat(next.isClosed()).as("round %d: a close of the old handle closed the new borrow", i)
                            .isFalse();
                    assertThat(pool.stats()).as("round %d: borrowed once, not also idle", i)
                            .extracting(PoolStats::idle, PoolStats::active, PoolStats::total)
                            .containsExactly(0, 1, 1);
                    assertThat(text(next.sendRecvPkg(bytes("round " + i)))).isEqualTo("> round " + i);
                }
                assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active).containsExactly(1, 0);
            }
        } finally {
            stop = true;
        }
        one.get(10, SECONDS);
        two.get(10, SECONDS);
        assertThat(rounds).isPositive();
        assertThat(pool.stats()).extracting(PoolStats::created, PoolStats::closed).containsExactly(1L, 0L);
        if (listening) {
            assertThat(events.released).as("one release per borrow").hasValue(2 * rounds);
        }
    }

    /** Spins until {@code condition} holds (yielding after a while); false if the test stopped or hangs. */
    private boolean spin(java.util.function.BooleanSupplier condition, long end) {
        for (int spins = 0; !condition.getAsBoolean(); spins++) {
            if (stop || System.nanoTime() - end > HANG_NANOS) {
                return false;
            }
            if (spins > 100_000) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** Waits, yielding, until {@code condition} holds; fails after 10 s. Polling every 100 ms would cost rounds. */
    private static void soon(java.util.function.BooleanSupplier condition, String what) {
        long hang = System.nanoTime() + SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - hang).as(what).isNegative();
            Thread.yield();
        }
    }

    /**
     * A stale handle's {@code close()} while the next borrower of its connection runs an operation: nothing happens
     * to that operation (the closed flag of the entry's word is the new borrow's, not the old handle's).
     */
    @Test
    void aStaleHandleNeitherClosesNorAbortsTheNextBorrowsOperation() throws Exception {
        CountDownLatch requestSeen = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        RawPeer peer = closer.using(RawPeer.start(socket -> {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (;;) { // echo frames with a 2-byte length header; the second one only when the test says so
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (java.io.EOFException closedByThePool) {
                    return;
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                if (frame.length == 1 && frame[0] == 'w') {
                    requestSeen.countDown();
                    if (!answer.await(30, SECONDS)) {
                        return;
                    }
                }
                out.writeShort(frame.length);
                out.write(frame);
                out.flush();
            }
        }));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(peer.address()).maxSize(1)
                .build());
        PoolConn first = pool.get();
        assertThat(first.sendRecvPkg(bytes("x"))).isEqualTo(bytes("x"));
        first.close();
        PoolConn second = pool.get();
        assertThat(second.localAddress()).isEqualTo(first.localAddress()); // the same connection, borrowed again
        CompletableFuture<byte[]> exchange = CompletableFuture.supplyAsync(() -> {
            try {
                return second.sendRecvPkg(bytes("w"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        assertThat(requestSeen.await(10, SECONDS)).isTrue(); // the second borrower's exchange runs

        first.close();
        CompletableFuture.runAsync(first::close, threads).get(10, SECONDS); // from another thread too
        assertThatThrownBy(() -> first.sendPkg(bytes("late"))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isFalse();
        assertThatThrownBy(() -> second.sendPkg(bytes("two at once"))).isInstanceOf(IOException.class)
                .hasMessageContaining("another operation is running");

        answer.countDown();
        assertThat(exchange.get(10, SECONDS)).isEqualTo(bytes("w"));
        second.close();
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::created,
                PoolStats::closed).containsExactly(1, 0, 1L, 0L);
    }

    /**
     * The owner runs exchanges while another thread closes its handle at a random moment: the close either aborts
     * an exchange (the connection is closed) or gives the connection back between two (the owner's next one fails
     * as closed); either way it is given back once, and the next borrower's exchange gets its own reply.
     */
    @Test
    void aCloseRacingTheOwnersExchangesLeavesThePoolInSync() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        long end = System.nanoTime() + ROUND_NANOS;
        for (int i = 0; i < ROUNDS && System.nanoTime() - end < 0; i++) {
            PoolConn conn = pool.get();
            CountDownLatch started = new CountDownLatch(1);
            Future<Integer> owner = threads.submit(() -> {
                started.countDown();
                int done = 0;
                try {
                    for (; done < 1_000; done++) { // bounded: the close ends it long before
                        conn.sendRecvPkg(bytes("mine"));
                    }
                } catch (IOException closedUnderIt) {
                    assertThat(conn.isClosed()).isTrue();
                }
                return done;
            });
            assertThat(started.await(10, SECONDS)).isTrue();
            int spins = ThreadLocalRandom.current().nextInt(20_000);
            for (int s = 0; s < spins; s++) {
                Thread.onSpinWait();
            }
            conn.close();
            owner.get(10, SECONDS);
            PoolStats stats = pool.stats();
            assertThat(stats.active()).as("round %d", i).isZero();
            assertThat(stats.idle()).as("round %d: given back or closed, once", i).isEqualTo(stats.total())
                    .isBetween(0, 1);
            try (PoolConn next = pool.get()) {
                assertThat(text(next.sendRecvPkg(bytes("next " + i)))).isEqualTo("> next " + i);
            }
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::total)
                .containsExactly(1, 0, 1);
    }
}
