package io.gtcp.chaos;

import io.gtcp.testing.TestTls;

import javax.net.ssl.SSLContext;

/**
 * The chaos suite's names for the test TLS material (see {@code src/test/resources/tls/README.md}); the
 * contexts themselves come from {@link TestTls}.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /** The server's certificate for {@code localhost}/{@code 127.0.0.1}, trusted by {@link #client()}. */
    static SSLContext server() {
        return TestTls.server("server.p12");
    }

    /** A certificate for {@code example.invalid} only: trusted, but never matching 127.0.0.1. */
    static SSLContext wrongHostServer() {
        return TestTls.server("wrong-host.p12");
    }

    /** A certificate for {@code 127.0.0.1} that {@link #client()} does not trust. */
    static SSLContext untrustedServer() {
        return TestTls.server("untrusted.p12");
    }

    /** A client context trusting the server and wrong-host certificates, nothing else. */
    static SSLContext client() {
        return TestTls.client();
    }
}
