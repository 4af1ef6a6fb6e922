package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.CapturedLog;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in the log at the default INFO level: a line when a factory starts and closes, one WARN when an
 * address starts failing (also for background {@code minIdle} dials), and no WARN when a client merely closes its
 * connection between two requests.
 */
class LoggingTest {

    private final Closer closer = new Closer();
    private CapturedLog log;

    @BeforeEach
    void capture() {
        log = CapturedLog.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
        log.close();
    }

    @Test
    void aFactorySaysWhenItStartsAndCloses() throws IOException {
        PoolConnFactory pool = PoolConnFactory.builder().name("logged").address("127.0.0.1:7").maxSize(3).build();
        pool.close();

        assertThat(log.linesContaining("pool 'logged' started")).singleElement().asString()
                .contains("INFO", "127.0.0.1:7", "max 3");
        assertThat(log.linesContaining("pool 'logged' closed")).singleElement().asString().contains("INFO");
    }

    @Test
    void backgroundDialsToADeadAddressWarnOnce() throws IOException {
        String dead;
        try (ServerSocket gone = new ServerSocket(0)) {
            dead = "127.0.0.1:" + gone.getLocalPort();
        }
        RecordingListener events = new RecordingListener();
        closer.using(PoolConnFactory.builder().name("dead").address(dead).minIdle(1).listener(events)
                .ttl(Duration.ofMillis(400)).build()); // ttl/4: a housekeeping pass, and a redial, every 100 ms
        await("a few failed background dials").atMost(Duration.ofSeconds(10))
                .until(() -> events.failures.size() >= 3);

        assertThat(log.linesContaining(dead + " is")).as("lines about the failing address").singleElement()
                .asString().contains("WARN", dead + " is failing", "Connection refused");
    }

    @Test
    void aClientClosingBetweenFramesIsNoWarning() throws Exception {
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", conn -> {
            for (;;) {
                conn.sendPkg(conn.recvPkg()); // the end of stream ends the handler, as in gtcp's examples
            }
        }).start());
        try (Conn client = Conn.connect("127.0.0.1:" + server.port())) {
            client.sendRecvPkg(new byte[]{1});
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        assertThat(log.linesContaining("WARN")).isEmpty();

        try (Socket midFrame = new Socket("127.0.0.1", server.port())) {
            OutputStream out = midFrame.getOutputStream();
            out.write(new byte[]{0, 5, 'h'}); // a header announcing 5 bytes, then only one
            out.flush();
        }
        await("a WARN for the frame cut short").atMost(Duration.ofSeconds(5))
                .until(() -> !log.linesContaining("WARN").isEmpty());
    }
}
