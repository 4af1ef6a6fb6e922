package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.Conn;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpPoolAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpPoolAutoConfiguration.class));

    private EchoServer server;

    @BeforeEach
    void startServer() {
        this.server = EchoServer.plain();
    }

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void injectedFactoryTalksToTheConfiguredAddress() {
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + this.server.address()).run((context) -> {
            assertThat(context).hasSingleBean(PoolConnFactory.class);
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            assertThat(factory.address()).isEqualTo(this.server.address());
            try (PoolConn conn = factory.get()) {
                assertThat(conn.sendRecvPkg(bytes("hello"))).isEqualTo(bytes("hello"));
            }
        });
    }

    @Test
    void withoutPropertiesTheFactoryHasTheCoreDefaults() {
        this.contextRunner.run((context) -> {
            PoolConnFactory factory = context.getBean(PoolConnFactory.class);
            assertThat(factory.name()).isEqualTo(PoolConnFactory.DEFAULT_NAME);
            assertThat(factory.maxSize()).isEqualTo(PoolConnFactory.DEFAULT_MAX_SIZE);
            assertThat(factory.address()).isNull();
        });
    }

    @Test
    void getWithoutAnAddressNamesTheProperty() {
        this.contextRunner.withPropertyValues("gtcp.pools.orders.max-size=2").run((context) -> {
            assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> context.getBean(PoolConnFactory.class).get())
                .withMessageContaining("set gtcp.pool.address");
            assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> context.getBean("ordersPoolConnFactory", PoolConnFactory.class).get())
                .withMessageContaining("set gtcp.pools.orders.address");
        });
    }

    @Test
    void propertyDefaultsAreTheCoreDefaults() {
        GtcpPoolProperties properties = new GtcpPoolProperties();
        assertThat(properties.getName()).isEqualTo(PoolConnFactory.DEFAULT_NAME);
        assertThat(properties.getAddress()).isNull();
        assertThat(properties.getTtl()).isEqualTo(PoolConnFactory.DEFAULT_TTL);
        assertThat(properties.getMaxLifetime()).isZero();
        assertThat(properties.getMaxSize()).isEqualTo(PoolConnFactory.DEFAULT_MAX_SIZE);
        assertThat(properties.getMinIdle()).isZero();
        assertThat(properties.getAcquireTimeout()).isEqualTo(PoolConnFactory.DEFAULT_ACQUIRE_TIMEOUT);
        assertThat(properties.getConnectTimeout()).isEqualTo(PoolConnFactory.DEFAULT_CONNECT_TIMEOUT);
        assertThat(properties.getReadTimeout()).isZero();
        assertThat(properties.getWriteTimeout()).isZero();
        assertThat(properties.isValidateOnBorrow()).isTrue();
        assertThat(properties.getCheckIdleAfter()).isEqualTo(PoolConnFactory.MAX_CHECK_IDLE_AFTER);
        assertThat(properties.getLeakDetectionThreshold()).isZero();
        assertThat(properties.getRetry().getCount()).isEqualTo(Retry.NONE.count());
        assertThat(properties.getRetry().getInterval()).isEqualTo(Retry.DEFAULT_INTERVAL);
        assertThat(properties.getSsl().getBundle()).isNull();
    }

    @Test
    void bindsEveryPropertyInEveryDurationForm() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pool.name=orders",
                    "gtcp.pool.ttl=90s", "gtcp.pool.max-lifetime=30m", "gtcp.pool.max-size=8", "gtcp.pool.min-idle=2",
                    "gtcp.pool.acquire-timeout=250ms", "gtcp.pool.connect-timeout=2s", "gtcp.pool.read-timeout=1500",
                    "gtcp.pool.write-timeout=PT3S", "gtcp.pool.retry.count=3", "gtcp.pool.retry.interval=250ms",
                    "gtcp.pool.validate-on-borrow=false", "gtcp.pool.check-idle-after=100ms",
                    "gtcp.pool.leak-detection-threshold=1m")
            .run((context) -> {
                GtcpPoolProperties properties = context.getBean(GtcpPoolProperties.class);
                assertThat(properties.getAddress()).isEqualTo(this.server.address());
                assertThat(properties.getName()).isEqualTo("orders");
                assertThat(properties.getTtl()).isEqualTo(Duration.ofSeconds(90));
                assertThat(properties.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30));
                assertThat(properties.getMaxSize()).isEqualTo(8);
                assertThat(properties.getMinIdle()).isEqualTo(2);
                assertThat(properties.getAcquireTimeout()).isEqualTo(Duration.ofMillis(250));
                assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(properties.getReadTimeout()).isEqualTo(Duration.ofMillis(1500));
                assertThat(properties.getWriteTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(properties.getRetry().getCount()).isEqualTo(3);
                assertThat(properties.getRetry().getInterval()).isEqualTo(Duration.ofMillis(250));
                assertThat(properties.isValidateOnBorrow()).isFalse();
                assertThat(properties.getCheckIdleAfter()).isEqualTo(Duration.ofMillis(100));
                assertThat(properties.getLeakDetectionThreshold()).isEqualTo(Duration.ofMinutes(1));

                PoolConnFactory factory = context.getBean(PoolConnFactory.class);
                assertThat(factory.name()).isEqualTo("orders");
                assertThat(factory.address()).isEqualTo(this.server.address());
                assertThat(factory.maxSize()).isEqualTo(8);
                // min-idle reached the factory: its housekeeper fills the configured address's pool
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(factory.stats(this.server.address()).idle()).isEqualTo(2));
            });
    }

    @Test
    void readTimeoutBoundsAReceiveOnTheInjectedFactory() throws Exception {
        try (TcpServer silent = new TcpServer("127.0.0.1:0", GtcpPoolAutoConfigurationTests::readUntilClosed).start()) {
            this.contextRunner
                .withPropertyValues("gtcp.pool.address=127.0.0.1:" + silent.port(), "gtcp.pool.read-timeout=250ms")
                .run((context) -> {
                    try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                        assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(conn::recvPkg);
                    }
                });
        }
    }

    @Test
    void backsOffWhenTheUserDefinesAFactory() {
        this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class)
            .withPropertyValues("gtcp.pool.name=ignored")
            .run((context) -> {
                assertThat(context).hasSingleBean(PoolConnFactory.class);
                assertThat(context.getBean(PoolConnFactory.class).name()).isEqualTo("mine");
            });
    }

    @Test
    void customizersHaveTheLastWord() {
        this.contextRunner.withUserConfiguration(CustomizerConfiguration.class)
            .withPropertyValues("gtcp.pool.max-size=8")
            .run((context) -> assertThat(context.getBean(PoolConnFactory.class).maxSize()).isEqualTo(3));
    }

    @Test
    void factoryIsClosedWithTheContext() {
        AtomicReference<PoolConnFactory> factory = new AtomicReference<>();
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + this.server.address()).run((context) -> {
            factory.set(context.getBean(PoolConnFactory.class));
            factory.get().get().close();
            assertThat(factory.get().isClosed()).isFalse();
        });
        assertThat(factory.get().isClosed()).isTrue();
        assertThat(factory.get().stats().total()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void invalidValueFailsStartupNamingPropertyAndValue(String[] properties, String property, String value,
            String requirement) {
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            InvalidGtcpPoolPropertyException failure = invalidProperty(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo(property);
            assertThat(failure.getValue()).isEqualTo(value);
            assertThat(failure.getRequirement()).contains(requirement);
            assertThat(failure).hasMessage("Invalid value '" + value + "' for property '" + property + "': "
                    + failure.getRequirement());
        });
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                invalid("gtcp.pool.max-size", "0", "0", "at least 1"),
                invalid("gtcp.pool.max-size", "-4", "-4", "at least 1"),
                invalid("gtcp.pool.min-idle", "-1", "-1", "not be negative"),
                Arguments.of(new String[] { "gtcp.pool.max-size=2", "gtcp.pool.min-idle=5" }, "gtcp.pool.min-idle",
                        "5", "not exceed gtcp.pool.max-size (2)"),
                invalid("gtcp.pool.address", "localhost", "localhost", "host:port"),
                invalid("gtcp.pool.address", "127.0.0.1:99999", "127.0.0.1:99999", "host:port"),
                invalid("gtcp.pool.address", ":8999", ":8999", "host:port"),
                invalid("gtcp.pool.ttl", "-1s", "-1000ms", "not be negative"),
                invalid("gtcp.pool.max-lifetime", "-1m", "-60000ms", "not be negative"),
                invalid("gtcp.pool.acquire-timeout", "-250ms", "-250ms", "not be negative"),
                invalid("gtcp.pool.connect-timeout", "-2s", "-2000ms", "not be negative"),
                invalid("gtcp.pool.read-timeout", "-5ms", "-5ms", "not be negative"),
                invalid("gtcp.pool.write-timeout", "-5ms", "-5ms", "not be negative"),
                invalid("gtcp.pool.leak-detection-threshold", "-5ms", "-5ms", "not be negative"),
                invalid("gtcp.pool.check-idle-after", "-1ms", "-1ms", "between 0 and 500ms"),
                invalid("gtcp.pool.check-idle-after", "1s", "1000ms", "between 0 and 500ms"),
                invalid("gtcp.pool.retry.count", "-1", "-1", "not be negative"),
                invalid("gtcp.pool.retry.interval", "-100ms", "-100ms", "not be negative"),
                invalid("gtcp.pool.name", "", "", "not be blank"),
                invalid("gtcp.pool.ssl.bundle", "missing", "missing", "configured bundles: []"),
                invalid("gtcp.pools.orders.max-size", "0", "0", "at least 1"),
                invalid("gtcp.pools.orders.connect-timeout", "-1s", "-1000ms", "not be negative"),
                invalid("gtcp.pools.orders.address", "localhost", "localhost", "host:port"),
                Arguments.of(new String[] { "gtcp.pools.orders.max-size=2", "gtcp.pool.min-idle=5" },
                        "gtcp.pools.orders.min-idle", "5", "not exceed gtcp.pools.orders.max-size (2)"),
                invalid("gtcp.pool.addresses", "127.0.0.1:1,localhost", "[127.0.0.1:1, localhost]", "host:port"),
                Arguments.of(new String[] { "gtcp.pools.orders.addresses[0]=nowhere" }, "gtcp.pools.orders.addresses",
                        "[nowhere]", "host:port"),
                Arguments.of(new String[] { "gtcp.pool.address=127.0.0.1:1", "gtcp.pool.addresses=127.0.0.1:2" },
                        "gtcp.pool.addresses", "[127.0.0.1:2]", "not be set together with gtcp.pool.address"),
                invalid("gtcp.pool.refresh-every", "-1s", "-1000ms", "not be negative (0 means never)"),
                invalid("gtcp.pool.outlier-ejection.consecutive-failures", "-1", "-1", "not be negative"),
                invalid("gtcp.pool.outlier-ejection.base-ejection-time", "0s", "0ms", "positive"),
                invalid("gtcp.pools.orders.outlier-ejection.max-ejection-percent", "101", "101", "between 0 and 100"));
    }

    private static Arguments invalid(String property, String setting, String value, String requirement) {
        return Arguments.of(new String[] { property + "=" + setting }, property, value, requirement);
    }

    static InvalidGtcpPoolPropertyException invalidProperty(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidGtcpPoolPropertyException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidGtcpPoolPropertyException in " + failure, failure);
    }

    private static void readUntilClosed(Conn conn) throws IOException {
        try {
            conn.recvPkg();
        }
        catch (EOFException ex) {
            // the client closed the connection it never got an answer on
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFactoryConfiguration {

        @Bean
        PoolConnFactory userFactory() {
            return PoolConnFactory.builder().name("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        GtcpPoolConnFactoryBuilderCustomizer smallPool() {
            return (builder) -> builder.maxSize(3);
        }
    }
}
