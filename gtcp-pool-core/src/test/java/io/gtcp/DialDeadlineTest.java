package io.gtcp;

import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.DialAbort;
import io.gtcp.internal.io.Dialer;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.io.Resolver;
import io.gtcp.testing.DripRelay;
import io.gtcp.testing.Servers;
import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connect timeout is a budget for the whole dial (issue 10.2): name resolution, TCP connect and TLS
 * handshake together, however the time is spent. A relay that drips the server's handshake a byte at a time
 * keeps every single read short, so only a deadline over the whole handshake ends it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DialDeadlineTest {

    @Test
    void aTlsHandshakeDrippedByARelayEndsAtTheConnectTimeoutNotAfterEveryByte() throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo(), TestTls.server("server.p12")).start();
             DripRelay relay = DripRelay.start(server.port(), Duration.ofMillis(10))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Conn.connectTls("localhost:" + relay.port(), TestTls.client(),
                    Duration.ofSeconds(1)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("localhost:" + relay.port())
                    .hasMessageContaining("handshake");
            // the handshake takes many seconds at this pace; a generous bound far below that
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTlsHandshakeWithinTheConnectTimeoutSucceedsThroughTheSameRelay() throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo(), TestTls.server("server.p12")).start();
             DripRelay relay = DripRelay.start(server.port(), Duration.ZERO);
             Conn conn = Conn.connectTls("localhost:" + relay.port(), TestTls.client(), Duration.ofSeconds(10))) {
            assertThat(conn.sendRecv(ascii("hi"), 2)).isEqualTo(ascii("hi"));
        }
    }

    @Test
    void aDialByADeadlineAlreadyPassedFailsAtOnceWithATimeout() throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo()).start()) {
            String address = "127.0.0.1:" + server.port();
            InetSocketAddress target = Resolver.resolve(address);
            assertThatThrownBy(() -> Dialer.connectBy(address, target, System.nanoTime() - 1, null, DialAbort.NEVER))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining(address);
            try (Link link = Dialer.connectBy(address, target, Deadlines.after(System.nanoTime(), 5_000_000_000L),
                    null, DialAbort.NEVER)) {
                assertThat(link.isOpen()).isTrue();
            }
        }
    }

    @Test
    void resolvingAHostNameIsBoundedByTheDeadlineAndTheTimeoutNamesTheHost() throws IOException {
        assertThatThrownBy(() -> Resolver.resolve("localhost:8999", System.nanoTime() - 1))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("'localhost'");
        InetSocketAddress resolved = Resolver.resolve("localhost:8999", Deadlines.after(System.nanoTime(),
                10_000_000_000L));
        assertThat(resolved.isUnresolved()).isFalse();
        assertThat(resolved.getPort()).isEqualTo(8999);
        assertThat(Resolver.resolve("127.0.0.1:1", System.nanoTime() - 1).getAddress().isLoopbackAddress())
                .as("a literal address needs no lookup, so no deadline can pass during it")
                .isTrue();
    }
}
