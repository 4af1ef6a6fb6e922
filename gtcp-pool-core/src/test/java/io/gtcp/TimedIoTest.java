package io.gtcp;

import io.gtcp.testing.RawPeer;
import io.gtcp.testing.Servers;
import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Reads and writes with deadlines (issue 11.1, 11.2) and the watchdog's life (issue 10.7): a write to a peer that
 * does not read ends at its deadline on the socket itself, a timed read waits through a peer that drips, a close
 * from another thread or an interrupt ends a wait, and no gtcp thread outlives the connections that used one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimedIoTest {

    private static final byte[] BIG = new byte[32 * 1024 * 1024]; // far more than the socket buffers hold

    @Test
    void aWriteToAPeerThatDoesNotReadEndsAtItsDeadlineAndStartsNoThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> release.await(20, TimeUnit.SECONDS));
             Conn conn = Conn.connect(peer.address())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> conn.sendWithTimeout(BIG, Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("write timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(gtcpThreads()).as("a plain TCP write waits on its own socket").isEmpty());
            assertThatThrownBy(() -> conn.send(ascii("x")))
                    .as("the stream is out of step after a partial write: the link was closed")
                    .isInstanceOf(IOException.class);
            release.countDown();
        }
    }

    @Test
    void aTlsWriteToAPeerThatDoesNotReadEndsAtItsDeadlineAndTheWatchdogEndsWithTheConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
                conn.send(ascii("!")); // the server's side of the handshake happens on its first I/O
                release.await(20, TimeUnit.SECONDS);
            }, TestTls.server("server.p12")).start()) {
            Conn conn = Conn.connectTls("localhost:" + server.port(), TestTls.client(), Duration.ofSeconds(10));
            assertThat(conn.recv(1)).isEqualTo(ascii("!"));
            assertThatThrownBy(() -> conn.sendWithTimeout(BIG, Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("write timed out");
            conn.close();
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(gtcpThreads()).as("no watchdog once every connection that used it is closed")
                            .noneMatch(name -> name.contains("watchdog")));
        }
    }

    @Test
    void closingEveryTlsConnectionOfAFactoryWithTimeoutsLeavesNoWatchdogThread() throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo(), TestTls.server("server.p12")).start()) {
            PoolConnFactory pool = PoolConnFactory.builder().address("localhost:" + server.port())
                    .sslContext(TestTls.client()).connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(5)).writeTimeout(Duration.ofSeconds(5)).build();
            try (PoolConn conn = pool.get()) {
                assertThat(conn.sendRecv(ascii("ping"), 4)).isEqualTo(ascii("ping"));
            }
            pool.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(gtcpThreads()).noneMatch(name -> name.contains("watchdog")));
        }
    }

    @Test
    void aTimedReadWaitsThroughAPeerThatDripsAndEndsAtItsDeadlineWhenTheDripIsTooSlow() throws Exception {
        byte[] reply = ascii("dripped reply");
        try (RawPeer peer = RawPeer.start(socket -> {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (in.read() >= 0) {
                    for (byte b : reply) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(20); // paces the drip
                    }
                }
            });
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.sendRecvWithTimeout(ascii("?"), reply.length, Duration.ofSeconds(10)))
                    .as("many short waits within one deadline").isEqualTo(reply);
            long start = System.nanoTime();
            assertThatThrownBy(() -> conn.sendRecvWithTimeout(ascii("?"), reply.length, Duration.ofMillis(100)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void untimedCallsStillBlockAfterTheConnectionHasUsedADeadline() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                in.read();
                out.write('a');
                out.flush();
                in.read();
                answer.await(20, TimeUnit.SECONDS);
                out.write(pattern(100_000));
                out.flush();
                RawPeer.discardUntilEof(socket);
            });
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.sendRecvWithTimeout(ascii("1"), 1, Duration.ofSeconds(5))).isEqualTo(ascii("a"));
            CompletableFuture<byte[]> untimed = CompletableFuture.supplyAsync(() -> {
                try {
                    return conn.sendRecv(ascii("2"), 100_000);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !untimed.isDone());
            answer.countDown();
            assertThat(untimed.get(10, TimeUnit.SECONDS)).isEqualTo(pattern(100_000));
            conn.send(BIG); // untimed: waits for the peer to take it all, however long that takes
        }
    }

    @Test
    void aCloseFromAnotherThreadEndsATimedReadWaitingForAReply() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return conn.recvWithTimeout(1, Duration.ofSeconds(20));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
            conn.close();
            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void anInterruptEndsATimedWaitAndClosesTheConnectionAsForABlockingChannel() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    conn.recvWithTimeout(1, Duration.ofSeconds(20));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "interrupted-reader");
            reader.start();
            await().atMost(Duration.ofSeconds(2)).until(() -> reader.getState() == Thread.State.RUNNABLE
                    || reader.getState() == Thread.State.WAITING);
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(reader::isAlive);
            reader.interrupt();
            reader.join(5_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOf(ClosedByInterruptException.class);
            assertThatThrownBy(() -> conn.send(ascii("x"))).isInstanceOf(IOException.class);
        }
    }

    /** The gtcp threads that serve connections' deadlines (servers' threads are the tests' own business). */
    private static java.util.List<String> gtcpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("gtcp-") && name.contains("watchdog")).toList();
    }
}
