package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpEndpointSources;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health that says why, for every kind of pool: an empty discovered group names its service and the cause, a TLS
 * pool's probe completes a handshake, and the probe resolves names as the pool does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolHealthTruthTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
                SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                SslAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class, GtcpPoolHealthContributorAutoConfiguration.class))
        .withPropertyValues("management.endpoint.health.show-details=always",
                "spring.ssl.bundle.jks.client.truststore.location=classpath:tls/truststore.p12",
                "spring.ssl.bundle.jks.client.truststore.password=changeit",
                "spring.ssl.bundle.jks.client.truststore.type=PKCS12");

    @Test
    void aDiscoveredServiceWithoutInstancesIsDownNamingTheService() {
        this.contextRunner.withPropertyValues("gtcp.pool.discovery.service-id=orders").run((context) -> {
            Health health = context.getBean(GtcpPoolHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("source", "DiscoveryClient service 'orders'")
                .containsEntry("error", "no endpoints: DiscoveryClient service 'orders' has none");
        });
    }

    @Test
    void aServiceWhoseDiscoveryFailsIsDownWithTheCause() {
        this.contextRunner.withUserConfiguration(FailingRegistry.class)
            .withPropertyValues("gtcp.pool.discovery.service-id=orders")
            .run((context) -> {
                Health health = context.getBean(GtcpPoolHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("source", "registry of orders");
                assertThat((String) health.getDetails().get("error")).contains("the registry is down");
            });
    }

    @Test
    void aTlsPoolWhoseCertificateEveryDialRejectsIsDown() {
        try (EchoServer untrusted = EchoServer.tls("/tls/untrusted.p12")) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + untrusted.address(), "gtcp.pool.ssl.bundle=client")
                .run((context) -> {
                    GtcpPoolHealthIndicator indicator = context.getBean(GtcpPoolHealthIndicator.class);
                    // a probe is redone every 2 s: one that a loaded machine timed out gets a second chance
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        Health health = indicator.health();
                        assertThat(health.getStatus()).as("TCP accepts, the handshake fails").isEqualTo(Status.DOWN);
                        assertThat(endpoint(health, untrusted.address()).get("error").toString())
                            .contains("SSLHandshakeException");
                    });
                });
        }
    }

    @Test
    void aTlsPoolWhoseServerCompletesTheHandshakeIsUp() {
        try (EchoServer trusted = EchoServer.tls()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=" + trusted.address(), "gtcp.pool.ssl.bundle=client")
                .run((context) -> {
                    GtcpPoolHealthIndicator indicator = context.getBean(GtcpPoolHealthIndicator.class);
                    // a probe is redone every 2 s: a first handshake slowed by a loaded machine gets a second chance
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        Health health = indicator.health();
                        assertThat(health.getStatus()).as(health.getDetails().toString()).isEqualTo(Status.UP);
                    });
                });
        }
    }

    @Test
    void theProbeResolvesANameThroughThePoolsResolver() throws IOException {
        // a name only the pool's resolver knows: the system resolver would call it unknown
        try (EchoServer server = EchoServer.plain();
                PoolConnFactory factory = PoolConnFactory.builder()
                    .addresses("orders.gtcp-test.invalid:" + server.port())
                    .resolver((host) -> List.of(InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 })))
                    .build()) {
            Health health = new GtcpPoolHealthIndicator(factory).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(Health health, String address) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("endpoints")).get(address);
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingRegistry {

        @Bean
        GtcpEndpointSources failingRegistry() {
            return (serviceId) -> new io.gtcp.EndpointSource() {

                @Override
                public List<String> endpoints() throws IOException {
                    throw new IOException("the registry is down");
                }

                @Override
                public String toString() {
                    return "registry of " + serviceId;
                }
            };
        }
    }
}
