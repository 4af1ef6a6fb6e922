package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.EchoServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GtcpPoolMetrics} without Spring, as docs/meters.md shows it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolMetricsTests {

    @Test
    void listenerAddedToAPlainFactoryPublishesItsMeters() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EchoServer server = EchoServer.plain();
                PoolConnFactory factory = PoolConnFactory.builder().name("plain").address(server.address()).build()) {
            factory.addListener(new GtcpPoolMetrics(factory, registry));
            PoolConn conn = factory.get();
            assertThat(registry.get(GtcpPoolMetrics.ACTIVE).tag("pool", "plain").tag("address", server.address())
                .gauge().value()).isEqualTo(1);
            conn.close();
            assertThat(registry.get(GtcpPoolMetrics.USAGE).tag("pool", "plain").timer().count()).isEqualTo(1);
        }
        assertThat(registry.find(GtcpPoolMetrics.ACTIVE).gauges()).as("gone with the factory").isEmpty();
    }

    @Test
    void minGaugeBesideMaxAndEjectionsCountedPerEndpoint() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EchoServer server = EchoServer.plain();
                PoolConnFactory factory = PoolConnFactory.builder().name("plain").address(server.address()).maxSize(4)
                    .minIdle(1).build()) {
            GtcpPoolMetrics metrics = new GtcpPoolMetrics(factory, registry);
            factory.addListener(metrics);
            assertThat(registry.get(GtcpPoolMetrics.MIN).tag("address", server.address()).gauge().value()).isEqualTo(1);
            assertThat(registry.get(GtcpPoolMetrics.MAX).tag("address", server.address()).gauge().value()).isEqualTo(4);
            metrics.endpointEjected(server.address(), Duration.ofSeconds(10));
            metrics.endpointEjected(server.address(), Duration.ofSeconds(20));
            assertThat(registry.get(GtcpPoolMetrics.EJECTIONS).tag("pool", "plain").tag("address", server.address())
                .counter().count()).isEqualTo(2);
        }
        assertThat(registry.find(GtcpPoolMetrics.EJECTIONS).counters()).as("gone with the factory").isEmpty();
    }
}
