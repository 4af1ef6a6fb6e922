package io.gtcp.spring.boot.autoconfigure.docs;

import io.gtcp.Conn;
import io.gtcp.EndpointStatus;
import io.gtcp.Gtcp;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PkgOption;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.EchoServer;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of the docs, run against loopback servers; {@link DocCodeBlocksTests} holds the docs to these
 * regions. Each example must run to its end without an exception; what it leaves behind is checked after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocExamplesTests {

    @Test
    void coreExampleExchangesWithItsOwnServer() throws IOException {
        AtomicInteger served = new AtomicInteger();
        Runnable count = served::incrementAndGet;
        // tag::core[]
        // a server answering every frame with "> " + frame
        try (TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
                for (;;) {                                   // ends with an EOFException when the client closes
                    byte[] request = conn.recvPkg();
                    // end::core[]
                    count.run(); // before the reply, so that the count is complete when the last reply arrives
                    // tag::core[]
                    conn.sendPkg(("> " + new String(request, UTF_8)).getBytes(UTF_8));
                }
            }).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {

            byte[] reply = conn.sendRecvPkg("hello".getBytes(UTF_8));                    // "> hello"
            reply = conn.sendRecvPkgWithTimeout("again".getBytes(UTF_8), Duration.ofSeconds(2));

            // a per-call retry: on a write error, wait 50 ms and write the frame again, at most twice
            conn.sendPkg("once more".getBytes(UTF_8), PkgOption.defaults().withRetry(Retry.of(2, Duration.ofMillis(50))));
            conn.recvPkg();

            // one-shot: dial, one exchange, close
            byte[] answer = Gtcp.sendRecvPkg("127.0.0.1:" + server.port(), "hello".getBytes(UTF_8));
        }
        // end::core[]
        assertThat(served).hasValue(4);
    }

    @Test
    void tlsExampleExchangesOverTls() throws Exception {
        SSLContext sslContext = trusting("/tls/truststore.p12");
        try (EchoServer tlsServer = EchoServer.tls()) {
            // tag::core-tls[]
            try (Conn tls = Conn.connectTls("127.0.0.1:" + tlsServer.port(), sslContext)) {
                byte[] reply = tls.sendRecvPkg("hi".getBytes(UTF_8));
            }
            // end::core-tls[]
        }
    }

    @Test
    void poolExampleBorrowsAndGivesBack() throws IOException {
        try (EchoServer server = EchoServer.plain()) {
            PoolConnFactory[] built = new PoolConnFactory[1];
            // tag::pool[]
            try (PoolConnFactory pool = PoolConnFactory.builder()
                    .address("127.0.0.1:" + server.port())
                    .maxSize(32)
                    .readTimeout(Duration.ofSeconds(5))
                    .build()) {
                try (PoolConn conn = pool.get()) {              // or pool.get("10.0.0.7:9000"): its own pool
                    byte[] reply = conn.sendRecvPkg("hello".getBytes(UTF_8));
                }                                                // back to the pool, or closed if broken
                // end::pool[]
                built[0] = pool;
                assertThat(pool.stats().idle()).as("given back").isEqualTo(1);
                // tag::pool[]
            }
            // end::pool[]
            assertThat(built[0].isClosed()).isTrue();
        }
    }

    @Test
    void groupExampleLendsFromItsEndpoints() throws IOException {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            // tag::group[]
            try (PoolConnFactory orders = PoolConnFactory.builder()
                    .name("orders")
                    .addresses("127.0.0.1:" + one.port(), "127.0.0.1:" + two.port())   // host names work too: every IP
                    .loadBalancing(LoadBalancing.LEAST_BUSY)                // the default
                    .outlierEjection(new OutlierEjection(5, Duration.ofSeconds(10), 50))   // the default
                    .refreshEvery(Duration.ofSeconds(30))                   // the default; zero = never
                    .build()) {
                try (PoolConn conn = orders.get()) {                        // some endpoint that can be dialled
                    conn.sendRecvPkg("hello".getBytes(UTF_8));
                }
                List<EndpointStatus> endpoints = orders.endpoints();   // [EndpointStatus[address=127.0.0.1:…, ejected=false, …], …]
                // end::group[]
                assertThat(endpoints).extracting(EndpointStatus::address).containsExactly(one.address(), two.address());
                // tag::group[]
            }
            // end::group[]
        }
    }

    @Test
    void endpointSourceExampleLendsFromWhatTheSourceSays() throws IOException {
        try (EchoServer one = EchoServer.plain(); EchoServer two = EchoServer.plain()) {
            // tag::group-source[]
            try (PoolConnFactory orders = PoolConnFactory.builder()
                    .name("orders")
                    .endpointSource(() -> List.of("127.0.0.1:" + one.port(), "127.0.0.1:" + two.port()))   // your registry
                    .build()) {
                try (PoolConn conn = orders.get()) {
                    conn.sendRecvPkg("hello".getBytes(UTF_8));
                }
                // end::group-source[]
                assertThat(orders.endpoints()).hasSize(2);
                // tag::group-source[]
            }
            // end::group-source[]
        }
    }

    static SSLContext trusting(String resource) throws IOException, GeneralSecurityException {
        try (InputStream in = DocExamplesTests.class.getResourceAsStream(resource)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(in, "changeit".toCharArray());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }
    }
}
