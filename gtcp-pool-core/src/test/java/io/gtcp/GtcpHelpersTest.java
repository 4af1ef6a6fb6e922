package io.gtcp;

import io.gtcp.testing.RawPeer;
import io.gtcp.testing.Servers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Gtcp}'s one-shot helpers: each dials, does one exchange and closes (the capturing peer sees the end of
 * stream right after the bytes), and the {@code WithTimeout} variants bound the exchange. Also
 * {@link Gtcp#freePort()}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GtcpHelpersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    /** Runs {@code exchange} against a capturing peer; returns what it received before the client closed. */
    private static byte[] capture(int expectedBytes, Exchange exchange) throws IOException {
        try (RawPeer peer = RawPeer.capturing()) {
            exchange.run(peer.address());
            return peer.awaitCaptured(expectedBytes);
        }
    }

    @FunctionalInterface
    private interface Exchange {
        void run(String address) throws IOException;
    }

    /** A server that reads everything and never answers. */
    private static RawPeer silent() throws IOException {
        return RawPeer.start(RawPeer::discardUntilEof);
    }

    @Test
    void sendWritesTheBytesAndCloses() throws IOException {
        assertThat(capture(5, address -> Gtcp.send(address, ascii("hello")))).isEqualTo(ascii("hello"));
        assertThat(capture(5, address -> Gtcp.send(address, ascii("hello"), Retry.of(1)))).isEqualTo(ascii("hello"));
        assertThat(capture(5, address -> Gtcp.sendWithTimeout(address, ascii("hello"), TIMEOUT)))
                .isEqualTo(ascii("hello"));
    }

    @Test
    void sendPkgWritesOneFrameAndCloses() throws IOException {
        assertThat(capture(7, address -> Gtcp.sendPkg(address, ascii("hello")))).isEqualTo(hex("0005 68656c6c6f"));
        assertThat(capture(6, address -> Gtcp.sendPkg(address, ascii("hello"), PkgOption.headerSize(1))))
                .isEqualTo(hex("05 68656c6c6f"));
        assertThat(capture(9, address -> Gtcp.sendPkgWithTimeout(address, ascii("hello"), TIMEOUT,
                PkgOption.headerSize(4)))).isEqualTo(hex("00000005 68656c6c6f"));
    }

    @Test
    void everyHelperClosesItsConnection() throws Exception {
        CountDownLatch ended = new CountDownLatch(4);
        try (RawPeer peer = RawPeer.start(socket -> {
                 RawPeer.discardUntilEof(socket);
                 ended.countDown(); // the client closed its end
             })) {
            Gtcp.send(peer.address(), ascii("a"));
            Gtcp.sendWithTimeout(peer.address(), ascii("b"), TIMEOUT);
            Gtcp.sendPkg(peer.address(), ascii("c"));
            Gtcp.sendPkgWithTimeout(peer.address(), ascii("d"), TIMEOUT);
            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void sendRecvExchangesWithAServer() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.prefixLines()).start()) {
            String address = "127.0.0.1:" + server.port();
            assertThat(Gtcp.sendRecv(address, ascii("hi\n"), 5)).isEqualTo(ascii("> hi\n"));
            assertThat(Gtcp.sendRecv(address, ascii("hi\n"), -1, Retry.of(1))).isEqualTo(ascii("> hi\n"));
            assertThat(Gtcp.sendRecvWithTimeout(address, ascii("hi\n"), 5, TIMEOUT)).isEqualTo(ascii("> hi\n"));
        }
    }

    @Test
    void sendRecvPkgExchangesFramesWithAServer() throws IOException {
        PkgOption three = PkgOption.headerSize(3);
        try (TcpServer plain = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults())).start();
             TcpServer wide = new TcpServer("127.0.0.1:0", Servers.pkgEcho(three)).start()) {
            assertThat(Gtcp.sendRecvPkg("127.0.0.1:" + plain.port(), ascii("ping"))).isEqualTo(ascii("ping"));
            assertThat(Gtcp.sendRecvPkgWithTimeout("127.0.0.1:" + plain.port(), ascii("ping"), TIMEOUT))
                    .isEqualTo(ascii("ping"));
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 7);
            assertThat(Gtcp.sendRecvPkg("127.0.0.1:" + wide.port(), big, three)).isEqualTo(big);
            assertThat(Gtcp.sendRecvPkgWithTimeout("127.0.0.1:" + wide.port(), big, TIMEOUT, three)).isEqualTo(big);
        }
    }

    @Test
    void theTimeoutVariantsEndWhenTheServerDoesNotAnswer() throws IOException {
        try (RawPeer peer = silent()) {
            assertThatThrownBy(() -> Gtcp.sendRecvWithTimeout(peer.address(), ascii("hi"), 1, SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> Gtcp.sendRecvPkgWithTimeout(peer.address(), ascii("hi"), SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void callerErrorsAreRaisedBeforeAnythingIsSent() throws IOException {
        try (RawPeer peer = RawPeer.capturing()) {
            assertThatThrownBy(() -> Gtcp.sendPkg(peer.address(), new byte[65536]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Gtcp.sendRecvPkg(peer.address(), ascii("x"), PkgOption.headerSize(5)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Gtcp.sendWithTimeout(peer.address(), ascii("x"), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            Gtcp.send(peer.address(), ascii("ok"));
            assertThat(peer.awaitCaptured(2)).isEqualTo(ascii("ok"));
        }
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws IOException {
        String nobody = "127.0.0.1:" + Gtcp.freePort();
        assertThatThrownBy(() -> Gtcp.send(nobody, ascii("x"))).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> Gtcp.sendRecvPkgWithTimeout(nobody, ascii("x"), SHORT))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void freePortReturnsAPortThatCanBeBound() throws IOException {
        int port = Gtcp.freePort();
        assertThat(port).isBetween(1, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void freePortsReturnsDistinctPorts() throws IOException {
        int[] ports = Gtcp.freePorts(5);
        assertThat(ports).hasSize(5).doesNotHaveDuplicates();
        assertThat(Arrays.stream(ports)).allSatisfy(port -> assertThat(port).isBetween(1, 65535));
    }
}
