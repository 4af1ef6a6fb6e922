package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.CloseReason;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS failures as the pool's caller meets them: a certificate the client does not trust, one for another host,
 * a peer that never finishes the handshake, and records corrupted in transit. The handshake happens inside
 * {@code get()}, so a rejected server never yields a connection, and nothing is pooled.
 */
@Timeout(value = 30, unit = SECONDS)
class TlsFailureTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void trustedCertificateForTheRightHostIsAccepted() throws IOException {
        try (EchoServer server = EchoServer.tls(TlsContexts.server());
             PoolConnFactory pool = pool(server.address(), new PoolEvents())) {
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
        }
    }

    @Test
    void untrustedCertificateIsRejected() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.untrustedServer());
             PoolConnFactory pool = pool(server.address(), events)) {
            assertThatThrownBy(() -> exchange(pool))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasCauseInstanceOf(CertificateException.class)
                    .hasMessageContaining("PKIX");
            assertNothingPooled(pool, events);
        }
    }

    @Test
    void hostNameMismatchIsRejected() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.wrongHostServer());
             PoolConnFactory pool = pool(server.address(), events)) {
            assertThatThrownBy(() -> exchange(pool))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasCauseInstanceOf(CertificateException.class)
                    .hasMessageContaining("127.0.0.1");
            assertNothingPooled(pool, events);
        }
    }

    @Test
    void peerThatNeverAnswersTheHandshakeFailsGetWithinTheConnectTimeout() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.server());
             ChaosProxy proxy = ChaosProxy.start(server.port(), null);
             PoolConnFactory pool = PoolConnFactory.builder().address(proxy.address()).listener(events)
                     .sslContext(TlsContexts.client()).connectTimeout(Duration.ofSeconds(1)).build()) {
            proxy.blackHoleNewConnections(true);
            assertThatThrownBy(pool::get).isInstanceOf(SocketTimeoutException.class);
            assertNothingPooled(pool, events);
        }
    }

    @Test
    void truncatedRecordFailsTheExchangeWithEofException() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.server());
             ChaosProxy proxy = ChaosProxy.start(server.port(), null);
             PoolConnFactory pool = pool(proxy.address(), events)) {
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));

            proxy.armNextReply(Fault.TRUNCATE);
            assertThatThrownBy(() -> exchange(pool)).isInstanceOf(EOFException.class);

            assertThat(events.closed).containsExactly(CloseReason.BROKEN);
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
        }
    }

    @Test
    void corruptedRecordFailsTheExchangeWithSslException() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.server());
             ChaosProxy proxy = ChaosProxy.start(server.port(), null);
             PoolConnFactory pool = pool(proxy.address(), events, false)) {
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));

            proxy.armNextReply(Fault.DUPLICATE);
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
            // unchecked, the connection is reused, and the copy of the last record is read as the next reply
            assertThatThrownBy(() -> exchange(pool)).isInstanceOf(SSLException.class);

            assertThat(events.closed).containsExactly(CloseReason.BROKEN);
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
        }
    }

    @Test
    void duplicatedRecordBehindAReplyIsCaughtByTheBorrowCheck() throws IOException {
        PoolEvents events = new PoolEvents();
        try (EchoServer server = EchoServer.tls(TlsContexts.server());
             ChaosProxy proxy = ChaosProxy.start(server.port(), null);
             PoolConnFactory pool = pool(proxy.address(), events)) {
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));

            proxy.armNextReply(Fault.DUPLICATE);
            // the reply itself is intact; the copy behind it cannot be seen until it is decrypted…
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
            assertThat(events.closed).isEmpty();

            // …which the borrow-time check does: it reads, fails to authenticate the copy, and dials afresh
            assertThat(exchange(pool)).isEqualTo(EchoServer.reply(HELLO));
            assertThat(events.closed).containsExactly(CloseReason.STALE);
        }
    }

    private static PoolConnFactory pool(String address, PoolEvents events) {
        return pool(address, events, true);
    }

    /** A TLS pool; {@code checked}: every borrow is checked, else none is. */
    private static PoolConnFactory pool(String address, PoolEvents events, boolean checked) {
        return PoolConnFactory.builder().address(address).sslContext(TlsContexts.client()).listener(events)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5))
                .writeTimeout(Duration.ofSeconds(5)).acquireTimeout(Duration.ofSeconds(5)).checkIdleAfter(Duration.ZERO).validateOnBorrow(checked).build();
    }

    /** {@code get()} and one exchange: where a TLS failure can show. */
    private static byte[] exchange(PoolConnFactory pool) throws IOException {
        try (PoolConn conn = pool.get()) {
            return conn.sendRecvPkg(HELLO);
        }
    }

    private static void assertNothingPooled(PoolConnFactory pool, PoolEvents events) {
        assertThat(events.dialFailures).hasSize(1);
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().active()).isZero();
        assertThat(pool.stats().created()).isZero();
    }
}
