package io.gtcp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The harness's TLS ({@code --tls}): one self-signed key for the loopback echo servers, checked in as
 * {@code tls/bench.p12} (see its README) so that the jar needs nothing but Java, and the client context every
 * contender dials with, trusting exactly that certificate. The servers accept only {@value #PROTOCOL}, so every
 * contender negotiates the same protocol, and, all dialling with the same client context, the same cipher suite
 * (the JDK's choice; the harness prints it).
 *
 * <p>A socket contender's {@linkplain #dial TLS socket} is made the way gtcp's TLS transport makes its own: a
 * plain socket dialled by {@link PooledSocket#dial} (TCP_NODELAY, {@code SO_TIMEOUT} with timeouts), TLS layered
 * over it with host name verification, the handshake completed at once. So the contenders differ in what they do
 * per exchange, not in how their connections were set up.
 */
final class BenchTls {

    /** The only protocol the echo servers accept. */
    static final String PROTOCOL = "TLSv1.3";

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String KEY_STORE = "/tls/bench.p12";
    private static final String ALIAS = "bench";

    /** Built once: a context per process, as an application has, so its session cache is shared. */
    private static final class Contexts {
        static final SSLContext SERVER;
        static final SSLContext CLIENT;

        static {
            try {
                KeyStore keys = load();
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
                SERVER = SSLContext.getInstance("TLS");
                SERVER.init(kmf.getKeyManagers(), null, null);
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                trusted.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                CLIENT = SSLContext.getInstance("TLS");
                CLIENT.init(null, tmf.getTrustManagers(), null);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the benchmark's TLS contexts from " + KEY_STORE, e);
            }
        }
    }

    private BenchTls() {
    }

    /** The context every TLS contender dials with: it trusts the benchmark's certificate and nothing else. */
    static SSLContext client() {
        return Contexts.CLIENT;
    }

    /** An unbound server socket presenting the benchmark's key, accepting {@value #PROTOCOL} only. */
    static ServerSocket serverSocket() throws IOException {
        SSLServerSocket socket = (SSLServerSocket) Contexts.SERVER.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        return socket;
    }

    /**
     * A TLS socket to {@code address} with its handshake done: a plain socket from {@link PooledSocket#dial}
     * ({@code SO_TIMEOUT} 5 s if {@code timeouts}), TLS layered over it with host name verification (closed
     * again if anything fails).
     */
    static SSLSocket dial(InetSocketAddress address, boolean timeouts) throws IOException {
        Socket plain = PooledSocket.dial(address, timeouts);
        try {
            SSLSocket ssl = (SSLSocket) Contexts.CLIENT.getSocketFactory().createSocket(plain,
                    address.getHostString(), address.getPort(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * One exchange on a freshly dialled TLS connection before it is measured: it makes sure the server has
     * finished its side of the handshake (TLS 1.3 sends the session ticket after the client's last flight) and
     * that the client has read that ticket, so that none of the handshake runs in a measured round.
     */
    static void settle(Contender.Worker worker) throws IOException {
        try {
            worker.exchange(new byte[] {'t', 'l', 's'});
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("settling a TLS connection failed", e);
        }
    }

    /** {@code "TLSv1.3 TLS_AES_256_GCM_SHA384"}: a session's protocol and cipher suite. */
    static String describe(SSLSession session) {
        return session.getProtocol() + " " + session.getCipherSuite();
    }

    private static KeyStore load() throws GeneralSecurityException, IOException {
        try (InputStream in = BenchTls.class.getResourceAsStream(KEY_STORE)) {
            if (in == null) {
                throw new IOException("missing resource " + KEY_STORE);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        }
    }
}
