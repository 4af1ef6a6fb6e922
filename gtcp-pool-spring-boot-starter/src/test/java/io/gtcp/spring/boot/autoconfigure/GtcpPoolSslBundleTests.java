package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolSslBundleTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpPoolAutoConfiguration.class))
        .withPropertyValues("spring.ssl.bundle.jks.test-client.truststore.location=classpath:tls/truststore.p12",
                "spring.ssl.bundle.jks.test-client.truststore.password=changeit",
                "spring.ssl.bundle.jks.test-client.truststore.type=PKCS12");

    private EchoServer server;

    @BeforeEach
    void startServer() {
        this.server = EchoServer.tls();
    }

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void sslBundleDialsTlsToTheConfiguredAddress() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.ssl.bundle=test-client")
            .run((context) -> {
                assertThat(context.getBean(GtcpPoolProperties.class).getSsl().getBundle()).isEqualTo("test-client");
                try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                    byte[] hello = "over tls".getBytes(StandardCharsets.UTF_8);
                    assertThat(conn.sendRecvPkg(hello)).isEqualTo(hello);
                }
            });
    }

    @Test
    void aNamedPoolCanOptOutOfTheInheritedBundleWithAnEmptyValue() {
        try (EchoServer plain = EchoServer.plain()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.ssl.bundle=test-client",
                        "gtcp.pools.plain.address=" + plain.address(), "gtcp.pools.plain.ssl.bundle=")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    try (PoolConn conn = context.getBean("plainPoolConnFactory", PoolConnFactory.class).get()) {
                        byte[] hello = "plain tcp".getBytes(StandardCharsets.UTF_8);
                        assertThat(conn.sendRecvPkg(hello)).isEqualTo(hello);
                    }
                });
        }
    }

    @Test
    void serverOutsideTheBundlesTrustIsRefused() {
        try (EchoServer untrusted = EchoServer.tls("/tls/untrusted.p12")) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + untrusted.address(), "gtcp.pool.ssl.bundle=test-client")
                .run((context) -> assertThatExceptionOfType(SSLException.class)
                    .isThrownBy(() -> context.getBean(PoolConnFactory.class).get()));
        }
    }
}
