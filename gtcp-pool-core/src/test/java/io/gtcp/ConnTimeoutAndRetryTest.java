package io.gtcp;

import io.gtcp.testing.RawPeer;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static io.gtcp.testing.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Deadlines, {@code *WithTimeout} calls, dialing and {@link Retry} on {@link Conn}: a slow or silent peer ends a
 * call with a {@link SocketTimeoutException}, a timeout covers the whole call and leaves the stored deadlines as
 * they were, and retries never outlast a deadline or retry an end of stream. No test measures time: a call that
 * should time out but does not would hang and hit the class's {@link Timeout}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnTimeoutAndRetryTest {

    private static final Duration SHORT = Duration.ofMillis(200);
    /** More than loopback's socket buffers can take, so a write to a peer that does not read blocks. */
    private static final int LARGER_THAN_SOCKET_BUFFERS = 16 * 1024 * 1024;

    /** Released at the end of each test: peers that must not read wait on it. */
    private final CountDownLatch testOver = new CountDownLatch(1);

    @AfterEach
    void releasePeers() {
        testOver.countDown();
    }

    private RawPeer notReading() throws IOException {
        return RawPeer.start(socket -> testOver.await(30, TimeUnit.SECONDS));
    }

    /** A peer that reads the client's "hello", then closes with a reset: every later write of the client fails. */
    private static RawPeer resettingAfterHello(CountDownLatch reset) throws IOException {
        return RawPeer.start(socket -> {
            RawPeer.readExactly(socket.getInputStream(), 5);
            socket.setSoLinger(true, 0);
            socket.close();
            reset.countDown();
        });
    }

    @Test
    void everyReceivingCallWithATimeoutEndsWhenTheServerNeverAnswers() throws IOException {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvWithTimeout(1, SHORT)).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.recvWithTimeout(0, SHORT)).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.recvWithTimeout(-1, SHORT)).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.recvPkgWithTimeout(SHORT)).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.sendRecvWithTimeout(ascii("ping"), 4, SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.sendRecvPkgWithTimeout(ascii("ping"), SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aTimeoutLeavesTheStoredReceiveDeadlineInForce() throws IOException {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            conn.setDeadlineRecv(Instant.now().plusMillis(800));
            assertThatThrownBy(() -> conn.recvWithTimeout(1, Duration.ofMillis(50)))
                    .isInstanceOf(SocketTimeoutException.class);
            // were the stored deadline wiped, this would block until the test's own timeout
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aTimeoutDoesNotLingerWhenNoDeadlineWasStored() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> {
                 answer.await(10, TimeUnit.SECONDS);
                 socket.getOutputStream().write(ascii("x"));
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvWithTimeout(1, Duration.ofMillis(100)))
                    .isInstanceOf(SocketTimeoutException.class);
            CompletableFuture<byte[]> untimed = CompletableFuture.supplyAsync(() -> {
                try {
                    return conn.recv(1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // had the 100 ms timeout lingered, this receive would fail long before the peer answers
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !untimed.isDone());
            answer.countDown();
            assertThat(untimed.get(10, TimeUnit.SECONDS)).isEqualTo(ascii("x"));
        }
    }

    @Test
    void aPastReceiveDeadlineFailsAtOnceAndNullLiftsIt() throws Exception {
        CountDownLatch lifted = new CountDownLatch(1);
        try (RawPeer peer = RawPeer.start(socket -> {
                 lifted.await(10, TimeUnit.SECONDS);
                 socket.getOutputStream().write(ascii("x"));
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            conn.setDeadlineRecv(Instant.now().minusSeconds(1));
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(SocketTimeoutException.class);
            conn.send(ascii("a receive deadline does not limit sends"));
            conn.setDeadlineRecv(null);
            lifted.countDown();
            assertThat(conn.recv(1)).isEqualTo(ascii("x"));
        }
    }

    @Test
    void setDeadlineLimitsSendsAndReceivesAndSetDeadlineSendOnlySends() throws IOException {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            conn.setDeadline(Instant.now().minusSeconds(1));
            assertThatThrownBy(() -> conn.send(ascii("x"))).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.recv(1)).isInstanceOf(SocketTimeoutException.class);

            conn.setDeadline(null);
            conn.send(ascii("x"));

            conn.setDeadlineSend(Instant.now().minusSeconds(1));
            assertThatThrownBy(() -> conn.sendPkg(ascii("x"))).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.recvWithTimeout(1, Duration.ofMillis(50)))
                    .as("the receive side has no past deadline: it waits for its own timeout")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aSendToAPeerThatDoesNotReadEndsAtItsTimeout() throws IOException {
        try (RawPeer peer = notReading();
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.sendWithTimeout(new byte[LARGER_THAN_SOCKET_BUFFERS], SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aStoredSendDeadlineEndsASendToAPeerThatDoesNotRead() throws IOException {
        try (RawPeer peer = notReading();
             Conn conn = Conn.connect(peer.address())) {
            conn.setDeadlineSend(Instant.now().plus(SHORT));
            assertThatThrownBy(() -> conn.send(new byte[LARGER_THAN_SOCKET_BUFFERS]))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void sendRecvWithTimeoutAlsoLimitsItsSend() throws IOException {
        // Go's SendRecvWithTimeout times only the receive: this call would block in its send forever
        try (RawPeer peer = notReading();
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.sendRecvWithTimeout(new byte[LARGER_THAN_SOCKET_BUFFERS], 1, SHORT))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> conn.sendRecvPkgWithTimeout(new byte[60_000], SHORT))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void sendRecvWithTimeoutSpendsOneBudgetOnTheSendAndTheReceiveTogether() throws IOException {
        // the peer takes 0.6 of the timeout before it reads and 0.6 more before it answers: either part alone
        // fits in the timeout (as Go's receive-only timeout would see it), both together do not
        byte[] request = new byte[LARGER_THAN_SOCKET_BUFFERS];
        try (RawPeer peer = RawPeer.start(socket -> {
                 Thread.sleep(600);
                 if (socket.getInputStream().readNBytes(request.length).length < request.length) {
                     return; // on a loaded machine the client may have given up already: fine, it timed out
                 }
                 Thread.sleep(600);
                 socket.getOutputStream().write(ascii("ok"));
                 RawPeer.discardUntilEof(socket);
             });
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.sendRecvWithTimeout(request, 2, Duration.ofSeconds(1)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aPeerDrippingOneByteAtATimeCannotStretchATimeout() throws IOException {
        try (RawPeer peer = RawPeer.start(socket -> {
                 socket.setTcpNoDelay(true);
                 OutputStream out = socket.getOutputStream();
                 for (int i = 0; i < 200; i++) { // bounded: 200 bytes, 10 s at most
                     out.write('x');
                     out.flush();
                     Thread.sleep(50);
                 }
             });
             Conn conn = Conn.connect(peer.address())) {
            // every byte arrives well within the timeout, but the call as a whole cannot finish in it
            assertThatThrownBy(() -> conn.recvWithTimeout(100, Duration.ofMillis(500)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aNonPositiveTimeoutIsACallerError() throws IOException {
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvWithTimeout(1, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> conn.sendWithTimeout(ascii("x"), Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> conn.sendPkgWithTimeout(ascii("x"), null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefused() throws IOException {
        int port = Gtcp.freePort();
        assertThatThrownBy(() -> Conn.connect("127.0.0.1:" + port, Duration.ofSeconds(5)))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> Conn.connect("127.0.0.1:" + port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void aMalformedAddressIsACallerError() {
        assertThatThrownBy(() -> Conn.connect("127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conn.connect("127.0.0.1:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conn.connect("127.0.0.1:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conn.connect(":8999")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryRejectsANegativeCount() {
        assertThatThrownBy(() -> Retry.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retry(-1, Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Retry.of(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryWithoutAnIntervalWaitsTheDefault100Milliseconds() {
        assertThat(Retry.of(3).interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(Retry.of(3, null).interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(Retry.of(3, Duration.ZERO).interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(new Retry(3, null)).isEqualTo(new Retry(3, Duration.ofMillis(100)));
        assertThat(Retry.of(2, Duration.ofMillis(5)).interval()).isEqualTo(Duration.ofMillis(5));
        assertThat(Retry.of(0)).isSameAs(Retry.NONE);
        assertThat(Retry.NONE.count()).isZero();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void anEndOfStreamIsNeverRetried() throws IOException {
        // with retries 10 s apart, a retried end of stream would run into this test's 5 s limit
        Retry slow = Retry.of(3, Duration.ofSeconds(10));
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(hex("00 09 61")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recv(10, slow)).isInstanceOf(EOFException.class);
        }
        try (RawPeer peer = RawPeer.start(socket -> socket.getOutputStream().write(hex("00 09 61")));
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvPkg(PkgOption.defaults().withRetry(slow)))
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void retriesNeverOutlastTheCallsTimeout() throws Exception {
        Retry slow = Retry.of(5, Duration.ofSeconds(10));
        try (RawPeer peer = RawPeer.start(RawPeer::discardUntilEof);
             Conn conn = Conn.connect(peer.address())) {
            assertThatThrownBy(() -> conn.recvWithTimeout(1, SHORT, slow)).isInstanceOf(SocketTimeoutException.class);
        }
        CountDownLatch reset = new CountDownLatch(1);
        try (RawPeer peer = resettingAfterHello(reset);
             Conn conn = Conn.connect(peer.address())) {
            conn.send(ascii("hello"));
            assertThat(reset.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> conn.sendWithTimeout(ascii("x"), SHORT, slow)).isInstanceOf(IOException.class);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aSendToAResetPeerFailsOnceItsRetriesAreSpent() throws Exception {
        CountDownLatch reset = new CountDownLatch(1);
        try (RawPeer peer = resettingAfterHello(reset);
             Conn conn = Conn.connect(peer.address())) {
            conn.send(ascii("hello"));
            assertThat(reset.await(5, TimeUnit.SECONDS)).isTrue();
            Retry retry = Retry.of(2, Duration.ofMillis(10));
            assertThatThrownBy(() -> conn.send(ascii("x"), retry)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> conn.send(ascii("x"), retry)).isInstanceOf(IOException.class);
        }
    }
}
