package io.gtcp;

import io.gtcp.testing.Servers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an embedding (the Spring Boot starter) needs of {@link TcpServer}: its own thread factory for the
 * handlers (virtual threads), and a count of the connections accepted for its meters.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpServerThreadsTest {

    @Test
    void handlersRunOnTheGivenThreadFactorysThreads() throws IOException {
        List<String> handlerThreads = new CopyOnWriteArrayList<>();
        AtomicInteger made = new AtomicInteger();
        ConnHandler echo = Servers.pkgEcho(PkgOption.defaults());
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
            handlerThreads.add(Thread.currentThread().getName());
            echo.handle(conn);
        }).threadFactory(task -> {
            Thread thread = new Thread(task, "custom-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }).start()) {
            for (int i = 0; i < 2; i++) {
                try (Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
                    assertThat(conn.sendRecvPkg(ascii("hi"))).isNotEmpty();
                }
            }
            assertThat(handlerThreads).containsExactly("custom-1", "custom-2");
        }
    }

    @Test
    void aThreadFactoryThatGivesNoThreadDropsThatConnectionAndTheServerGoesOn() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults()))
                .threadFactory(task -> {
                    if (asked.incrementAndGet() == 1) {
                        return null;
                    }
                    Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                }).start()) {
            try (Conn dropped = Conn.connect("127.0.0.1:" + server.port())) {
                dropped.setDeadline(java.time.Instant.now().plusSeconds(10));
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> dropped.sendRecvPkg(ascii("hi")))).isInstanceOf(IOException.class);
            }
            try (Conn served = Conn.connect("127.0.0.1:" + server.port())) {
                assertThat(served.sendRecvPkg(ascii("hi"))).isNotEmpty();
            }
        }
    }

    @Test
    void acceptedCountsTheConnectionsTakenIntoServiceNotThoseOverTheCap() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults()))
                .maxConnections(1).start()) {
            assertThat(server.acceptedCount()).isZero();
            try (Conn first = Conn.connect("127.0.0.1:" + server.port())) {
                assertThat(first.sendRecvPkg(ascii("hi"))).isNotEmpty();
                try (Conn over = Conn.connect("127.0.0.1:" + server.port())) {
                    over.setDeadline(java.time.Instant.now().plusSeconds(10));
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(
                            () -> over.sendRecvPkg(ascii("hi")))).isInstanceOf(IOException.class);
                }
                assertThat(server.acceptedCount()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
            try (Conn again = Conn.connect("127.0.0.1:" + server.port())) {
                assertThat(again.sendRecvPkg(ascii("hi"))).isNotEmpty();
            }
            assertThat(server.acceptedCount()).isEqualTo(2);
        }
    }
}
