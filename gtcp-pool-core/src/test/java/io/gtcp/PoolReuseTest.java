package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static io.gtcp.PoolTestServer.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Borrow and return: gtcp's documented examples 1 and 2, and what makes a connection unfit for reuse. */
@Timeout(value = 30, unit = SECONDS)
class PoolReuseTest {

    @AutoClose
    private final Closer closer = new Closer();

    private PoolConnFactory factory(PoolConnFactory.Builder builder) {
        return closer.using(builder.build());
    }

    @Test
    void exampleOneReusesOneConnectionForTwentyExchanges() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        Set<Integer> localPorts = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (PoolConn conn = pool.get()) {
                assertThat(text(conn.sendRecvPkg(bytes("2018-07-11 23:29:" + i)))).isEqualTo("> 2018-07-11 23:29:" + i);
                localPorts.add(conn.localAddress().getPort());
                assertThat(conn.remoteAddress().getPort()).isEqualTo(server.port());
            }
        }

        assertThat(localPorts).hasSize(1);
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 0, 1, 1, 0, 0));
    }

    @Test
    void exampleTwoWithTheStaleCheckNeverFails() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.replyOnceThenClose());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address())
                .checkIdleAfter(Duration.ZERO));

        Set<Integer> localPorts = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            int port;
            try (PoolConn conn = pool.get()) {
                assertThat(text(conn.sendRecvPkg(bytes("tick " + i)))).isEqualTo("> tick " + i);
                port = conn.localAddress().getPort();
                localPorts.add(port);
            }
            assertThat(server.ended.poll(10, SECONDS)).isEqualTo(port); // the server has closed it
        }

        assertThat(localPorts).hasSize(6);
        assertThat(pool.stats().closed()).isEqualTo(5);
    }

    @Test
    void exampleTwoWithoutTheStaleCheckAlternatesReplyAndEofLikeGtcp() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.replyOnceThenClose());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()).validateOnBorrow(false));

        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (PoolConn conn = pool.get()) {
                outcomes.add(text(conn.sendRecvPkg(bytes("tick"))));
                assertThat(server.ended.poll(10, SECONDS)).isEqualTo(conn.localAddress().getPort());
            } catch (EOFException e) {
                outcomes.add("EOF");
            }
        }

        assertThat(outcomes).containsExactly("> tick", "EOF", "> tick", "EOF", "> tick", "EOF");
    }

    @Test
    void aConnectionWhoseOperationFailedIsClosedNotReused() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        int firstPort;
        try (PoolConn conn = pool.get()) {
            firstPort = conn.localAddress().getPort();
            // the echo server never sends an unsolicited frame: this times out and breaks the connection
            assertThatThrownBy(() -> conn.recvPkgWithTimeout(Duration.ofMillis(50)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(conn.isBroken()).isTrue();
        }
        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(firstPort);

        try (PoolConn conn = pool.get()) {
            assertThat(conn.localAddress().getPort()).isNotEqualTo(firstPort);
            assertThat(text(conn.sendRecvPkg(bytes("again")))).isEqualTo("> again");
        }
        assertThat(pool.stats()).extracting(PoolStats::created, PoolStats::closed, PoolStats::total)
                .containsExactly(2L, 1L, 1);
    }

    @Test
    void aCallerErrorLeavesTheConnectionHealthyAndPooled() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        int port;
        try (PoolConn conn = pool.get()) {
            port = conn.localAddress().getPort();
            assertThatThrownBy(() -> conn.sendPkg(new byte[70_000])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> conn.recvTill(new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThat(conn.isBroken()).isFalse();
        }
        try (PoolConn conn = pool.get()) {
            assertThat(conn.localAddress().getPort()).isEqualTo(port);
            assertThat(text(conn.sendRecvPkg(bytes("still in sync")))).isEqualTo("> still in sync");
        }
        assertThat(pool.stats().closed()).isZero();
    }

    @Test
    void aConnectionBorrowedAndClosedWithoutAnyOperationGoesBack() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        int port;
        try (PoolConn conn = pool.get()) {
            port = conn.localAddress().getPort();
        }
        try (PoolConn conn = pool.get()) {
            assertThat(conn.localAddress().getPort()).isEqualTo(port);
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::created).containsExactly(1, 1L);
    }

    @Test
    void unreadBytesOnReturnCloseTheConnection() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        int port;
        try (PoolConn conn = pool.get()) {
            port = conn.localAddress().getPort();
            conn.sendPkg(bytes("a reply of twelve bytes"));
            assertThat(conn.recv(1)).containsExactly(0); // first byte of the length header only
        }
        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(port);
        try (PoolConn conn = pool.get()) {
            assertThat(conn.localAddress().getPort()).isNotEqualTo(port);
            assertThat(text(conn.sendRecvPkg(bytes("fresh")))).isEqualTo("> fresh");
        }
    }

    @Test
    void useAfterCloseThrowsAndASecondCloseIsANoOp() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()));

        PoolConn first = pool.get();
        int port = first.localAddress().getPort();
        first.close();
        assertThat(first.isClosed()).isTrue();
        assertThatThrownBy(() -> first.sendPkg(bytes("late"))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThat(first.localAddress().getPort()).isEqualTo(port); // last known address

        try (PoolConn second = pool.get()) {
            assertThat(second.localAddress().getPort()).isEqualTo(port);
            first.close(); // a stale handle must not give the new borrower's connection back
            assertThatThrownBy(() -> first.recvPkg()).isInstanceOf(IOException.class);
            assertThat(pool.stats().active()).isEqualTo(1);
            assertThat(text(second.sendRecvPkg(bytes("mine")))).isEqualTo("> mine");
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active).containsExactly(1, 0);
    }

    @Test
    void twoThreadsClosingOneHandleAtOnceReturnItOnce() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address()).maxSize(2)
                .acquireTimeout(Duration.ofMillis(50)));
        java.util.concurrent.ExecutorService closers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 500; i++) {
                PoolConn conn = pool.get();
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Callable<Void> close = () -> {
                    together.await(10, SECONDS);
                    conn.close();
                    return null;
                };
                java.util.concurrent.Future<Void> one = closers.submit(close);
                java.util.concurrent.Future<Void> two = closers.submit(close);
                one.get(10, SECONDS);
                two.get(10, SECONDS);
            }
        } finally {
            closers.shutdownNow();
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::total)
                .containsExactly(1, 0, 1);
        // had a permit been released twice, a third borrower would get in beyond maxSize
        try (PoolConn a = pool.get(); PoolConn b = pool.get()) {
            assertThatThrownBy(pool::get).isInstanceOf(AcquireTimeoutException.class);
        }
    }

    @Test
    void reconnectOnSendReplacesAReusedConnectionWhoseFirstWriteFails() throws Exception {
        try (ResettingServer server = new ResettingServer()) {
            PoolConnFactory pool = factory(PoolConnFactory.builder().address(server.address())
                    .validateOnBorrow(false));
            RecordingListener events = new RecordingListener();
            pool.addListener(events);

            int firstPort;
            try (PoolConn conn = pool.get()) {
                assertThat(text(conn.sendRecvPkg(bytes("one")))).isEqualTo("> one");
                firstPort = conn.localAddress().getPort();
            }
            server.awaitReset(firstPort);

            try (PoolConn conn = pool.get()) {
                assertThat(conn.localAddress().getPort()).isEqualTo(firstPort);
                // the peer reset the pooled connection, so the first write fails and the pool redials
                assertThat(text(conn.sendRecvPkg(bytes("two")))).isEqualTo("> two");
                assertThat(conn.localAddress().getPort()).isNotEqualTo(firstPort);
                assertThat(conn.isBroken()).isFalse();
            }
            assertThat(events.closed).contains(CloseReason.REPLACED);
            assertThat(pool.stats()).extracting(PoolStats::created, PoolStats::total).containsExactly(2L, 1);
        }
    }

    /** Contract: a failed operation counts one failure of its endpoint, even when its reconnect dial failed too. */
    @Test
    void anOperationWhoseReconnectFailsCountsOneFailure() throws Exception {
        BlackHole hole = closer.using(BlackHole.notYetFull()); // a port this test owns throughout
        PoolConnFactory pool = factory(PoolConnFactory.builder().address(hole.address()).validateOnBorrow(false)
                .connectTimeout(Duration.ofMillis(300)));
        Socket peer;
        try (PoolConn conn = pool.get()) {
            conn.sendPkg(bytes("one"));
            peer = hole.acceptOne();
            DataInputStream in = new DataInputStream(peer.getInputStream());
            in.readFully(new byte[in.readUnsignedShort()]);
        }
        peer.setSoLinger(true, 0);
        peer.close(); // the peer resets the pooled connection
        hole.fill(); // and from now on a dial to the address times out

        try (PoolConn conn = pool.get()) { // the reset connection: its write fails, its reconnect dial times out
            assertThatThrownBy(() -> conn.sendRecvPkg(bytes("two"))).isInstanceOf(IOException.class);
        }
        assertThat(pool.endpoints()).singleElement().extracting(EndpointStatus::consecutiveFailures).isEqualTo(1);
    }

    @Test
    void theDefaultPoolOfNewPoolConnIsSharedByBothOverloads() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        int port;
        try (PoolConn conn = PoolConn.newPoolConn(server.address())) {
            assertThat(text(conn.sendRecvPkg(bytes("a")))).isEqualTo("> a");
            port = conn.localAddress().getPort();
        }
        try (PoolConn conn = PoolConn.newPoolConn(server.address(), Duration.ofSeconds(5))) {
            assertThat(conn.localAddress().getPort()).isEqualTo(port);
            assertThat(conn.address()).isEqualTo(server.address());
        }
        assertThat(server.accepted()).isEqualTo(1);
    }
}
