package io.gtcp;

import io.gtcp.testing.BlockedWriterClose;
import io.gtcp.testing.Servers;
import io.gtcp.testing.TestTls;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS: {@link Conn#connectTls} against a TLS {@link TcpServer}, with the test certificates of
 * {@code src/test/resources/tls}. The client verifies the chain and the host name, so an untrusted certificate
 * and a certificate for another host both fail the handshake.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsConnTest {

    private static final SSLContext CLIENT = TestTls.client();

    private static TcpServer tlsServer(String keyStore, ConnHandler handler) throws IOException {
        return new TcpServer("127.0.0.1:0", handler, TestTls.server(keyStore)).start();
    }

    @Test
    void aTlsClientExchangesRawBytesLinesAndFramesWithATlsServer() throws IOException {
        try (TcpServer server = tlsServer("server.p12", Servers.prefixLines());
             Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT)) {
            assertThat(conn.sendRecv(ascii("hello\n"), 8)).isEqualTo(ascii("> hello\n"));
            conn.send(ascii("line\n"));
            assertThat(conn.recvLine()).isEqualTo(ascii("> line"));
        }
        PkgOption option = PkgOption.headerSize(4);
        try (TcpServer server = tlsServer("server.p12", Servers.pkgEcho(option));
             Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT, Duration.ofSeconds(10))) {
            byte[] large = pattern(100_000); // many TLS records
            assertThat(conn.sendRecvPkg(large, option)).isEqualTo(large);
            for (int i = 0; i < 20; i++) {
                assertThat(conn.sendRecvPkg(ascii("frame " + i), option)).isEqualTo(ascii("frame " + i));
            }
        }
    }

    @Test
    void recvOfMinusOneOverTlsReadsAMessageLargerThanTheBuffer() throws IOException {
        byte[] message = pattern(5000);
        try (TcpServer server = tlsServer("server.p12", conn -> {
                 conn.send(message); // one write: one TLS record
                 Servers.untilClientCloses(conn);
             });
             Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT)) {
            assertThat(conn.recv(-1)).isEqualTo(message);
        }
    }

    @Test
    void aCertificateTheClientDoesNotTrustIsRejected() throws IOException {
        try (TcpServer server = tlsServer("untrusted.p12", Servers.echo())) {
            assertThatThrownBy(() -> Conn.connectTls("127.0.0.1:" + server.port(), CLIENT).close())
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void aCertificateForAnotherHostIsRejected() throws IOException {
        // wrong-host.p12 is trusted, but made for example.invalid only
        try (TcpServer server = tlsServer("wrong-host.p12", Servers.echo())) {
            assertThatThrownBy(() -> Conn.connectTls("127.0.0.1:" + server.port(), CLIENT).close())
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void aTlsConnectionNeedsAContext() {
        assertThatThrownBy(() -> Conn.connectTls("127.0.0.1:1", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutsWorkOverTls() throws IOException {
        try (TcpServer server = tlsServer("server.p12", Servers.prefixLines());
             Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT)) {
            assertThatThrownBy(() -> conn.recvWithTimeout(1, Duration.ofMillis(200)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closingATlsServerDoesNotHangOnAHandlerBlockedInAWrite() throws Exception {
        // the blocked write holds the SSL engine's record lock, which a close_notify needs too
        BlockedWriterClose scenario = new BlockedWriterClose();
        TcpServer server = tlsServer("server.p12", scenario.handler());
        try (Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT)) {
            scenario.assertCloseReturnsAndEndsTheConnection(server, conn);
        } finally {
            server.close();
        }
    }

    @Test
    void closingATlsServerEndsItsLiveConnections() throws IOException {
        TcpServer server = tlsServer("server.p12", Servers.prefixLines());
        try (Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), CLIENT)) {
            assertThat(conn.sendRecv(ascii("hi\n"), 5)).isEqualTo(ascii("> hi\n"));
            server.close();
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(EOFException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        } finally {
            server.close();
        }
    }
}
