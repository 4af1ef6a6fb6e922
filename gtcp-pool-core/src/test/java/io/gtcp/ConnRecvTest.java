package io.gtcp;

import io.gtcp.testing.RawPeer;
import io.gtcp.testing.Servers;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.concat;
import static io.gtcp.testing.Bytes.hex;
import static io.gtcp.testing.Bytes.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Conn}'s receive semantics, ported from gtcp's own suite: exact, one-read and "what is available"
 * receives, line and delimiter reads, and the shared read buffer that keeps bytes arriving with a previous reply.
 * The peers are raw sockets (or gtcp's echo server) on loopback.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnRecvTest {

    /** A peer that writes {@code parts} one write each, pausing between them as a slow sender would. */
    private static RawPeer writing(byte[]... parts) throws IOException {
        return RawPeer.start(socket -> {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    Thread.sleep(30); // a sender that is slower than the reader: the parts arrive separately
                }
                out.write(parts[i]);
                out.flush();
            }
            socket.getInputStream().read(); // stay open until the client closes
        });
    }

    @Test
    void sendAndRecvExchangeBytesWithAnEchoServer() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.echo()).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            for (int i = 0; i < 10; i++) {
                byte[] data = ascii("hello " + i);
                conn.send(data);
                assertThat(conn.recv(data.length)).isEqualTo(data);
            }
        }
    }

    @Test
    void recvOfPositiveLengthGathersBytesSplitAcrossSeveralWrites() throws IOException {
        try (RawPeer peer = writing(ascii("he"), ascii("ll"), ascii("o wor"), ascii("ld"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recv(11)).isEqualTo(ascii("hello world"));
        }
    }

    @Test
    void recvOfPositiveLengthLargerThanTheBufferGathersManyWrites() throws IOException {
        byte[] data = pattern(10_000);
        byte[][] parts = new byte[10][];
        for (int i = 0; i < 10; i++) {
            parts[i] = Arrays.copyOfRange(data, i * 1000, (i + 1) * 1000);
        }
        try (RawPeer peer = writing(parts);
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recv(10_000)).isEqualTo(data);
        }
    }

    @Test
    void recvOfPositiveLengthLeavesTheRestForTheNextCall() throws IOException {
        try (RawPeer peer = writing(ascii("abcdefgh"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recv(2)).isEqualTo(ascii("ab"));
            assertThat(conn.recv(3)).isEqualTo(ascii("cde"));
            assertThat(conn.recv(3)).isEqualTo(ascii("fgh"));
        }
    }

    @Test
    void recvOfZeroReturnsWhatOneReadGives() throws IOException {
        try (RawPeer peer = writing(ascii("hello"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recv(0)).isEqualTo(ascii("hello"));
        }
    }

    @Test
    void recvOfZeroReturnsAtMostOneBufferAndKeepsTheRest() throws IOException {
        byte[] data = pattern(2000);
        try (RawPeer peer = writing(data);
             Conn conn = Conn.connect(peer.address())) {
            byte[] first = conn.recv(0);
            assertThat(first.length).isBetween(1, 512);
            assertThat(first).isEqualTo(Arrays.copyOf(data, first.length));
            byte[] rest = conn.recv(data.length - first.length);
            assertThat(concat(first, rest)).isEqualTo(data);
        }
    }

    @Test
    void recvOfMinusOneReturnsAShortMessage() throws IOException {
        try (RawPeer peer = writing(ascii("hello"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recv(-1)).isEqualTo(ascii("hello"));
        }
    }

    @Test
    void recvOfMinusOneReadsAMessageLargerThanItsBufferThatArrivedInOneGo() throws Exception {
        byte[] data = pattern(5000);
        CountDownLatch written = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> {
                 socket.getOutputStream().write(data);
                 written.countDown();
                 socket.getInputStream().read();
             });
             Conn conn = Conn.connect(peer.address())) {
            // the whole message is in the socket before the read starts: recv(-1) must take all of it
            assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(conn.recv(-1)).isEqualTo(data);
        }
    }

    @Test
    void setBufferWaitRecvLetsRecvOfMinusOneWaitForTheRestOfAMessage() throws IOException {
        byte[] head = pattern(512); // fills the read buffer exactly, so recv(-1) looks for more
        byte[] tail = ascii("the rest");
        try (RawPeer peer = writing(head, tail);
             Conn conn = Conn.connect(peer.address())) {
            conn.setBufferWaitRecv(java.time.Duration.ofSeconds(10));
            assertThat(conn.recv(-1)).isEqualTo(concat(head, tail));
        }
    }

    @Test
    void twoFramesArrivingInOneWriteAreReadByTwoRecvPkgCalls() throws IOException {
        try (RawPeer peer = writing(concat(hex("00 03"), ascii("one"),
                     hex("00 03"), ascii("two")));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvPkg()).isEqualTo(ascii("one"));
            assertThat(conn.recvPkg()).isEqualTo(ascii("two"));
        }
    }

    @Test
    void bytesAfterALineInTheSameWriteAreKeptForTheNextRead() throws IOException {
        try (RawPeer peer = writing(ascii("first line\r\nrest"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvLine()).isEqualTo(ascii("first line\r"));
            assertThat(conn.recv(4)).isEqualTo(ascii("rest"));
        }
    }

    @Test
    void everyReceiveVariantSharesTheBufferedBytes() throws IOException {
        byte[] all = concat(ascii("line\n"), ascii("a;b;"), hex("00 02"), ascii("pk"),
                ascii("xyz"), ascii("tail"));
        try (RawPeer peer = writing(all);
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvLine()).isEqualTo(ascii("line"));
            assertThat(conn.recvTill(ascii(";"))).isEqualTo(ascii("a;"));
            assertThat(conn.recvTill(ascii(";"))).isEqualTo(ascii("b;"));
            assertThat(conn.recvPkg()).isEqualTo(ascii("pk"));
            assertThat(conn.recv(3)).isEqualTo(ascii("xyz"));
            assertThat(conn.recv(0)).isEqualTo(ascii("tail"));
        }
    }

    @Test
    void recvLineKeepsACarriageReturnAndDropsTheNewline() throws IOException {
        try (RawPeer peer = writing(ascii("a\r\n"), ascii("\n"), ascii("b\n"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvLine()).isEqualTo(ascii("a\r"));
            assertThat(conn.recvLine()).isEmpty();
            assertThat(conn.recvLine()).isEqualTo(ascii("b"));
        }
    }

    @Test
    void recvLineReadsALineLongerThanTheBufferFromSeveralWrites() throws IOException {
        byte[] text = new byte[3000];
        Arrays.fill(text, (byte) 'x');
        try (RawPeer peer = writing(Arrays.copyOf(text, 1000), Arrays.copyOfRange(text, 1000, 3000),
                ascii("\nnext\n"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvLine()).isEqualTo(text);
            assertThat(conn.recvLine()).isEqualTo(ascii("next"));
        }
    }

    @Test
    void recvTillIncludesTheDelimiterAndKeepsWhatFollows() throws IOException {
        try (RawPeer peer = writing(ascii("key=value--END--more"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvTill(ascii("--END--"))).isEqualTo(ascii("key=value--END--"));
            assertThat(conn.recv(4)).isEqualTo(ascii("more"));
        }
    }

    @Test
    void recvTillFindsADelimiterSplitAcrossWritesAndTheBufferBoundary() throws IOException {
        byte[] body = new byte[510];
        Arrays.fill(body, (byte) '.');
        // 510 bytes + "<E" fill the 512-byte buffer; "ND>" arrives in a later write
        try (RawPeer peer = writing(concat(body, ascii("<E")), ascii("ND>"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvTill(ascii("<END>"))).isEqualTo(concat(body, ascii("<END>")));
        }
    }

    @Test
    void recvTillDoesNotMatchAPartialDelimiter() throws IOException {
        try (RawPeer peer = writing(ascii("ab<EN"), ascii("<END>"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvTill(ascii("<END>"))).isEqualTo(ascii("ab<EN<END>"));
        }
    }

    @Test
    void recvTillFindsADelimiterLongerThanTheBuffer() throws IOException {
        byte[] til = new byte[700];
        Arrays.fill(til, (byte) '=');
        til[til.length - 1] = '|';
        byte[] almost = Arrays.copyOf(til, 699); // the delimiter but its last byte: no match
        byte[] sent = concat(ascii("head"), almost, ascii("x"), til, ascii("tail"));
        try (RawPeer peer = writing(Arrays.copyOf(sent, 300), Arrays.copyOfRange(sent, 300, sent.length));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvTill(til)).isEqualTo(concat(ascii("head"), almost, ascii("x"), til));
            assertThat(conn.recv(4)).isEqualTo(ascii("tail"));
        }
    }

    @Test
    void recvTillFindsADelimiterThatOverlapsItsOwnPrefix() throws IOException {
        try (RawPeer peer = writing(ascii("aaab"), ascii("ababc"));
             Conn conn = Conn.connect(peer.address())) {
            assertThat(conn.recvTill(ascii("ab"))).isEqualTo(ascii("aaab"));
            assertThat(conn.recvTill(ascii("abc"))).isEqualTo(ascii("ababc"));
        }
    }

    @Test
    void recvTillWithoutADelimiterIsRejected() throws IOException {
        try (RawPeer peer = writing(ascii("x"));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvTill(new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> conn.recvTill(null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(conn.recv(1)).isEqualTo(ascii("x")); // nothing was read
        }
    }

    @Test
    void sendRecvSendsThenReceivesTheReply() throws IOException {
        try (TcpServer server = new TcpServer("127.0.0.1:0", Servers.prefixLines()).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            assertThat(conn.sendRecv(ascii("ping\n"), 7)).isEqualTo(ascii("> ping\n"));
            assertThat(conn.sendRecv(ascii("again\n"), -1)).isEqualTo(ascii("> again\n"));
        }
    }

    @Test
    void endOfStreamIsAnEofExceptionForEveryReceiveVariant() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> { }); // closes at once
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> conn.recv(0)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> conn.recv(-1)).isInstanceOf(EOFException.class);
            assertThatThrownBy(conn::recvLine).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> conn.recvTill(ascii("x"))).isInstanceOf(EOFException.class);
            assertThatThrownBy(conn::recvPkg).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void endOfStreamInTheMiddleOfAnExactReadIsAnEofException() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(ascii("abc")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recv(10)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void addressesNameBothEndsAndStillAnswerAfterClose() throws Exception {
        AtomicReference<InetSocketAddress> seenByPeer = new AtomicReference<>();
        CountDownLatch accepted = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> {
            seenByPeer.set((InetSocketAddress) socket.getRemoteSocketAddress());
            accepted.countDown();
            socket.getInputStream().read();
        })) {
            Conn conn = Conn.connect(peer.address());
            assertThat(accepted.await(5, TimeUnit.SECONDS)).isTrue();
            InetSocketAddress local = conn.localAddress();
            InetSocketAddress remote = conn.remoteAddress();
            assertThat(local).isEqualTo(seenByPeer.get());
            assertThat(remote.getPort()).isEqualTo(peer.port());
            assertThat(remote.getAddress().isLoopbackAddress()).isTrue();

            conn.close();
            assertThat(conn.localAddress()).isEqualTo(local);
            assertThat(conn.remoteAddress()).isEqualTo(remote);
        }
    }

    @Test
    void aClosedConnectionRefusesIoWithAnIoExceptionAndClosesTwiceQuietly() throws IOException {
        try (RawPeer peer = writing(ascii("x"))) {
            Conn conn = Conn.connect(peer.address());
            conn.close();
            conn.close();
            assertThat(conn.isClosed()).isTrue();
            assertThatThrownBy(() -> conn.send(ascii("x"))).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(IOException.class);
        }
    }
}
