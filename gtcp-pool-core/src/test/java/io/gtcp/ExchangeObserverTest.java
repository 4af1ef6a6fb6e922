package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The exchange hook: each sendRecv* / sendRecvPkg* on a pooled connection is started and ended, nothing else. */
class ExchangeObserverTest {

    /** What the observer saw: "start pool address" and "end <failure class or ok>". */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final ExchangeObserver observer = (pool, address) -> {
        seen.add("start " + pool + " " + address);
        return failure -> seen.add("end " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
    };

    @Test
    void everyExchangeOfAPooledConnectionIsStartedAndEndedOnce() throws IOException {
        try (PoolTestServer server = PoolTestServer.echo();
             PoolConnFactory factory = PoolConnFactory.builder().name("orders").address(server.address())
                     .exchangeObserver(observer).build();
             PoolConn conn = factory.get()) {
            conn.sendRecvPkg(bytes("a"));
            conn.sendRecvPkgWithTimeout(bytes("b"), Duration.ofSeconds(5));
            conn.sendPkg(bytes("c"));
            conn.recvPkg();
            assertThat(seen).containsExactly("start orders " + server.address(), "end ok",
                    "start orders " + server.address(), "end ok");
        }
    }

    @Test
    void aFailedExchangeEndsWithWhatEndedIt() throws IOException {
        try (TcpServer hangUp = new TcpServer("127.0.0.1:0", conn -> conn.recvPkg()).start();
             PoolConnFactory factory = PoolConnFactory.builder().address("127.0.0.1:" + hangUp.port())
                     .exchangeObserver(observer).build();
             PoolConn conn = factory.get()) {
            assertThatExceptionOfType(EOFException.class).isThrownBy(() -> conn.sendRecvPkg(bytes("x")));
            assertThat(seen).containsExactly("start default 127.0.0.1:" + hangUp.port(), "end EOFException");
        }
    }

    @Test
    void aTimedOutExchangeEndsWithTheTimeout() throws IOException {
        try (TcpServer silent = new TcpServer("127.0.0.1:0", ExchangeObserverTest::neverReply).start();
             PoolConnFactory factory = PoolConnFactory.builder().address("127.0.0.1:" + silent.port())
                     .exchangeObserver(observer).build();
             PoolConn conn = factory.get()) {
            assertThatExceptionOfType(SocketTimeoutException.class)
                    .isThrownBy(() -> conn.sendRecvPkgWithTimeout(bytes("x"), Duration.ofMillis(100)));
            assertThat(seen).hasSize(2).last().asString().startsWith("end ").contains("Timeout");
        }
    }

    @Test
    void aPlainConnectionAndAFactoryWithoutObserverObserveNothing() throws IOException {
        try (PoolTestServer server = PoolTestServer.echo();
             PoolConnFactory factory = PoolConnFactory.builder().address(server.address()).build();
             PoolConn pooled = factory.get();
             Conn plain = Conn.connect(server.address())) {
            assertThat(pooled.exchangeStarted()).isSameAs(ExchangeObserver.Exchange.NONE);
            assertThat(plain.exchangeStarted()).isSameAs(ExchangeObserver.Exchange.NONE);
            assertThat(pooled.sendRecvPkg(bytes("a"))).isEqualTo(PoolTestServer.reply(bytes("a")));
        }
    }

    /** An observer that throws must change nothing in the pool: the place of its connection comes back. */
    @Test
    void anObserverThatThrowsLosesNoPlaceInThePool() throws IOException {
        ExchangeObserver throwsAtStart = (pool, address) -> {
            throw new IllegalStateException("observer broke at start");
        };
        ExchangeObserver throwsAtEnd = (pool, address) -> failure -> {
            throw new IllegalStateException("observer broke at end");
        };
        for (ExchangeObserver broken : List.of(throwsAtStart, throwsAtEnd)) {
            try (PoolTestServer server = PoolTestServer.echo();
                 PoolConnFactory factory = PoolConnFactory.builder().address(server.address()).maxSize(1)
                         .acquireTimeout(Duration.ofSeconds(2)).exchangeObserver(broken).build()) {
                for (int i = 0; i < 3; i++) {
                    try (PoolConn conn = factory.get()) {
                        assertThat(conn.sendRecvPkg(bytes("a"))).isEqualTo(PoolTestServer.reply(bytes("a")));
                    }
                }
                try (PoolConn conn = factory.get()) {
                    conn.close(); // nothing was in flight: the server side stays
                }
                // an exchange that fails with an IOException while the observer throws at its end
                server.close();
                try (PoolConn conn = factory.get()) {
                    assertThatExceptionOfType(IOException.class).isThrownBy(() -> conn.sendRecvPkg(bytes("b")));
                }
                assertThat(factory.stats().total()).isZero();
            }
        }
    }

    private static void neverReply(Conn conn) throws IOException {
        try {
            conn.recv(1 << 20);
        } catch (EOFException clientLeft) {
            // the end of the test
        }
    }
}
