package io.gtcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.Conn;
import io.gtcp.TcpServer;
import io.gtcp.testing.CapturedLog;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A raw handler that reads fixed-size messages ({@code recv(4)}): a client that closes between two messages is a
 * clean end (logged at DEBUG, as for the package protocol), and only a message cut short is a failure worth a
 * WARN. Before, any end of stream in {@code recv(length > 0)} was a failure: a WARN with a stack trace for every
 * connection a client closed, the pool's idle expiry included.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawHandlerCleanCloseTest {

    @Test
    void aClientClosingBetweenTwoMessagesIsNoFailureButOneCutShortIs() throws Exception {
        try (CapturedLog log = CapturedLog.start();
             TcpServer server = new TcpServer("127.0.0.1:0", RawHandlerCleanCloseTest::fourByteEcho).start()) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                exchange(client, "ping");
                exchange(client, "pong");
            } // closed between two messages
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
            assertThat(log.linesContaining("WARN")).as("a clean close").isEmpty();

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                exchange(client, "ping");
                client.getOutputStream().write(new byte[] {'h', 'a'}); // half a message, then the close
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.linesContaining("WARN").isEmpty());
            assertThat(log.linesContaining("WARN")).singleElement().asString().contains("failed");
        }
    }

    private static void fourByteEcho(Conn conn) throws Exception {
        for (;;) {
            conn.send(conn.recv(4));
        }
    }

    private static void exchange(Socket client, String message) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(message.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = client.getInputStream();
        assertThat(in.readNBytes(4)).asString().isEqualTo(message);
    }
}
