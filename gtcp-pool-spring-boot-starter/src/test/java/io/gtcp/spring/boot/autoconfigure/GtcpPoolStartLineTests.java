package io.gtcp.spring.boot.autoconfigure;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's start line tells every setting that decides its behaviour, so that a mistake shows in the log. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class GtcpPoolStartLineTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
                SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                GtcpPoolAutoConfiguration.class));

    @Test
    void aDiscoveredPoolsStartLineNamesItsServiceBalancingEjectionRefreshAndTimeouts(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("gtcp.pools.orders.discovery.service-id=orders-service",
                    "gtcp.pools.orders.load-balancing=round-robin", "gtcp.pools.orders.refresh-every=10s",
                    "gtcp.pools.orders.outlier-ejection.consecutive-failures=3", "gtcp.pools.orders.read-timeout=5s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output).contains("pool 'orders' started: DiscoveryClient service 'orders-service' "
                        + "(round-robin, ejection after 3 failures for 10000 ms, at most 50 %, refresh every 10000 ms)")
                    .contains("read timeout 5000 ms, write timeout none");
            });
    }

    @Test
    void aGroupWithoutEjectionSaysSo(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("gtcp.pool.addresses=127.0.0.1:1,127.0.0.1:2",
                    "gtcp.pool.outlier-ejection.consecutive-failures=0", "gtcp.pool.refresh-every=0")
            .run((context) -> assertThat(output)
                .contains("pool 'default' started: [127.0.0.1:1, 127.0.0.1:2] (least-busy, no ejection, no refresh)"));
    }
}
