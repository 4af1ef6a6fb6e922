package io.gtcp;

import io.gtcp.testing.BlockedWriterClose;
import io.gtcp.testing.Servers;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link TcpServer}'s life: binding a free port, {@code start()} and {@code run()}, a thread per connection,
 * handler failures confined to their connection, the connection cap, and {@code close()}. That {@code close()}
 * also ends live connections (unlike Go) is proven in {@link GoDifferencesTest}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpServerTest {

    private static String address(TcpServer server) {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void portIsMinusOneBeforeListening() {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo())) {
            assertThat(server.port()).isEqualTo(-1);
            assertThat(server.connectionCount()).isZero();
        }
    }

    @Test
    void startReturnsListeningOnAFreePort() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.prefixLines()).start();
             Conn conn = Conn.connect(address(server))) { // no waiting: listening as start() returned
            assertThat(server.port()).isBetween(1, 65535);
            assertThat(conn.sendRecv(ascii("hi\n"), 5)).isEqualTo(ascii("> hi\n"));
        }
    }

    @Test
    void anEmptyHostListensOnAFreePortOfEveryInterface() throws IOException {
        try (TcpServer server = new TcpServer(":0", Servers.prefixLines()).start();
             Conn conn = Conn.connect(address(server))) {
            assertThat(server.port()).isPositive();
            assertThat(conn.sendRecv(ascii("hi\n"), 5)).isEqualTo(ascii("> hi\n"));
        }
    }

    @Test
    void aGivenPortIsUsedAndABusyPortFailsToStart() throws IOException {
        int port = Gtcp.freePort();
        try (TcpServer first = new TcpServer("127.0.0.1:" + port, Servers.echo()).start();
             TcpServer second = new TcpServer("127.0.0.1:" + port, Servers.echo())) {
            assertThat(first.port()).isEqualTo(port);
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining(String.valueOf(port));
            assertThat(second.port()).isEqualTo(-1);
        }
    }

    @Test
    void runBlocksUntilClose() throws Exception {
        TcpServer server = new TcpServer("127.0.0.1:0", Servers.prefixLines());
        AtomicReference<Throwable> runFailure = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            try {
                server.run();
            } catch (Throwable e) {
                runFailure.set(e);
            } finally {
                returned.countDown();
            }
        }, "run-blocks-until-close");
        runner.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.port() > 0);
            try (Conn conn = Conn.connect(address(server))) {
                assertThat(conn.sendRecv(ascii("hi\n"), 5)).isEqualTo(ascii("> hi\n"));
            }
            assertThat(returned.getCount()).as("run() still running").isEqualTo(1);
        } finally {
            server.close();
        }
        assertThat(returned.await(5, TimeUnit.SECONDS)).as("run() returned after close()").isTrue();
        assertThat(runFailure.get()).isNull();
    }

    @Test
    void runAfterStartAlsoBlocksUntilClose() throws Exception {
        TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo()).start();
        CountDownLatch returned = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            try {
                server.run();
            } catch (IOException ignored) {
                // the assertion below sees that it returned; an exception would be a failure of close()
            }
            returned.countDown();
        }, "run-after-start");
        runner.start();
        assertThat(returned.await(200, TimeUnit.MILLISECONDS)).as("run() blocks while the server runs").isFalse();
        server.close();
        assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosedServerCannotStartAgainAndClosingTwiceIsQuiet() {
        TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo());
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IOException.class);
        assertThatThrownBy(server::run).isInstanceOf(IOException.class);
    }

    @Test
    void everyConnectionIsServedOnItsOwnThreadAtTheSameTime() throws IOException {
        CountDownLatch bothIn = new CountDownLatch(2);
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
                 bothIn.countDown();
                 // a handler that blocks until the other connection arrives: possible only with a thread each
                 if (!bothIn.await(5, TimeUnit.SECONDS)) {
                     throw new IllegalStateException("the other connection was not served meanwhile");
                 }
                 conn.send(ascii("both"));
             }).start();
             Conn a = Conn.connect(address(server));
             Conn b = Conn.connect(address(server))) {
            assertThat(a.recv(4)).isEqualTo(ascii("both"));
            assertThat(b.recv(4)).isEqualTo(ascii("both"));
        }
    }

    @Test
    void theHandlerSeesTheClientsAddressAsItsRemoteAddress() throws Exception {
        AtomicReference<InetSocketAddress> remote = new AtomicReference<>();
        AtomicReference<InetSocketAddress> local = new AtomicReference<>();
        CountDownLatch seen = new CountDownLatch(1);
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
                 remote.set(conn.remoteAddress());
                 local.set(conn.localAddress());
                 seen.countDown();
             }).start();
             Conn conn = Conn.connect(address(server))) {
            assertThat(seen.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(remote.get()).isEqualTo(conn.localAddress());
            assertThat(local.get()).isEqualTo(conn.remoteAddress());
        }
    }

    @Test
    void tcpNoDelayIsOnAtBothEndsForPlainAndTlsConnections() throws Exception {
        AtomicReference<Boolean> serverSide = new AtomicReference<>();
        CountDownLatch seen = new CountDownLatch(1);
        ConnHandler probe = conn -> {
            serverSide.set(conn.link.isTcpNoDelay());
            seen.countDown();
            Servers.untilClientCloses(conn);
        };
        try (TcpServer server = new TcpServer("127.0.0.1:0", probe).start();
             Conn conn = Conn.connect(address(server))) {
            assertThat(conn.link.isTcpNoDelay()).isTrue();
            assertThat(seen.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(serverSide.get()).isTrue();
        }
        try (TcpServer server = new TcpServer("127.0.0.1:0", probe, io.gtcp.testing.TestTls.server("server.p12"))
                .start();
             Conn conn = Conn.connectTls(address(server), io.gtcp.testing.TestTls.client())) {
            assertThat(conn.link.isTcpNoDelay()).isTrue();
        }
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsOwnConnection() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
                 try {
                     for (;;) {
                         byte[] line = conn.recvLine();
                         if (Arrays.equals(line, ascii("boom"))) {
                             throw new IllegalStateException("handler failure (expected by the test)");
                         }
                         conn.send(ascii("> " + new String(line, java.nio.charset.StandardCharsets.US_ASCII) + "\n"));
                     }
                 } catch (EOFException clientClosed) {
                     // the client is done
                 }
             }).start();
             Conn healthy = Conn.connect(address(server));
             Conn failing = Conn.connect(address(server))) {
            assertThat(healthy.sendRecv(ascii("a\n"), 4)).isEqualTo(ascii("> a\n"));
            assertThat(failing.sendRecv(ascii("b\n"), 4)).isEqualTo(ascii("> b\n"));

            failing.send(ascii("boom\n"));
            assertThatThrownBy(() -> failing.recv(1)).isInstanceOf(EOFException.class);

            assertThat(healthy.sendRecv(ascii("c\n"), 4)).isEqualTo(ascii("> c\n"));
            try (Conn later = Conn.connect(address(server))) {
                assertThat(later.sendRecv(ascii("d\n"), 4)).isEqualTo(ascii("> d\n"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void aHandlerThatReturnsHasItsConnectionClosed() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> conn.send(ascii("bye"))).start();
             Conn conn = Conn.connect(address(server))) {
            assertThat(conn.recv(3)).isEqualTo(ascii("bye"));
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(EOFException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndTheCapFreesUpAgain() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.prefixLines()).maxConnections(1).start()) {
            try (Conn served = Conn.connect(address(server))) {
                assertThat(served.sendRecv(ascii("in\n"), 5)).isEqualTo(ascii("> in\n"));
                assertThat(server.connectionCount()).isEqualTo(1);

                try (Conn excess = Conn.connect(address(server))) {
                    // refused cleanly: the end of stream, not a hang in the backlog
                    assertThatThrownBy(() -> excess.recv(1)).isInstanceOf(EOFException.class);
                }
                assertThat(served.sendRecv(ascii("still\n"), 8)).isEqualTo(ascii("> still\n"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
            try (Conn next = Conn.connect(address(server))) {
                assertThat(next.sendRecv(ascii("next\n"), 7)).isEqualTo(ascii("> next\n"));
            }
        }
    }

    @Test
    void closeReturnsWhileAHandlerIsBlockedWritingToAClientThatDoesNotRead() throws Exception {
        BlockedWriterClose scenario = new BlockedWriterClose();
        TcpServer server = new TcpServer("127.0.0.1:0", scenario.handler()).start();
        try (Conn conn = Conn.connect(address(server))) {
            scenario.assertCloseReturnsAndEndsTheConnection(server, conn);
        } finally {
            server.close();
        }
    }

    @Test
    void aCapBelowOneIsRejected() {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo())) {
            assertThatThrownBy(() -> server.maxConnections(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aClosedServerRefusesNewConnections() throws IOException {
        TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo()).start();
        String address = address(server);
        server.close();
        assertThatThrownBy(() -> Conn.connect(address, Duration.ofSeconds(5))).isInstanceOf(ConnectException.class);
    }

    @Test
    void aMalformedAddressOrMissingHandlerIsACallerError() {
        assertThatThrownBy(() -> new TcpServer("nonsense", Servers.echo()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpServer("127.0.0.1:0", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
