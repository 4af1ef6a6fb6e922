package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;
import io.gtcp.testing.RawPeer;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} from another thread while an operation runs aborts it and closes the connection for good (never
 * two borrowers on one socket); anything other than an {@code IOException} escaping an operation marks the
 * connection broken too.
 */
class CrossThreadCloseTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void closingFromAnotherThreadAbortsTheReceiveAndClosesTheConnection() throws Exception {
        RawPeer silent = closer.using(RawPeer.start(RawPeer::discardUntilEof)); // never answers
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(silent.address()).maxSize(1)
                .build());
        PoolConn conn = pool.get();
        Thread[] owner = new Thread[1];
        CompletableFuture<byte[]> receive = CompletableFuture.supplyAsync(() -> {
            owner[0] = Thread.currentThread();
            try {
                return conn.recvPkg(); // no timeout: only the close can end it
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await("the owner blocked in a socket read").atMost(Duration.ofSeconds(5))
                .until(() -> owner[0] != null && blockedInSocketRead(owner[0]));

        conn.close();

        assertThatThrownBy(() -> receive.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().hasCauseInstanceOf(IOException.class);
        assertThat(conn.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pool.stats())
                .extracting(PoolStats::total, PoolStats::idle, PoolStats::closed).containsExactly(0, 0, 1L));
        try (PoolConn next = pool.get()) {
            assertThat(next.localAddress()).isNotEqualTo(conn.localAddress());
        }
        assertThat(pool.stats().created()).isEqualTo(2);
    }

    /**
     * The owner's first write on a reused connection fails (its server reset it) and reconnect-on-send dials an
     * address that drops connects (20 s connect timeout): a close from another thread ends that dial, and with it
     * the owner's operation, at once, and the failed dial counts against nobody's health.
     */
    @Test
    void closingFromAnotherThreadEndsAReconnectDialUnderWay() throws Exception {
        BlackHole hole = closer.using(BlackHole.notYetFull());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(hole.address()).maxSize(1)
                .connectTimeout(Duration.ofSeconds(20)).validateOnBorrow(false).build());
        pool.get().close(); // to the idle set
        Socket serverSide = hole.acceptOne();
        serverSide.setSoLinger(true, 0);
        serverSide.close(); // a reset: the next write fails, and the pool redials
        hole.fill();
        PoolConn conn = pool.get();
        Thread[] owner = new Thread[1];
        CompletableFuture<byte[]> exchange = CompletableFuture.supplyAsync(() -> {
            owner[0] = Thread.currentThread();
            try {
                return conn.sendRecvPkg(new byte[] {1, 2, 3}); // no deadline: only the close can end the dial
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await("the owner dialling again").atMost(Duration.ofSeconds(10))
                .until(() -> owner[0] != null && dialling(owner[0]));

        conn.close();

        assertThatThrownBy(() -> exchange.get(5, TimeUnit.SECONDS)).as("ended well before the 20 s connect timeout")
                .isInstanceOf(ExecutionException.class).cause().hasCauseInstanceOf(IOException.class);
        assertThat(conn.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pool.stats())
                .extracting(PoolStats::total, PoolStats::idle).containsExactly(0, 0));
        assertThat(pool.endpoints()).singleElement().extracting(EndpointStatus::consecutiveFailures)
                .as("a dial ended by a close is no failure of the address").isEqualTo(0);
    }

    @Test
    void anUncheckedExceptionEscapingAnOperationMarksTheConnectionBroken() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).build());
        PoolConn conn = pool.get();
        // a retry interval too long for nanoseconds: the write's retry budget overflows inside the operation
        Retry absurd = Retry.of(1, Duration.ofDays(200_000));

        assertThatThrownBy(() -> conn.send(new byte[]{1}, absurd)).isInstanceOf(ArithmeticException.class);

        assertThat(conn.isBroken()).isTrue();
        conn.close();
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::closed).containsExactly(0, 1L);
    }

    private static boolean dialling(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("io.gtcp.internal.io.Dialer"));
    }

    private static boolean blockedInSocketRead(Thread thread) {
        return thread.getState() == Thread.State.RUNNABLE && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().startsWith("sun.nio.ch") || f.getClassName().startsWith("java.net"));
    }
}
