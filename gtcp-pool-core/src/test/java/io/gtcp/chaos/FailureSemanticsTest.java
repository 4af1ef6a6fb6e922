package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.AcquireTimeoutException;
import io.gtcp.CloseReason;
import io.gtcp.Gtcp;
import io.gtcp.PkgOption;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One fault at a time, on command: exactly what the caller sees and what the pool does with the connection. Each
 * test backs a row of the "Failure semantics" table of docs/failure-semantics.md.
 */
@Timeout(value = 30, unit = SECONDS)
class FailureSemanticsTest {

    // Long enough for any exchange that should succeed, even on an overloaded machine.
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    private final PoolEvents reasons = new PoolEvents();
    private EchoServer server;
    private ChaosProxy proxy;
    private PoolConnFactory pool;

    @BeforeEach
    void startServerAndProxy() throws IOException {
        server = EchoServer.plain();
        proxy = ChaosProxy.start(server.port(), server::restart);
    }

    @AfterEach
    void stopEverything() {
        if (pool != null) {
            pool.close();
        }
        proxy.close();
        server.close();
    }

    // ------------------------------------------------------------------ the server closed an idle connection

    @Test
    void idleConnectionClosedByTheServerIsReplacedBeforeHandOutWhenChecked() throws IOException {
        pool = builder().checkIdleAfter(Duration.ZERO).build(); // as if idle longer than checkIdleAfter
        int first = exchangeOnce();

        proxy.closeAll();
        awaitServerSideGone();

        try (PoolConn conn = pool.get()) {
            assertThat(conn.sendRecvPkg(HELLO)).isEqualTo(EchoServer.reply(HELLO));
            assertThat(conn.localAddress().getPort()).isNotEqualTo(first);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.STALE);
    }

    @Test
    void idleConnectionClosedByTheServerFailsTheFirstExchangeWhenNotChecked() throws IOException {
        pool = builder().validateOnBorrow(false).build(); // the same as a reuse within checkIdleAfter
        int first = exchangeOnce();

        proxy.closeAll();
        awaitServerSideGone();

        try (PoolConn conn = pool.get()) {
            assertThat(conn.localAddress().getPort()).isEqualTo(first);
            assertThatThrownBy(() -> conn.sendRecvPkg(HELLO)).isInstanceOf(EOFException.class);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
        assertThat(exchangeOnce()).isNotEqualTo(first);
    }

    @Test
    void idleConnectionResetByTheServerIsRedialledOnSendUnnoticed() throws IOException {
        pool = builder().validateOnBorrow(false).build();
        int first = exchangeOnce();

        proxy.resetAll();
        awaitServerSideGone();

        try (PoolConn conn = pool.get()) {
            assertThat(conn.sendRecvPkg(HELLO)).isEqualTo(EchoServer.reply(HELLO));
            assertThat(conn.localAddress().getPort()).isNotEqualTo(first);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.REPLACED);
    }

    @Test
    void serverRestartIsInvisibleToCheckedBorrows() throws IOException {
        pool = builder().checkIdleAfter(Duration.ZERO).build();
        int first = exchangeOnce();

        proxy.restartServer();
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.liveConnections() == 0);

        assertThat(exchangeOnce()).isNotEqualTo(first);
        assertThat(reasons.closed).containsExactly(CloseReason.STALE);
    }

    @Test
    void serverDownFailsGetWithConnectExceptionAndPoolsNothing() throws IOException {
        pool = builder().address("127.0.0.1:" + Gtcp.freePort()).build();

        assertThatThrownBy(pool::get).isInstanceOf(ConnectException.class);

        assertThat(reasons.dialFailures).hasSize(1);
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().active()).isZero();
    }

    // ------------------------------------------------------------------ reset or closed mid-request

    @Test
    void resetMidRequestFailsTheCallWithSocketExceptionAndIsNotRetried() throws IOException {
        pool = builder().build();
        int first = exchangeOnce();

        proxy.armNextReply(Fault.RESET);
        try (PoolConn conn = pool.get()) {
            assertThatThrownBy(() -> conn.sendRecvPkg(HELLO)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            assertThat(conn.isBroken()).isTrue();
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
        assertThat(pool.stats().created()).as("no retry dialled a connection on its own").isEqualTo(1);
        assertThat(exchangeOnce()).isNotEqualTo(first);
    }

    @Test
    void replyTruncatedByAServerCloseFailsWithEofException() throws IOException {
        pool = builder().build();
        int first = exchangeOnce();

        proxy.armNextReply(Fault.TRUNCATE);
        try (PoolConn conn = pool.get()) {
            assertThatThrownBy(() -> conn.sendRecvPkg(HELLO)).isInstanceOf(EOFException.class);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
        assertThat(exchangeOnce()).isNotEqualTo(first);
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void replyStalledMidFrameTimesOutAndTheConnectionIsClosed() throws IOException {
        pool = builder().build();
        int first = exchangeOnce();

        proxy.armNextReply(Fault.STALL);
        try (PoolConn conn = pool.get()) {
            assertThatThrownBy(() -> conn.sendRecvPkg(HELLO)).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
        assertThat(exchangeOnce()).isNotEqualTo(first);
    }

    @Test
    void replyDrippedSlowerThanTheReadTimeoutTimesOutThoughBytesKeepComing() throws IOException {
        pool = builder().build();
        exchangeOnce();
        byte[] payload = new byte[400]; // 404 bytes of reply at 20 ms each: eight seconds, over the 3 s timeout

        proxy.dripPause(Duration.ofMillis(20));
        proxy.armNextReply(Fault.DRIP);
        try (PoolConn conn = pool.get()) {
            assertThatThrownBy(() -> conn.sendRecvPkg(payload)).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
    }

    @Test
    void peerThatDoesNotReadFailsTheSendWithAWriteTimeout() throws IOException {
        try (ServerSocket neverReads = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            pool = builder().address("127.0.0.1:" + neverReads.getLocalPort()).build();
            byte[] big = new byte[32 * 1024 * 1024]; // more than the socket buffers of both ends hold
            try (PoolConn conn = pool.get()) {
                assertThatThrownBy(() -> conn.sendPkg(big, PkgOption.headerSize(4)))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("write timed out");
            }
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
    }

    // ------------------------------------------------------------------ pool exhausted

    @Test
    void exhaustedPoolFailsGetWithAcquireTimeoutExceptionAndStaysUsable() throws IOException {
        pool = builder().maxSize(1).acquireTimeout(Duration.ofMillis(200)).build();
        try (PoolConn held = pool.get()) {
            assertThatThrownBy(pool::get)
                    .isInstanceOf(AcquireTimeoutException.class)
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining(proxy.address())
                    .hasMessageContaining("active 1, idle 0, pending 0 (other callers waiting), max 1");
            assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);
            assertThat(held.sendRecvPkg(HELLO)).isEqualTo(EchoServer.reply(HELLO));
        }
        exchangeOnce();
        assertThat(reasons.closed).isEmpty();
    }

    // ------------------------------------------------------------------ protocol violations

    @Test
    void replyLongerThanTheMaximumFailsWithProtocolExceptionAndIsClosed() throws IOException {
        pool = builder().build();
        PkgOption upTo16 = PkgOption.defaults().withMaxDataSize(16);
        byte[] fifteen = "fifteen bytes!!".getBytes(StandardCharsets.UTF_8); // its reply has 17

        try (PoolConn conn = pool.get()) {
            assertThatThrownBy(() -> conn.sendRecvPkg(fifteen, upTo16)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("invalid package size 17");
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
    }

    @Test
    void replyFollowedByBytesNobodyAskedForSucceedsButTheConnectionIsNotReused() throws IOException {
        pool = builder().build();
        int first = exchangeOnce();

        proxy.armNextReply(Fault.DUPLICATE);
        assertThat(exchangeOnce()).isEqualTo(first); // the caller gets its reply…

        assertThat(reasons.closed).containsExactly(CloseReason.OUT_OF_SYNC); // …and the pool drops the connection
        assertThat(exchangeOnce()).isNotEqualTo(first);
    }

    @Test
    void replyStillInFlightAtCloseIsPooledAndClosedAsStaleOnceItHasArrived() throws Exception {
        try (ServerSocket late = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch replyNow = new CountDownLatch(1);
            Thread server = new Thread(() -> {
                try (Socket s = late.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] request = new byte[in.readUnsignedShort()];
                    in.readFully(request);
                    replyNow.await(); // the client has closed its handle by now
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {0, (byte) request.length});
                    out.write(request);
                    out.flush();
                    in.read(); // until the client closes the connection
                } catch (IOException | InterruptedException ended) {
                    // the test is over
                }
            }, "late-replier");
            server.setDaemon(true);
            server.start();
            pool = builder().address("127.0.0.1:" + late.getLocalPort()).build();

            try (PoolConn conn = pool.get()) {
                conn.sendPkg(HELLO); // and closed without reading the reply, which has not been sent yet
            }
            assertThat(pool.stats().idle()).as("close() cannot see a reply still to come").isEqualTo(1);
            assertThat(reasons.closed).isEmpty();

            replyNow.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !reasons.closed.isEmpty()); // the housekeeper's check
            assertThat(reasons.closed).containsExactly(CloseReason.STALE);
            assertThat(pool.stats().idle()).isZero();
            server.join(10_000);
        }
    }

    // ------------------------------------------------------------------ helpers

    private PoolConnFactory.Builder builder() {
        return PoolConnFactory.builder().address(proxy.address()).listener(reasons)
                .readTimeout(READ_TIMEOUT).writeTimeout(WRITE_TIMEOUT).acquireTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5));
    }

    /** One successful exchange; returns the local port of the connection it used. */
    private int exchangeOnce() throws IOException {
        try (PoolConn conn = pool.get()) {
            assertThat(conn.sendRecvPkg(HELLO)).isEqualTo(EchoServer.reply(HELLO));
            return conn.localAddress().getPort();
        }
    }

    /** Both ends of the proxy are closed: the client has been sent its FIN or RST. */
    private void awaitServerSideGone() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> proxy.liveConnections() == 0 && server.connectionCount() == 0);
    }
}
