package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.Conn;
import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Each exchange of the starter's server's PkgHandler is an observation {@code gtcp.server.requests}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpServerObservationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpServerAutoConfiguration.class,
                GtcpPoolObservationAutoConfiguration.class))
        .withBean(PkgHandler.class, () -> (request) -> {
            if (new String(request).equals("fail")) {
                throw new IllegalStateException("no such order");
            }
            return request;
        })
        .withPropertyValues("gtcp.server.address=127.0.0.1:0");

    @Test
    void eachExchangeIsAnObservationWithServerAndOutcome() {
        this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create).run((context) -> {
            TestObservationRegistry registry = (TestObservationRegistry) context.getBean(ObservationRegistry.class);
            String address = "127.0.0.1:" + context.getBean(TcpServer.class).port();
            try (Conn conn = Conn.connect(address)) {
                conn.sendRecvPkg("one".getBytes());
                conn.sendRecvPkg("two".getBytes());
            }
            try (Conn conn = Conn.connect(address)) {
                assertThat(catchThrowable(() -> conn.sendRecvPkg("fail".getBytes()))).isNotNull();
            }
            // each observation stops before its reply is sent (or its connection closed): all are done by now
            TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("gtcp.server.requests", 3)
                .hasAnObservation((observation) -> observation.hasNameEqualTo("gtcp.server.requests")
                    .hasLowCardinalityKeyValue("server", "gtcpServer")
                    .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                    .doesNotHaveError())
                .hasAnObservation((observation) -> observation.hasNameEqualTo("gtcp.server.requests")
                    .hasLowCardinalityKeyValue("server", "gtcpServer")
                    .hasLowCardinalityKeyValue("outcome", "ERROR")
                    .hasError());
        });
    }

    @Test
    void aNoopOrNoRegistryLeavesTheHandlerAsItIs() {
        PkgHandler handler = (request) -> request;
        assertThat(new ObservationGtcpServerHandlerDecorator(ObservationRegistry.NOOP).decorate("s", handler))
            .isSameAs(handler);
        assertThat(new ObservationGtcpServerHandlerDecorator(TestObservationRegistry.create()).decorate("s", handler))
            .isInstanceOf(ObservedPkgHandler.class);
        this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(ObservationGtcpServerHandlerDecorator.class));
    }
}
