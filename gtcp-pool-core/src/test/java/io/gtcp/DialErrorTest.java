package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.gtcp.testing.Closer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@code Error} thrown in the middle of a dial (here by a TLS layer that fails after the TCP connect) reaches the
 * caller as it is, and loses nothing: the socket is closed (the server sees the end of the stream) and the pool's
 * place is free again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DialErrorTest {

    @AutoClose
    private final Closer closer = new Closer();

    @Test
    void anErrorAfterTheTcpConnectClosesTheSocketAndFreesThePlace() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", conn -> {
            try {
                conn.recv(1);
            } catch (EOFException closed) {
                clientGone.countDown();
            }
        }).start());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("dial-error").maxSize(1)
                .sslContext(failingTls()).connectTimeout(Duration.ofSeconds(5)).build());
        String address = "127.0.0.1:" + server.port();

        assertThatThrownBy(() -> pool.get(address)).isInstanceOf(AssertionError.class).hasMessage("TLS layer broke");

        assertThat(clientGone.await(10, TimeUnit.SECONDS)).as("the server saw the socket closed").isTrue();
        assertThat(pool.stats(address).total()).as("the place is free").isZero();
        assertThatThrownBy(() -> pool.get(address)).as("and can be dialled again")
                .isInstanceOf(AssertionError.class);
    }

    /** A TLS context whose socket layer throws an {@code Error} once the TCP connection stands. */
    private static SSLContext failingTls() {
        SSLSocketFactory factory = new SSLSocketFactory() {
            @Override
            public Socket createSocket(Socket s, String host, int port, boolean autoClose) {
                throw new AssertionError("TLS layer broke");
            }

            @Override
            public String[] getDefaultCipherSuites() {
                return new String[0];
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return new String[0];
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                throw new IOException("not used");
            }

            @Override
            public Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                    throws IOException {
                throw new IOException("not used");
            }

            @Override
            public Socket createSocket(java.net.InetAddress host, int port) throws IOException {
                throw new IOException("not used");
            }

            @Override
            public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                                       int localPort) throws IOException {
                throw new IOException("not used");
            }
        };
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return factory;
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                throw new UnsupportedOperationException();
            }
        };
        return new SSLContext(spi, null, "TLS") { };
    }
}
