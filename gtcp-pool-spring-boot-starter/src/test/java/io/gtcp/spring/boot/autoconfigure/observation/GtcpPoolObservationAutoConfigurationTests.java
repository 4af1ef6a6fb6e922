package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.EchoServer;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolAutoConfiguration;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolConnFactoryBuilderCustomizer;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Each exchange on a pooled connection as an observation {@code gtcp.client.requests}, when there is a registry. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolObservationAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpPoolAutoConfiguration.class,
                GtcpPoolObservationAutoConfiguration.class));

    /** Exchanges started under the throwing handler: only the first start throws. */
    private int starts;

    @Test
    void eachExchangeOfEveryPoolIsAnObservationWithPoolAddressAndOutcome() {
        try (EchoServer server = EchoServer.plain(); EchoServer other = EchoServer.plain()) {
            this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class)
                .withPropertyValues("gtcp.pool.address=" + server.address(),
                        "gtcp.pools.orders.address=" + other.address())
                .run((context) -> {
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                        conn.sendRecvPkg(bytes("one"));
                        conn.sendPkg(bytes("not an exchange"));
                        conn.recvPkg();
                    }
                    try (PoolConn conn = context.getBean("ordersPoolConnFactory", PoolConnFactory.class).get()) {
                        conn.sendRecvPkgWithTimeout(bytes("two"), Duration.ofSeconds(5));
                    }
                    TestObservationRegistryAssert.assertThat(registry)
                        .hasNumberOfObservationsWithNameEqualTo(ObservationExchangeObserver.NAME, 2)
                        .hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationExchangeObserver.NAME)
                            .hasLowCardinalityKeyValue("pool", "default")
                            .hasLowCardinalityKeyValue("address", server.address())
                            .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                            .doesNotHaveError())
                        .hasAnObservation((observation) -> observation.hasNameEqualTo(ObservationExchangeObserver.NAME)
                            .hasLowCardinalityKeyValue("pool", "orders")
                            .hasLowCardinalityKeyValue("address", other.address())
                            .hasLowCardinalityKeyValue("outcome", "SUCCESS"));
                });
        }
    }

    @Test
    void aTimeoutAndAnEndOfStreamAreTheirOutcomes() throws IOException {
        try (TcpServer hangUp = new TcpServer("127.0.0.1:0", (conn) -> conn.recvPkg()).start()) {
            this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class)
                .withPropertyValues("gtcp.pool.address=127.0.0.1:" + hangUp.port())
                .run((context) -> {
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    try (PoolConn conn = factory.get()) {
                        assertThatExceptionOfType(EOFException.class).isThrownBy(() -> conn.sendRecvPkg(bytes("x")));
                    }
                    TestObservationRegistryAssert.assertThat(registry)
                        .hasSingleObservationThat()
                        .hasLowCardinalityKeyValue("outcome", "EOF")
                        .assertThatError()
                        .isInstanceOf(EOFException.class);
                });
        }
        assertThat(ObservationExchangeObserver.outcome(new SocketTimeoutException())).isEqualTo("TIMEOUT");
        assertThat(ObservationExchangeObserver.outcome(new IOException())).isEqualTo("ERROR");
        assertThat(ObservationExchangeObserver.outcome(new IllegalStateException())).isEqualTo("ERROR");
        assertThat(ObservationExchangeObserver.outcome(null)).isEqualTo("SUCCESS");
    }

    @Test
    void aTimedOutExchangeIsATimeout() throws IOException {
        try (TcpServer silent = new TcpServer("127.0.0.1:0", (conn) -> conn.recvLine()).start()) {
            this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class)
                .withPropertyValues("gtcp.pool.address=127.0.0.1:" + silent.port())
                .run((context) -> {
                    try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                        assertThatExceptionOfType(SocketTimeoutException.class)
                            .isThrownBy(() -> conn.sendRecvPkgWithTimeout(bytes("x"), Duration.ofMillis(100)));
                    }
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                        .hasSingleObservationThat()
                        .hasLowCardinalityKeyValue("outcome", "TIMEOUT");
                });
        }
    }

    @Test
    void aHandlerThatThrowsDoesNotCostTheExchangeOrItsConnection() throws IOException {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                if (context.getName().equals(ObservationExchangeObserver.NAME) && starts++ == 0) {
                    throw new IllegalStateException("a broken tracing bridge, on start");
                }
            }

            @Override
            public void onStop(Observation.Context context) {
                throw new IllegalStateException("a broken tracing bridge, on stop");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        try (EchoServer server = EchoServer.plain();
                PoolConnFactory factory = PoolConnFactory.builder().address(server.address())
                    .exchangeObserver(new ObservationExchangeObserver(registry)).build()) {
            for (int i = 0; i < 2; i++) {
                try (PoolConn conn = factory.get()) {
                    assertThat(conn.sendRecvPkg(bytes("ok"))).isEqualTo(bytes("ok"));
                }
            }
            assertThat(factory.stats().idle()).as("the connection went back to the pool").isEqualTo(1);
            assertThat(factory.stats().total()).isEqualTo(1);
        }
    }

    @Test
    void aUserBeanOfTheObservationCustomizersTypeReplacesIt() {
        TestObservationRegistry own = TestObservationRegistry.create();
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class)
                .withBean("ownObservationCustomizer", ObservationGtcpPoolConnFactoryBuilderCustomizer.class,
                        () -> new ObservationGtcpPoolConnFactoryBuilderCustomizer(own))
                .withPropertyValues("gtcp.pool.address=" + server.address())
                .run((context) -> {
                    assertThat(context).hasSingleBean(ObservationGtcpPoolConnFactoryBuilderCustomizer.class)
                        .hasBean("ownObservationCustomizer");
                    try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                        conn.sendRecvPkg(bytes("mine"));
                    }
                    TestObservationRegistryAssert.assertThat(own)
                        .hasNumberOfObservationsWithNameEqualTo(ObservationExchangeObserver.NAME, 1);
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                        .doesNotHaveAnyObservation();
                });
        }
    }

    @Test
    void anotherCustomizerOfTheApplicationLeavesTheObservationsOn() {
        try (EchoServer server = EchoServer.plain()) {
            this.contextRunner
                .withUserConfiguration(TestRegistryConfiguration.class, MaxSizeCustomizerConfiguration.class)
                .withPropertyValues("gtcp.pool.address=" + server.address())
                .run((context) -> {
                    assertThat(context).hasSingleBean(ObservationGtcpPoolConnFactoryBuilderCustomizer.class);
                    PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                    assertThat(factory.maxSize()).as("the application's customizer applied").isEqualTo(3);
                    try (PoolConn conn = factory.get()) {
                        conn.sendRecvPkg(bytes("both"));
                    }
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                        .hasNumberOfObservationsWithNameEqualTo(ObservationExchangeObserver.NAME, 1);
                });
        }
    }

    @Test
    void nothingWithoutAnObservationRegistry() {
        this.contextRunner.run((context) -> assertThat(context).hasSingleBean(PoolConnFactory.class)
            .doesNotHaveBean(GtcpPoolConnFactoryBuilderCustomizer.class));
    }

    @Test
    void nothingWithoutMicrometerObservation() {
        this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class)
            .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).hasSingleBean(PoolConnFactory.class)
                .doesNotHaveBean(GtcpPoolConnFactoryBuilderCustomizer.class));
    }

    @Test
    void aNoopRegistryCostsNoObservation() {
        assertThat(new ObservationExchangeObserver(ObservationRegistry.NOOP).start("p", "127.0.0.1:1"))
            .isSameAs(io.gtcp.ExchangeObserver.Exchange.NONE);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Configuration(proxyBeanMethods = false)
    static class MaxSizeCustomizerConfiguration {

        @Bean
        GtcpPoolConnFactoryBuilderCustomizer maxThree() {
            return (builder) -> builder.maxSize(3);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TestRegistryConfiguration {

        @Bean
        TestObservationRegistry testObservationRegistry() {
            return TestObservationRegistry.create();
        }
    }
}
