package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.CloseReason;
import io.gtcp.Conn;
import io.gtcp.PkgOption;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that lie: a frame header announcing gigabytes, garbage instead of frames, more connections than a server
 * serves. A lie must cost memory in proportion to the bytes that actually arrived, fail cleanly with an
 * {@link IOException}, and take down only the connection it came on.
 */
@Timeout(value = 30, unit = SECONDS)
class HostileInputTest {

    private static final PkgOption FOUR_BYTE_HEADER = PkgOption.headerSize(4);
    /** What reading a frame may allocate, whatever its header says: "kilobytes, not gigabytes". */
    private static final long ALLOCATION_LIMIT = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void allocationIsMeasurable() {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    // ------------------------------------------------------------------ the pool's side

    @Test
    void twoGibibyteFrameWithThreeBytesBehindCostsKilobytesAndFailsWithEof() throws IOException {
        PoolEvents reasons = new PoolEvents();
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PoolConnFactory pool = pool(peer, TIMEOUT).listener(reasons).build();
             PoolConn conn = pool.get();
             Socket server = peer.accept()) {
            // 2 GiB - 1, the largest a 4-byte header may announce, then three bytes, then the end
            write(server, 0x7F, 0xFF, 0xFF, 0xFF, 'a', 'b', 'c');
            server.shutdownOutput();

            long before = THREADS.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> conn.recvPkg(FOUR_BYTE_HEADER)).isInstanceOf(EOFException.class)
                    .hasMessageContaining("after 3 of 2147483647 bytes");
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            System.out.println("reading a frame announced as 2 GiB allocated " + allocated + " bytes");
            assertThat(allocated).isLessThan(ALLOCATION_LIMIT);
            assertThat(conn.isBroken()).isTrue();
        }
        assertThat(reasons.closed).containsExactly(CloseReason.BROKEN);
    }

    @Test
    void twoGibibyteFrameWithThreeBytesAndThenSilenceTimesOutCheaply() throws IOException {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PoolConnFactory pool = pool(peer, Duration.ofMillis(500)).build();
             PoolConn conn = pool.get();
             Socket server = peer.accept()) {
            write(server, 0x7F, 0xFF, 0xFF, 0xFF, 'a', 'b', 'c'); // and nothing more, ever

            long before = THREADS.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> conn.recvPkg(FOUR_BYTE_HEADER)).isInstanceOf(SocketTimeoutException.class);
            assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isLessThan(ALLOCATION_LIMIT);
            assertThat(conn.isBroken()).isTrue();
        }
    }

    @Test
    void frameOfExactlyTwoGibibytesIsRefusedAtTheHeader() throws IOException {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PoolConnFactory pool = pool(peer, TIMEOUT).build();
             PoolConn conn = pool.get();
             Socket server = peer.accept()) {
            write(server, 0x80, 0x00, 0x00, 0x00, 'a', 'b', 'c'); // 2^31: more than a 4-byte header may announce

            assertThatThrownBy(() -> conn.recvPkg(FOUR_BYTE_HEADER)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("invalid package size 2147483648");
            assertThat(conn.isBroken()).isTrue();
        }
    }

    // ------------------------------------------------------------------ a TcpServer's side

    @Test
    void garbageAndOversizedFramesFailOnlyTheirOwnConnection() throws Exception {
        Queue<IOException> serverFailures = new ConcurrentLinkedQueue<>();
        Queue<Long> allocatedByFailedReads = new ConcurrentLinkedQueue<>();
        TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
            for (;;) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                byte[] request;
                try {
                    request = conn.recvPkg(FOUR_BYTE_HEADER);
                } catch (IOException e) {
                    allocatedByFailedReads.add(THREADS.getCurrentThreadAllocatedBytes() - before);
                    serverFailures.add(e);
                    throw e;
                }
                conn.sendPkg(EchoServer.reply(request), FOUR_BYTE_HEADER);
            }
        }).start();
        String address = "127.0.0.1:" + server.port();
        try (server; Conn regular = Conn.connect(address)) {
            exchange(regular, "before");

            List<int[]> attacks = List.of(
                    new int[] {0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01},           // garbage: 3.7 GB announced
                    new int[] {0x80, 0x00, 0x00, 0x00, 'x'},                  // 2 GiB: over the 4-byte maximum
                    new int[] {0x7F, 0xFF, 0xFF, 0xFF, 'a', 'b', 'c'});       // 2 GiB - 1 with 3 bytes, then EOF
            List<Socket> attackers = new ArrayList<>();
            for (int[] attack : attacks) {
                Socket attacker = new Socket(InetAddress.getLoopbackAddress(), server.port());
                attackers.add(attacker);
                write(attacker, attack);
                attacker.shutdownOutput();
            }
            for (Socket attacker : attackers) {
                attacker.setSoTimeout((int) TIMEOUT.toMillis());
                assertThat(readToEnd(attacker)).as("what the server sent an attacker before closing").isEmpty();
                attacker.close();
            }

            await().atMost(TIMEOUT).until(() -> serverFailures.size() == 3 && server.connectionCount() == 1);
            assertThat(serverFailures).hasAtLeastOneElementOfType(ProtocolException.class)
                    .hasAtLeastOneElementOfType(EOFException.class);
            assertThat(allocatedByFailedReads).allSatisfy(bytes -> assertThat(bytes).isLessThan(ALLOCATION_LIMIT));

            exchange(regular, "after"); // the connection that kept to the protocol is still served…
            try (Conn newcomer = Conn.connect(address)) {
                exchange(newcomer, "newcomer"); // …and so are new ones
            }
        }
    }

    @Test
    void serverOverItsConnectionLimitRefusesTheExcessCleanly() throws IOException {
        TcpServer server = new TcpServer("127.0.0.1:0", HostileInputTest::echo).maxConnections(2).start();
        String address = "127.0.0.1:" + server.port();
        try (server; Conn second = Conn.connect(address)) {
            Conn first = Conn.connect(address);
            try {
                exchange(first, "first");
                exchange(second, "second");
                assertThat(server.connectionCount()).isEqualTo(2);

                try (Conn third = Conn.connect(address)) {
                    // refused: closed by the server as soon as it was accepted, so the exchange fails at once with
                    // an end of stream or, when the request reached the closed socket first, a reset; never a
                    // timeout
                    assertThatThrownBy(() -> third.sendRecvPkgWithTimeout(bytes("third"), TIMEOUT, FOUR_BYTE_HEADER))
                            .isInstanceOfAny(EOFException.class, SocketException.class)
                            .isNotInstanceOf(SocketTimeoutException.class);
                }
                exchange(first, "first again");
                assertThat(server.connectionCount()).isEqualTo(2);
            } finally {
                first.close();
            }

            await().atMost(TIMEOUT).until(() -> server.connectionCount() == 1);
            try (Conn fourth = Conn.connect(address)) {
                exchange(fourth, "fourth"); // a place came free
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static PoolConnFactory.Builder pool(ServerSocket peer, Duration readTimeout) {
        return PoolConnFactory.builder().address("127.0.0.1:" + peer.getLocalPort()).readTimeout(readTimeout)
                .writeTimeout(TIMEOUT).acquireTimeout(TIMEOUT).connectTimeout(TIMEOUT);
    }

    private static void echo(Conn conn) throws IOException {
        try {
            for (;;) {
                conn.sendPkg(EchoServer.reply(conn.recvPkg(FOUR_BYTE_HEADER)), FOUR_BYTE_HEADER);
            }
        } catch (EOFException clientLeft) {
            // done
        }
    }

    private static void exchange(Conn conn, String text) throws IOException {
        byte[] request = bytes(text);
        assertThat(conn.sendRecvPkgWithTimeout(request, TIMEOUT, FOUR_BYTE_HEADER)).isEqualTo(EchoServer.reply(request));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Socket socket, int... bytes) throws IOException {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        OutputStream out = socket.getOutputStream();
        out.write(raw);
        out.flush();
    }

    /** Everything the peer sends until it closes; a reset counts as the end too. */
    private static byte[] readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }
}
