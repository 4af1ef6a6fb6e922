package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An environment variable under {@code GTCP_POOL_}, {@code GTCP_POOLS_} or {@code GTCP_SERVER_} that no key reads
 * stops the start as a typo in application.yml does, and every spelling Boot binds passes, a named pool's name with
 * dashes included. The variables come from a {@code systemEnvironment} source put in place of the process's: the
 * real environment is not touched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class GtcpEnvironmentVariablesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpPoolAutoConfiguration.class));

    private EchoServer server;

    private EchoServer other;

    @BeforeEach
    void startServers() {
        this.server = EchoServer.plain();
        this.other = EchoServer.plain();
    }

    @AfterEach
    void stopServers() {
        this.other.close();
        this.server.close();
    }

    @Test
    void aTypoInAVariableStopsTheStartWithTheNearestVariable() {
        this.contextRunner.withInitializer(environment(Map.of("GTCP_POOL_MAXSZIE", "7"))).run((context) -> {
            InvalidGtcpPoolPropertyException failure = GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo("gtcp.pool.maxszie");
            assertThat(failure.getValue()).isEqualTo("7");
            assertThat(failure.getRequirement()).startsWith("the environment variable GTCP_POOL_MAXSZIE sets no key")
                .endsWith("did you mean GTCP_POOL_MAXSIZE (gtcp.pool.max-size)?");
        });
    }

    @Test
    void aTypoInAServerVariableStopsTheStart() {
        this.contextRunner.withInitializer(environment(Map.of("GTCP_SERVER_MAX_CONECTIONS", "7")))
            .run((context) -> assertThat(
                    GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getRequirement())
                .endsWith("did you mean GTCP_SERVER_MAXCONNECTIONS (gtcp.server.max-connections)?"));
    }

    @Test
    void everySpellingBootBindsPassesAndBinds() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("GTCP_POOL_MAXSIZE", "7");
        variables.put("GTCP_POOL_VALIDATE_ON_BORROW", "false");
        variables.put("gtcp_pool_outlier_ejection_consecutive_failures", "3");
        variables.put("GTCP_POOL_ADDRESSES_0", this.server.address());
        variables.put("GTCP_POOL_ADDRESSES_1", this.other.address());
        variables.put("GTCP_SERVER_MAX_CONNECTIONS", "10");
        this.contextRunner.withInitializer(environment(variables)).run((context) -> {
            assertThat(context).hasNotFailed();
            PoolConnFactory pool = context.getBean(PoolConnFactory.class);
            assertThat(pool.maxSize()).isEqualTo(7);
            assertThat(pool.validateOnBorrow()).isFalse();
            assertThat(pool.addresses()).containsExactlyInAnyOrder(this.server.address(), this.other.address());
            assertEchoes(pool);
        });
    }

    @Test
    void aNamedPoolsVariablesPassWhereverItsNameHasDashes() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("GTCP_POOLS_ORDERS_EU_MAX_SIZE", "5");
        variables.put("GTCP_POOLS_ORDERSEU_MINIDLE", "1");
        variables.put("GTCP_POOLS_ORDERS_MAXSIZE", "4");
        this.contextRunner.withInitializer(environment(variables))
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address(),
                    "gtcp.pools.orders-eu.address=" + this.other.address())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                PoolConnFactory ordersEu = context.getBean("orders-euPoolConnFactory", PoolConnFactory.class);
                assertThat(ordersEu.maxSize()).isEqualTo(5);
                assertThat(ordersEu.minIdle()).isEqualTo(1);
                PoolConnFactory orders = context.getBean("ordersPoolConnFactory", PoolConnFactory.class);
                assertThat(orders.maxSize()).isEqualTo(4);
                assertEchoes(ordersEu);
            });
    }

    @Test
    void aVariableOfAPoolNoOtherSourceDeclaresStopsTheStartInsteadOfSettingNothing() {
        this.contextRunner.withInitializer(environment(Map.of("GTCP_POOLS_BILLING_ADDRESS", this.other.address())))
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address())
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = GtcpNamedPoolsNamingTests
                    .invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.billing.address");
                assertThat(failure.getRequirement())
                    .startsWith("the environment variable GTCP_POOLS_BILLING_ADDRESS sets no key of a named pool")
                    .contains("the named pools are orders")
                    .contains("an environment variable cannot declare a pool");
            });
    }

    @Test
    void aTypoInANamedPoolsVariableNamesTheNearestVariable() {
        this.contextRunner.withInitializer(environment(Map.of("GTCP_POOLS_ORDERS_MAXSZIE", "4")))
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address())
            .run((context) -> assertThat(
                    GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getRequirement())
                .endsWith("did you mean GTCP_POOLS_ORDERS_MAXSIZE (gtcp.pools.orders.max-size)?"));
    }

    @Test
    void aNamedPoolsNameAsAVariableStopsTheStart() {
        this.contextRunner.withInitializer(environment(Map.of("GTCP_POOLS_ORDERS_EU_NAME", "billing")))
            .withPropertyValues("gtcp.pools.orders-eu.address=" + this.server.address())
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = GtcpNamedPoolsNamingTests
                    .invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders-eu.name");
                assertThat(failure.getRequirement()).contains("named by its key");
            });
    }

    @Test
    void otherGtcpVariablesBelongToTheApplication() {
        this.contextRunner
            .withInitializer(environment(Map.of("GTCP_SAMPLE_PORT", "0", "GTCP_POOLING_X", "1", "GTCP_SERVERS_Y", "2")))
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void kubernetesServiceLinksOfAServiceNamedGtcpPoolAreNotTheApplicationsSettings() {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("GTCP_POOL_SERVICE_HOST", "10.96.0.5");
        links.put("GTCP_POOL_SERVICE_PORT", "9000");
        links.put("GTCP_POOL_SERVICE_PORT_GTCP", "9000");
        links.put("GTCP_POOL_PORT", "tcp://10.96.0.5:9000");
        links.put("GTCP_POOL_PORT_9000_TCP", "tcp://10.96.0.5:9000");
        links.put("GTCP_POOL_PORT_9000_TCP_PROTO", "tcp");
        links.put("GTCP_POOL_PORT_9000_TCP_PORT", "9000");
        links.put("GTCP_POOL_PORT_9000_TCP_ADDR", "10.96.0.5");
        links.put("GTCP_POOLS_SERVICE_HOST", "10.96.0.6");
        this.contextRunner.withInitializer(environment(links)).run((context) -> assertThat(context).hasNotFailed());

        links.put("GTCP_POOL_MAXSZIE", "7"); // a typo beside them is still refused
        this.contextRunner.withInitializer(environment(links))
            .run((context) -> assertThat(GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getProperty())
                .isEqualTo("gtcp.pool.maxszie"));
        links.remove("GTCP_POOL_MAXSZIE");
        links.put("GTCP_POOL_PORT", "9000"); // a port that is no service link is a key no properties class has
        this.contextRunner.withInitializer(environment(links))
            .run((context) -> assertThat(GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getProperty())
                .isEqualTo("gtcp.pool.port"));
    }

    @Test
    void anEnvironmentPrefixIsReadAsBootReadsIt() {
        this.contextRunner.withInitializer(prefixed(Map.of("MYAPP_GTCP_POOL_MAXSIZE", "7", "GTCP_POOL_MAXSZIE", "1")))
            .run((context) -> {
                assertThat(context).as("a variable without the prefix is not the application's").hasNotFailed();
                assertThat(context.getBean(PoolConnFactory.class).maxSize()).isEqualTo(7);
            });
        this.contextRunner.withInitializer(prefixed(Map.of("MYAPP_GTCP_POOL_MAXSZIE", "7")))
            .run((context) -> assertThat(
                    GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getRequirement())
                .endsWith("did you mean MYAPP_GTCP_POOL_MAXSIZE (gtcp.pool.max-size)?"));
    }

    @Test
    void theReportNamesTheVariableAndTheNearestOne(CapturedOutput output) {
        SpringApplication application = new SpringApplication(GtcpPropertyKeysTests.Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers(environment(Map.of("GTCP_POOL_MAX_SZIE", "7")));
        assertThatException().isThrownBy(application::run);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: gtcp.pool.max.szie")
            .contains("Value: \"7\"")
            .contains("\"GTCP_POOL_MAX_SZIE\" from property source \"systemEnvironment\"")
            .contains("did you mean GTCP_POOL_MAXSIZE (gtcp.pool.max-size)?");
    }

    /** Puts {@code variables} in place of the process environment. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
            Map<String, Object> variables) {
        return (context) -> context.getEnvironment()
            .getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }

    /** Puts {@code variables} in place of the process environment, read with the prefix {@code myapp}. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> prefixed(
            Map<String, Object> variables) {
        return (context) -> context.getEnvironment()
            .getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new PrefixedEnvironment(variables));
    }

    private static void assertEchoes(PoolConnFactory pool) throws Exception {
        try (PoolConn conn = pool.get()) {
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            assertThat(conn.sendRecvPkg(hello)).isEqualTo(hello);
        }
    }

    /** The process environment as Boot gives it with SpringApplication.setEnvironmentPrefix("myapp"). */
    private static final class PrefixedEnvironment extends SystemEnvironmentPropertySource
            implements PropertySourceInfo {

        PrefixedEnvironment(Map<String, Object> variables) {
            super(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables);
        }

        @Override
        public String getPrefix() {
            return "myapp";
        }
    }
}
