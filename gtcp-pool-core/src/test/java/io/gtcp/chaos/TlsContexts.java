package io.gtcp.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSL contexts made from the test TLS material in {@code src/test/resources/tls} (see its README): a server
 * certificate for 127.0.0.1, one for another host name, one nobody trusts, and the client trust store.
 */
final class TlsContexts {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TlsContexts() {
    }

    /** The server's certificate for {@code localhost}/{@code 127.0.0.1}, trusted by {@link #client()}. */
    static SSLContext server() {
        return serverWith("server.p12");
    }

    /** A certificate for {@code example.invalid} only: trusted, but never matching 127.0.0.1. */
    static SSLContext wrongHostServer() {
        return serverWith("wrong-host.p12");
    }

    /** A certificate for {@code 127.0.0.1} that {@link #client()} does not trust. */
    static SSLContext untrustedServer() {
        return serverWith("untrusted.p12");
    }

    /** A client context trusting the server and wrong-host certificates, nothing else. */
    static SSLContext client() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load("truststore.p12"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext serverWith(String keyStore) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(String name) throws GeneralSecurityException {
        try (InputStream in = TlsContexts.class.getResourceAsStream("/tls/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /tls/" + name);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
