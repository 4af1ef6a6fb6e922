package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.Gtcp;
import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gtcp.server.*}: a {@link TcpServer} bean serving the application's one handler bean, listening once the
 * context has started; and every startup failure naming the property or the beans.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpServerAutoConfigurationTests {

    static final PkgHandler ECHO = (request) -> request;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpServerAutoConfiguration.class));

    @Test
    void anAddressAndAPkgHandlerMakeAListeningServer() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0")
            .withBean("orders", PkgHandler.class, () -> (request) -> ("> " + text(request)).getBytes())
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(TcpServer.class).hasBean("gtcpServer");
                TcpServer server = context.getBean(TcpServer.class);
                assertThat(server.port()).isPositive();
                assertThat(server.isListening()).isTrue();
                assertThat(context.getBean(GtcpServerLifecycle.class).isRunning()).isTrue();
                assertThat(text(Gtcp.sendRecvPkg("127.0.0.1:" + server.port(), "hi".getBytes()))).isEqualTo("> hi");
            });
    }

    @Test
    void aConnHandlerServesTheWholeConnection() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0")
            .withBean(ConnHandler.class, () -> (conn) -> conn.send(conn.recvLine()))
            .run((context) -> {
                TcpServer server = context.getBean(TcpServer.class);
                try (Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
                    assertThat(text(conn.sendRecv("line\n".getBytes(), 4))).isEqualTo("line");
                }
            });
    }

    @Test
    void withoutAnAddressThereIsNoServer() {
        this.contextRunner.withBean(PkgHandler.class, () -> ECHO)
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TcpServer.class)
                .doesNotHaveBean(GtcpServerLifecycle.class));
    }

    @Test
    void anApplicationsOwnServerBeanIsRunInsteadOfOne() throws IOException {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0")
            .withBean("mine", TcpServer.class, () -> TcpServer.ofPkg("127.0.0.1:0", ECHO))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(TcpServer.class).hasBean("mine");
                assertThat(context.getBean(GtcpServerLifecycle.class).getName()).isEqualTo("mine");
                assertThat(context.getBean(TcpServer.class).isListening()).isTrue();
            });
    }

    @Test
    void noHandlerFailsNamingTheAddressProperty() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0").run((context) -> {
            FailureAnalysis analysis = analysis(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("gtcp.server.address=127.0.0.1:0")
                .contains("no PkgHandler or ConnHandler bean");
            assertThat(analysis.getAction()).contains("io.gtcp.PkgHandler");
        });
    }

    @Test
    void twoHandlersFailNamingBoth() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0")
            .withBean("orders", PkgHandler.class, () -> ECHO)
            .withBean("billing", ConnHandler.class, () -> (conn) -> conn.close())
            .run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
                .contains("'orders' (PkgHandler)").contains("'billing' (ConnHandler)"));
    }

    @Test
    void aBusyPortFailsNamingTheAddress() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + busy.getLocalPort();
            this.contextRunner.withPropertyValues("gtcp.server.address=" + address)
                .withBean(PkgHandler.class, () -> ECHO)
                .run((context) -> {
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("gtcp.server.address=" + address)
                        .contains("cannot listen");
                    assertThat(analysis.getAction()).contains("port 0");
                });
        }
    }

    @Test
    void aMalformedAddressOrCapFailsNamingIt() {
        this.contextRunner.withPropertyValues("gtcp.server.address=nowhere")
            .withBean(PkgHandler.class, () -> ECHO)
            .run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
                .contains("gtcp.server.address=nowhere"));
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0", "gtcp.server.max-connections=0")
            .withBean(PkgHandler.class, () -> ECHO)
            .run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
                .contains("gtcp.server.max-connections=0"));
    }

    @Test
    void anSslBundleMakesATlsServer() {
        this.contextRunner
            .withPropertyValues("gtcp.server.address=127.0.0.1:0", "gtcp.server.ssl.bundle=server",
                    "spring.ssl.bundle.jks.server.keystore.location=classpath:tls/server.p12",
                    "spring.ssl.bundle.jks.server.keystore.password=changeit",
                    "spring.ssl.bundle.jks.server.keystore.type=PKCS12")
            .withBean(PkgHandler.class, () -> ECHO)
            .run((context) -> {
                TcpServer server = context.getBean(TcpServer.class);
                try (Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), trusting())) {
                    assertThat(text(conn.sendRecvPkg("secret".getBytes()))).isEqualTo("secret");
                }
            });
    }

    @Test
    void aMissingSslBundleFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0", "gtcp.server.ssl.bundle=nope")
            .withBean(PkgHandler.class, () -> ECHO)
            .run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
                .contains("gtcp.server.ssl.bundle=nope").contains("no SSL bundle"));
    }

    @Test
    void virtualThreadsOnAJavaWithoutThemFailSayingSoElseServeOnThem() {
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0", "gtcp.server.virtual-threads=true")
            .withBean(PkgHandler.class, () -> (request) -> String.valueOf(isVirtual(Thread.currentThread()))
                .getBytes())
            .run((context) -> {
                if (JavaVersion.getJavaVersion().isEqualOrNewerThan(JavaVersion.TWENTY_ONE)) {
                    TcpServer server = context.getBean(TcpServer.class);
                    assertThat(text(Gtcp.sendRecvPkg("127.0.0.1:" + server.port(), "?".getBytes())))
                        .isEqualTo("true");
                }
                else {
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("gtcp.server.virtual-threads=true")
                        .contains("Java 21");
                }
            });
    }

    @Test
    void virtualThreadsFollowSpringThreadsVirtualEnabledWhereJavaHasThem() {
        CopyOnWriteArrayList<Boolean> virtual = new CopyOnWriteArrayList<>();
        this.contextRunner.withPropertyValues("gtcp.server.address=127.0.0.1:0", "spring.threads.virtual.enabled=true")
            .withBean(PkgHandler.class, () -> (request) -> {
                virtual.add(isVirtual(Thread.currentThread()));
                return request;
            })
            .run((context) -> {
                assertThat(context).hasNotFailed(); // on Java 17 Boot ignores the property, and so does the server
                Gtcp.sendRecvPkg("127.0.0.1:" + context.getBean(TcpServer.class).port(), "?".getBytes());
                assertThat(virtual)
                    .containsExactly(JavaVersion.getJavaVersion().isEqualOrNewerThan(JavaVersion.TWENTY_ONE));
            });
    }

    static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        }
        catch (ReflectiveOperationException ex) {
            return false; // Java 17: no virtual threads
        }
    }

    static FailureAnalysis analysis(Throwable failure) {
        assertThat(failure).as("startup failure").isNotNull();
        FailureAnalysis analysis = new GtcpServerFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of " + failure).isNotNull();
        return analysis;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = GtcpServerAutoConfigurationTests.class.getResourceAsStream("/tls/truststore.p12")) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
