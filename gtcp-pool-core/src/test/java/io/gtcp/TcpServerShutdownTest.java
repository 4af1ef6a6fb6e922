package io.gtcp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link TcpServer#shutdown(Duration)}: the listener closes at once, an idle connection closes at once, a busy one
 * right after its reply, a request of which bytes had arrived is still served, and the grace bounds the rest.
 * Also {@link TcpServer#ofPkg}: the request → reply loop, and what a handler that throws or returns null does.
 * The graces are long (a minute) wherever the test proves that the server did not need them: the test's own
 * timeout would end first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpServerShutdownTest {

    private static final Duration LONG_GRACE = Duration.ofMinutes(1);

    private static String address(TcpServer server) {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void anIdleConnectionClosesAtOnceAndNewDialsAreRefused() throws Exception {
        TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> request).start();
        String address = address(server);
        try (Conn client = Conn.connect(address)) {
            assertThat(client.sendRecvPkg(ascii("one"))).isEqualTo(ascii("one"));
            await().until(() -> server.connectionCount() == 1);

            server.shutdown(LONG_GRACE); // returns long before the grace: the connection waited for a message

            assertThat(server.isShuttingDown()).isTrue();
            assertThat(server.isListening()).isFalse();
            assertThat(server.connectionCount()).isZero();
            assertThatThrownBy(() -> client.recvPkg()).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> Conn.connect(address, Duration.ofSeconds(5))).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aBusyConnectionGetsItsReplyThenCloses() throws Exception {
        Held held = new Held();
        TcpServer server = held.server(ascii("done"));
        String address = address(server);
        try (Conn client = Conn.connect(address)) {
            client.sendPkg(ascii("work"));
            held.awaitServing();

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(LONG_GRACE));
            await().until(server::isShuttingDown);
            await().untilAsserted(() -> assertThatThrownBy(() -> Conn.connect(address, Duration.ofSeconds(5)))
                    .isInstanceOf(ConnectException.class));
            assertThat(shutdown).isNotDone(); // the reply is owed: the connection stays

            held.release();
            assertThat(client.recvPkg()).isEqualTo(ascii("done"));
            shutdown.get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> client.recvPkg()).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aRequestWhoseBytesHadArrivedIsServedBeforeTheClose() throws Exception {
        TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> request).start();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(new byte[] {0, 2, 'h'}); // the header and half the body: the handler is inside a message
            out.flush();
            await().until(() -> server.connectionCount() == 1);

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(LONG_GRACE));
            await().until(server::isShuttingDown);
            assertThat(shutdown).isNotDone();

            out.write('i');
            out.flush();
            assertThat(in.readNBytes(4)).containsExactly(0, 2, 'h', 'i');
            shutdown.get(20, TimeUnit.SECONDS);
            assertThat(in.read()).isEqualTo(-1); // closed right after the reply, not cut before it
        }
    }

    @Test
    void whatIsStillBusyWhenTheGraceEndsIsClosed() throws Exception {
        Held held = new Held();
        TcpServer server = held.server(ascii("late"));
        try (Conn client = Conn.connect(address(server))) {
            client.sendPkg(ascii("stuck"));
            held.awaitServing();

            server.shutdown(Duration.ofMillis(200));

            assertThat(server.connectionCount()).isZero();
            assertThatThrownBy(() -> client.recvPkgWithTimeout(Duration.ofSeconds(10)))
                    .isInstanceOf(IOException.class);
        } finally {
            held.release();
        }
    }

    @Test
    void aRawHandlerClosesAtItsNextReceiveAfterAReply() throws Exception {
        // a raw protocol read in two parts (4 bytes, then 4): the second read is inside the message, not a new one
        CountDownLatch firstHalf = new CountDownLatch(1);
        TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
            while (true) {
                byte[] head = conn.recv(4);
                firstHalf.countDown();
                byte[] tail = conn.recv(4);
                conn.send(ascii(new String(head, java.nio.charset.StandardCharsets.US_ASCII)
                        + new String(tail, java.nio.charset.StandardCharsets.US_ASCII)));
            }
        }).start();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.getOutputStream().write(ascii("abcd"));
            assertThat(firstHalf.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(LONG_GRACE));
            await().until(server::isShuttingDown);
            assertThat(shutdown).isNotDone();

            client.getOutputStream().write(ascii("efgh"));
            assertThat(client.getInputStream().readNBytes(8)).isEqualTo(ascii("abcdefgh"));
            shutdown.get(20, TimeUnit.SECONDS);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void runReturnsOnlyWhenAGracefulShutdownHasDrained() throws Exception {
        Held held = new Held();
        TcpServer server = held.server(ascii("late"));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                server.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Conn client = Conn.connect(address(server))) {
            client.sendPkg(ascii("x"));
            held.awaitServing();

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(LONG_GRACE));
            await().until(server::isShuttingDown);
            // the listener is closed, the request is still being served: run() must not have returned
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !running.isDone());

            held.release();
            assertThat(client.recvPkg()).isEqualTo(ascii("late"));
            shutdown.get(20, TimeUnit.SECONDS);
            running.get(20, TimeUnit.SECONDS);
        } finally {
            held.release();
        }
    }

    @Test
    void aZeroGraceClosesAtOnceAndShutdownIsIdempotent() throws Exception {
        Held held = new Held();
        TcpServer server = held.server(ascii("late"));
        try (Conn client = Conn.connect(address(server))) {
            client.sendPkg(ascii("x"));
            held.awaitServing();
            server.shutdown(Duration.ZERO);
            server.shutdown(Duration.ZERO);
            server.close();
            assertThat(server.connectionCount()).isZero();
            assertThat(server.isShuttingDown()).isTrue();
        } finally {
            held.release();
        }
        assertThatThrownBy(() -> server.shutdown(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.shutdown(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPooledClientRidesThroughARestartOnTheSameAddress() throws Exception {
        TcpServer first = TcpServer.ofPkg("127.0.0.1:0", request -> ascii("first")).start();
        int port = first.port();
        try (PoolConnFactory factory = PoolConnFactory.builder().address("127.0.0.1:" + port).build()) {
            try (PoolConn conn = factory.get()) {
                assertThat(conn.sendRecvPkg(ascii("?"))).isEqualTo(ascii("first"));
            }
            assertThat(factory.stats().idle()).isEqualTo(1);

            first.shutdown(LONG_GRACE);
            // the server closed the idle connection at once; the pool's background check sees it go
            await().atMost(Duration.ofSeconds(10)).until(() -> factory.stats().idle() == 0);
            try (TcpServer second = TcpServer.ofPkg("127.0.0.1:" + port, request -> ascii("second")).start();
                 PoolConn conn = factory.get()) {
                assertThat(conn.sendRecvPkg(ascii("?"))).isEqualTo(ascii("second"));
            }
        }
    }

    @Test
    void ofPkgServesRequestsWithTheGivenOptionAndEndsAConnectionWhoseHandlerFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        PkgOption fourByteHeader = PkgOption.headerSize(4);
        try (TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> {
            int call = calls.incrementAndGet();
            if (request.length == 0) {
                return null;
            }
            if (request[0] == '!') {
                throw new IllegalStateException("refused");
            }
            return ascii("#" + call + ":" + new String(request, java.nio.charset.StandardCharsets.US_ASCII));
        }, fourByteHeader).start()) {
            try (Conn conn = Conn.connect(address(server))) {
                assertThat(conn.sendRecvPkg(ascii("a"), fourByteHeader)).isEqualTo(ascii("#1:a"));
                assertThat(conn.sendRecvPkg(ascii("b"), fourByteHeader)).isEqualTo(ascii("#2:b"));
            }
            try (Conn conn = Conn.connect(address(server))) {
                assertThatThrownBy(() -> conn.sendRecvPkg(ascii("!"), fourByteHeader)).isInstanceOf(EOFException.class);
            }
            try (Conn conn = Conn.connect(address(server))) {
                assertThatThrownBy(() -> conn.sendRecvPkg(new byte[0], fourByteHeader)).isInstanceOf(EOFException.class);
            }
            try (Conn conn = Conn.connect(address(server))) { // the failures above ended only their connections
                assertThat(conn.sendRecvPkg(ascii("c"), fourByteHeader)).startsWith(ascii("#"));
            }
            await().until(() -> server.connectionCount() == 0);
            assertThat(server.acceptedCount()).isEqualTo(4);
        }
    }

    @Test
    void handlersRunOnTheGivenThreads() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> ascii(Thread.currentThread().getName()))
                .handlerThreads(task -> {
                    Thread thread = new Thread(task, "custom-" + made.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }).start();
             Conn conn = Conn.connect(address(server))) {
            assertThat(conn.sendRecvPkg(ascii("?"))).isEqualTo(ascii("custom-1"));
        }
        assertThatThrownBy(() -> TcpServer.ofPkg("127.0.0.1:0", r -> r).handlerThreads(null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpServer.ofPkg("127.0.0.1:0", null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A package server whose handler, once a request arrives, holds it until {@link #release()}, then replies. */
    private static final class Held {
        private final CountDownLatch serving = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        TcpServer server(byte[] reply) throws IOException {
            return TcpServer.ofPkg("127.0.0.1:0", request -> {
                serving.countDown();
                released.await();
                return reply;
            }).start();
        }

        void awaitServing() throws InterruptedException {
            assertThat(serving.await(10, TimeUnit.SECONDS)).as("the handler got the request").isTrue();
        }

        void release() {
            released.countDown();
        }
    }
}
