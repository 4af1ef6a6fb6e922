package io.gtcp.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

/** The failure keeps its type, cause and stack, and gains the pool and the endpoint in its message. */
class NamedFailureTest {

    @Test
    void keepsTheTypeAndPutsPoolAndEndpointFirst() {
        for (IOException original : new IOException[] {new ConnectException("Connection refused"),
                new SocketTimeoutException("connect timed out"), new UnknownHostException("orders.internal"),
                new SSLHandshakeException("PKIX path building failed"), new IOException("Broken pipe")}) {
            IOException named = NamedFailure.name("orders", "10.0.0.2:9000", original);

            assertThat(named).isExactlyInstanceOf(original.getClass()).hasNoCause()
                    .hasMessage("pool 'orders': 10.0.0.2:9000: " + original.getMessage());
            assertThat(named.getStackTrace()).isEqualTo(original.getStackTrace());
        }
    }

    @Test
    void keepsTheCauseAndTheSuppressedFailures() {
        IOException original = new SSLHandshakeException("PKIX path building failed");
        original.initCause(new java.security.cert.CertificateException("untrusted"));
        original.addSuppressed(new ConnectException("Connection refused"));

        IOException named = NamedFailure.name("orders", "10.0.0.2:9000", original);

        assertThat(named).hasCause(original.getCause());
        assertThat(named.getSuppressed()).containsExactly(original.getSuppressed());
    }

    @Test
    void namesOnlyOnce() {
        IOException once = NamedFailure.name("orders", "10.0.0.2:9000", new ConnectException("Connection refused"));

        assertThat(NamedFailure.name("orders", "10.0.0.2:9000", once)).isSameAs(once);
    }

    @Test
    void aTypeThatCannotBeCopiedIsLeftAsItIs() {
        AsynchronousCloseException cancelled = new AsynchronousCloseException();

        assertThat(NamedFailure.name("orders", "10.0.0.2:9000", cancelled)).isSameAs(cancelled);
    }
}
