package io.gtcp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSLContexts built from the test TLS material in {@code src/test/resources/tls} (see its README; password
 * {@code changeit}): a server context per key store, and a client context that trusts {@code server} and
 * {@code wronghost} but not {@code untrusted}.
 */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {
    }

    /** A server context presenting the key of {@code tls/<keyStore>} (server.p12, wrong-host.p12, untrusted.p12). */
    public static SSLContext server(String keyStore) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the server TLS context from " + keyStore, e);
        }
    }

    /** A client context trusting only the certificates of {@code tls/truststore.p12}. */
    public static SSLContext client() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load("truststore.p12"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    private static KeyStore load(String name) throws GeneralSecurityException {
        try (InputStream in = TestTls.class.getResourceAsStream("/tls/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource tls/" + name);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
