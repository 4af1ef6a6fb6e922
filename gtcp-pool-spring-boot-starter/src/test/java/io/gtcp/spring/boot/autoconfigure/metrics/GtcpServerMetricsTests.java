package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.Conn;
import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code gtcp.server.connections.active} and {@code .accepted}, tagged with the server's bean name. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpServerMetricsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpServerAutoConfiguration.class,
                GtcpServerMetricsAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(PkgHandler.class, () -> (request) -> request)
        .withPropertyValues("gtcp.server.address=127.0.0.1:0");

    @Test
    void activeAndAcceptedConnectionsAreMeteredPerServer() {
        this.contextRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(GtcpServerMeterBinder.class).bindTo(registry);
            TcpServer server = context.getBean(TcpServer.class);
            assertThat(registry.get(GtcpServerMeterBinder.ACTIVE).tag("server", "gtcpServer").gauge().value()).isZero();
            try (Conn one = Conn.connect("127.0.0.1:" + server.port());
                    Conn two = Conn.connect("127.0.0.1:" + server.port())) {
                one.sendRecvPkg("a".getBytes());
                two.sendRecvPkg("b".getBytes());
                assertThat(registry.get(GtcpServerMeterBinder.ACTIVE).tag("server", "gtcpServer").gauge().value())
                    .isEqualTo(2);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(GtcpServerMeterBinder.ACTIVE)
                .tag("server", "gtcpServer").gauge().value() == 0);
            assertThat(registry.get(GtcpServerMeterBinder.ACCEPTED).tag("server", "gtcpServer").functionCounter()
                .count()).isEqualTo(2);
        });
    }

    @Test
    void withoutARegistryThereAreNoMeters() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GtcpServerAutoConfiguration.class,
                    GtcpServerMetricsAutoConfiguration.class))
            .withBean(PkgHandler.class, () -> (request) -> request)
            .withPropertyValues("gtcp.server.address=127.0.0.1:0")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GtcpServerMeterBinder.class));
    }
}
