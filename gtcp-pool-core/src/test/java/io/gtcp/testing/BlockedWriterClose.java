package io.gtcp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The scenario of gtcp's issue 1430 at its hardest: a handler blocked writing to a client that never reads.
 * {@code close()} of the server must still return and end the connection, over plain TCP and TLS alike.
 */
public final class BlockedWriterClose {

    private final CountDownLatch writing = new CountDownLatch(1);

    /** The handler to serve: it announces itself, then writes 32 MiB to a client that does not read. */
    public ConnHandler handler() {
        return conn -> {
            writing.countDown();
            conn.send(new byte[32 * 1024 * 1024]);
        };
    }

    /** Closes {@code server} from another thread while its handler is blocked; checks what the client sees. */
    public void assertCloseReturnsAndEndsTheConnection(TcpServer server, Conn client) throws Exception {
        assertThat(writing.await(5, TimeUnit.SECONDS)).as("the handler started writing").isTrue();
        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            server.close();
            closed.countDown();
        }, "server-closer");
        closer.setDaemon(true);
        closer.start();
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("close() returned").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        // the client, which never read, finds what was sent before the close, then the end of the connection:
        // an end of stream, or a reset when the server had to abort the socket to free the blocked writer
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                client.recv(-1);
            }
        }).isInstanceOfAny(EOFException.class, SocketException.class);
    }
}
