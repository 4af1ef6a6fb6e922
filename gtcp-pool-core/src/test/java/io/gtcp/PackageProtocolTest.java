package io.gtcp;

import io.gtcp.testing.RawPeer;
import io.gtcp.testing.Servers;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ProtocolException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.concat;
import static io.gtcp.testing.Bytes.hex;
import static io.gtcp.testing.Bytes.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The package protocol on the wire: golden bytes for every header size (what {@code sendPkg} writes, captured by
 * a raw {@link java.net.ServerSocket}; hand-made frames fed to {@code recvPkg}), gtcp's own scenarios (100
 * sequential frames, the 65535/65536 limit, a 65500-byte frame, header sizes 1/3/4/5), caller errors raised
 * before any byte is written, and hostile incoming lengths.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PackageProtocolTest {

    /** Sends with {@code option} to a capturing peer, closes, and returns every byte the peer received. */
    private static byte[] wireBytesOf(byte[] payload, PkgOption... option) throws IOException {
        try (RawPeer peer = RawPeer.capturing()) {
            try (Conn conn = Conn.connect(peer.address())) {
                conn.sendPkg(payload, option);
            }
            int headerSize = option.length == 0 || option[0] == null ? 2 : option[0].effectiveHeaderSize();
            peer.awaitCaptured(headerSize + payload.length);
            return peer.captured();
        }
    }

    /** A peer that writes {@code bytes} in one write and then waits for the client to close. */
    private static RawPeer sending(byte[] bytes) throws IOException {
        return RawPeer.start(socket -> {
            socket.getOutputStream().write(bytes);
            RawPeer.discardUntilEof(socket);
        });
    }

    /** The payload "hello" framed with each header size, as gtcp writes it. */
    static Stream<Arguments> helloOnTheWire() {
        return Stream.of(Arguments.of(1, "05 68656c6c6f"), Arguments.of(2, "0005 68656c6c6f"),
                Arguments.of(3, "000005 68656c6c6f"), Arguments.of(4, "00000005 68656c6c6f"));
    }

    @ParameterizedTest(name = "header size {0}")
    @MethodSource("helloOnTheWire")
    void sendPkgWritesTheLengthBigEndianThenThePayload(int headerSize, String wire) throws IOException {
        assertThat(wireBytesOf(ascii("hello"), PkgOption.headerSize(headerSize))).isEqualTo(hex(wire));
    }

    @ParameterizedTest(name = "header size {0}")
    @MethodSource("helloOnTheWire")
    void recvPkgReadsAHandMadeFrame(int headerSize, String wire) throws IOException {
        try (RawPeer peer = sending(hex(wire));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvPkg(PkgOption.headerSize(headerSize))).isEqualTo(ascii("hello"));
        }
    }

    @Test
    void theDefaultHeaderIsTwoBytes() throws IOException {
        assertThat(wireBytesOf(ascii("hello"))).isEqualTo(hex("0005 68656c6c6f"));
        assertThat(wireBytesOf(ascii("hello"), PkgOption.defaults())).isEqualTo(hex("0005 68656c6c6f"));
        assertThat(wireBytesOf(ascii("hello"), new PkgOption(0, 0, null))).isEqualTo(hex("0005 68656c6c6f"));
        assertThat(wireBytesOf(ascii("hello"), (PkgOption) null)).isEqualTo(hex("0005 68656c6c6f"));
    }

    @Test
    void lengthsWiderThanOneByteAreBigEndian() throws IOException {
        byte[] payload = pattern(300);
        assertThat(wireBytesOf(payload)).isEqualTo(concat(hex("012c"), payload));
        assertThat(wireBytesOf(payload, PkgOption.headerSize(3))).isEqualTo(concat(hex("00012c"), payload));
        assertThat(wireBytesOf(payload, PkgOption.headerSize(4))).isEqualTo(concat(hex("0000012c"), payload));
        assertThatThrownBy(() -> wireBytesOf(payload, PkgOption.headerSize(1)))
                .as("300 > 255").isInstanceOf(IllegalArgumentException.class);
        byte[] big = pattern(0x01_02_03);
        assertThat(Arrays.copyOf(wireBytesOf(big, PkgOption.headerSize(4)), 4)).isEqualTo(hex("00010203"));
    }

    @Test
    void anEmptyPayloadIsJustTheHeader() throws IOException {
        assertThat(wireBytesOf(new byte[0])).isEqualTo(hex("0000"));
        assertThat(wireBytesOf(new byte[0], PkgOption.headerSize(1))).isEqualTo(hex("00"));
    }

    @Test
    void aFrameGoesOutInOneWrite() throws Exception {
        // one write of a small frame is one segment on loopback, so one read sees the whole frame; a frame
        // written as header and payload separately (with TCP_NODELAY on) would show up as two segments
        AtomicReference<byte[]> firstRead = new AtomicReference<>();
        CountDownLatch read = new CountDownLatch(1);
        byte[] payload = pattern(1000);
        try (RawPeer peer = RawPeer.start(socket -> {
                 byte[] chunk = new byte[64 * 1024];
                 int n = socket.getInputStream().read(chunk);
                 firstRead.set(Arrays.copyOf(chunk, Math.max(n, 0)));
                 read.countDown();
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            conn.sendPkg(payload);
            assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(firstRead.get()).isEqualTo(concat(hex("03e8"), payload));
        }
    }

    @Test
    void aHundredSequentialFramesEchoInOrder() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults())).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            for (int i = 0; i < 100; i++) {
                byte[] data = ascii("frame " + i);
                assertThat(conn.sendRecvPkg(data)).isEqualTo(data);
            }
        }
    }

    @Test
    void aFrameOf65535BytesIsTheLargestWithTheDefaultHeader() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults())).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            byte[] largest = pattern(65535);
            assertThat(conn.sendRecvPkg(largest)).isEqualTo(largest);
        }
    }

    @Test
    void aFrameOf65536BytesIsRejectedBeforeAnythingIsWritten() throws IOException {
        try (RawPeer peer = RawPeer.capturing()) {
            try (Conn conn = Conn.connect(peer.address())) {
                assertThatThrownBy(() -> conn.sendPkg(new byte[65536])).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> conn.sendRecvPkg(new byte[65536]))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> conn.sendPkg(new byte[256], PkgOption.headerSize(1)))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> conn.sendPkg(new byte[11], PkgOption.headerSize(2).withMaxDataSize(10)))
                        .isInstanceOf(IllegalArgumentException.class);
                conn.sendPkg(ascii("ok")); // the connection is still good, and this is the first thing on the wire
            }
            assertThat(peer.awaitCaptured(4)).isEqualTo(hex("0002 6f6b"));
        }
    }

    @Test
    void a65500ByteFrameArrivesWhole() throws IOException {
        byte[] data = pattern(65500);
        byte[] start = ascii("<start>");
        byte[] end = ascii("<end>");
        System.arraycopy(start, 0, data, 0, start.length);
        System.arraycopy(end, 0, data, data.length - end.length, end.length);
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults())).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            byte[] echoed = conn.sendRecvPkg(data);
            assertThat(Arrays.copyOf(echoed, start.length)).isEqualTo(start);
            assertThat(Arrays.copyOfRange(echoed, echoed.length - end.length, echoed.length)).isEqualTo(end);
            assertThat(echoed).isEqualTo(data);
        }
    }

    @ParameterizedTest(name = "header size {0}, {1} bytes")
    @CsvSource({"1, 255", "1, 0", "3, 70000", "4, 200000"})
    void otherHeaderSizesCarryFramesBothWays(int headerSize, int length) throws IOException {
        PkgOption option = PkgOption.headerSize(headerSize);
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.pkgEcho(option)).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            byte[] data = pattern(length);
            assertThat(conn.sendRecvPkg(data, option)).isEqualTo(data);
            conn.sendPkg(data, option);
            assertThat(conn.recvPkg(option)).isEqualTo(data);
        }
    }

    @ParameterizedTest(name = "header size {0}")
    @ValueSource(ints = {5, 8, -1})
    void aHeaderSizeOutsideOneToFourIsRejectedBeforeAnyIo(int headerSize) throws IOException {
        PkgOption bad = PkgOption.headerSize(headerSize);
        try (RawPeer peer = RawPeer.capturing()) {
            try (Conn conn = Conn.connect(peer.address())) {
                assertThatThrownBy(() -> conn.sendPkg(ascii("x"), bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> conn.sendRecvPkg(ascii("x"), bad))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> conn.recvPkg(bad)).isInstanceOf(IllegalArgumentException.class);
                conn.sendPkg(ascii("ok"));
            }
            assertThat(peer.awaitCaptured(4)).isEqualTo(hex("0002 6f6b"));
        }
    }

    @ParameterizedTest(name = "header size {0}, max {1}")
    @CsvSource({"1, 256", "2, 65536", "3, 16777216", "2, -1"})
    void aMaxDataSizeTheHeaderCannotEncodeIsRejected(int headerSize, int maxDataSize) throws IOException {
        PkgOption bad = new PkgOption(headerSize, maxDataSize, null);
        try (RawPeer peer = sending(hex("0001 61"));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.sendPkg(ascii("x"), bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> conn.recvPkg(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThat(conn.recvPkg()).as("nothing was read by the rejected call").isEqualTo(ascii("a"));
        }
    }

    @Test
    void theDefaultMaximumIsTheLargestLengthEachHeaderEncodes() {
        assertThat(PkgOption.defaults().effectiveHeaderSize()).isEqualTo(2);
        assertThat(PkgOption.defaults().effectiveMaxDataSize()).isEqualTo(65535);
        assertThat(PkgOption.headerSize(1).effectiveMaxDataSize()).isEqualTo(255);
        assertThat(PkgOption.headerSize(2).effectiveMaxDataSize()).isEqualTo(65535);
        assertThat(PkgOption.headerSize(3).effectiveMaxDataSize()).isEqualTo(0xFFFFFF);
        assertThat(PkgOption.headerSize(4).effectiveMaxDataSize()).isEqualTo(0x7FFFFFFF);
        assertThat(PkgOption.defaults().effectiveRetry()).isEqualTo(Retry.NONE);
    }

    @Test
    void anIncomingLengthOverTheMaximumIsAProtocolException() throws IOException {
        try (RawPeer peer = sending(concat(hex("000b"), ascii("hello world")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvPkg(PkgOption.headerSize(2).withMaxDataSize(10)))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("11");
        }
        // 0x80000000 does not even fit a Java array: over the 4-byte header's maximum
        try (RawPeer peer = sending(hex("80000000"));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvPkg(PkgOption.headerSize(4))).isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aHostileLengthWithThreeBytesBehindItEndsInEofWithoutAllocatingIt() throws IOException {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(hex("7ffffff0 616263")));
             Conn conn = Conn.connect(peer.address())) {
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> conn.recvPkg(PkgOption.headerSize(4))).isInstanceOf(EOFException.class);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // ~2 GiB announced; what this thread allocated (buffers, exception, stack trace) stays under 1 MiB
            assertThat(allocated).isLessThan(1024 * 1024);
        }
    }

    @Test
    void aHostileLengthCostsMemoryInProportionToTheBytesThatArrive() throws IOException {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        byte[] arriving = pattern(1_000_000);
        try (RawPeer peer = RawPeer.start(socket -> {
                 socket.getOutputStream().write(hex("7ffffff0"));
                 socket.getOutputStream().write(arriving);
             });
             Conn conn = Conn.connect(peer.address())) {
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> conn.recvPkg(PkgOption.headerSize(4))).isInstanceOf(EOFException.class);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // the array doubles as bytes arrive: at most a few times the 1 MB that came, far from 2 GiB
            assertThat(allocated).isLessThan(8L * arriving.length);
        }
    }

    @Test
    void aFrameCutShortByTheEndOfStreamIsAnEofException() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(hex("0005 6865")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(conn::recvPkg).isInstanceOf(EOFException.class);
        }
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(hex("00")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(conn::recvPkg).as("half a header").isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aFrameSplitAcrossWritesIsReassembled() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> {
                 socket.setTcpNoDelay(true);
                 for (byte[] part : new byte[][] {hex("00"), hex("05 68"), ascii("ell"), ascii("o")}) {
                     socket.getOutputStream().write(part);
                     Thread.sleep(20); // a slow sender: the parts arrive one by one
                 }
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvPkg()).isEqualTo(ascii("hello"));
        }
    }

    @Test
    void aFrameOver64KiBArrivingInUnevenPiecesIsReassembledInOrder() throws IOException {
        // The first piece ends 336 bytes short of 64 KiB of payload, so the reader tops up through its
        // 512-byte buffer and is left holding the next bytes there when its array grows past 64 KiB; those
        // bytes must come first. (A TLS connection hits this all the time: its reads end at record boundaries.)
        byte[] payload = pattern(70_000);
        try (RawPeer peer = RawPeer.start(socket -> {
                 socket.getOutputStream().write(concat(hex("00011170"), Arrays.copyOf(payload, 65_200)));
                 Thread.sleep(200); // the rest comes later, as from a slow sender
                 socket.getOutputStream().write(Arrays.copyOfRange(payload, 65_200, payload.length));
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvPkgWithTimeout(java.time.Duration.ofSeconds(5), PkgOption.headerSize(4)))
                    .isEqualTo(payload);
        }
    }

    @Test
    void sendRecvPkgUsesTheSameOptionBothWays() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> {
                 InputStream in = socket.getInputStream();
                 byte[] request = RawPeer.readExactly(in, 3 + 4);
                 assertThat(request).isEqualTo(hex("000004 70696e67"));
                 socket.getOutputStream().write(hex("000004 706f6e67"));
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.sendRecvPkg(ascii("ping"), PkgOption.headerSize(3))).isEqualTo(ascii("pong"));
        }
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
