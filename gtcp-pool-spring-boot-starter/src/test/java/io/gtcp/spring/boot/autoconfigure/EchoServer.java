package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.Conn;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * A loopback server for the tests that echoes every package it receives, plain or TLS (with the test certificate
 * {@code tls/server.p12} for localhost and 127.0.0.1, or {@code tls/untrusted.p12} that no trust store here
 * contains).
 */
public final class EchoServer implements AutoCloseable {

    private final TcpServer server;

    private EchoServer(SSLContext tls) {
        this(0, tls);
    }

    private EchoServer(int port, SSLContext tls) {
        try {
            this.server = new TcpServer("127.0.0.1:" + port, EchoServer::echo, tls).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static EchoServer plain() {
        return new EchoServer(null);
    }

    /** A plain server on a given port: to bring a stopped server back where the pool expects it. */
    public static EchoServer plainOn(int port) {
        return new EchoServer(port, null);
    }

    /** The port it listens on. */
    public int port() {
        return this.server.port();
    }

    /** A TLS server with the test certificate that {@code tls/truststore.p12} trusts. */
    public static EchoServer tls() {
        return tls("/tls/server.p12");
    }

    /** A TLS server with the key and certificate of {@code keyStore}, a PKCS12 resource (password changeit). */
    public static EchoServer tls(String keyStore) {
        return new EchoServer(serverContext(keyStore));
    }

    /** {@code 127.0.0.1:port}: the address to configure. */
    public String address() {
        return "127.0.0.1:" + this.server.port();
    }

    @Override
    public void close() {
        this.server.close();
    }

    private static void echo(Conn conn) throws IOException {
        try {
            while (true) {
                conn.sendPkg(conn.recvPkg());
            }
        }
        catch (EOFException ex) {
            // the client went away: the normal end of a pooled connection's life
        }
        catch (SSLHandshakeException ex) {
            // the client did not trust this server's certificate, which is what some tests want
        }
    }

    private static SSLContext serverContext(String resource) {
        try (InputStream in = EchoServer.class.getResourceAsStream(resource)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, "changeit".toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        catch (IOException | GeneralSecurityException ex) {
            throw new IllegalStateException("cannot load the test server certificate", ex);
        }
    }
}
