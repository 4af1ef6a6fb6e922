package io.gtcp.spring.boot.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A typo in a key under {@code gtcp.pool.}, {@code gtcp.pools.<name>.} or {@code gtcp.server.} stops the start,
 * naming the key and the nearest one that exists; the keys that exist come from the properties classes' metadata.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class GtcpPropertyKeysTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpPoolAutoConfiguration.class));

    @Test
    void aTypoUnderGtcpPoolStopsTheStartWithTheNearestKey() {
        this.contextRunner.withPropertyValues("gtcp.pool.max-szie=7").run((context) -> {
            InvalidGtcpPoolPropertyException failure = GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo("gtcp.pool.max-szie");
            assertThat(failure.getRequirement()).isEqualTo("there is no such key; did you mean gtcp.pool.max-size?");
        });
    }

    @Test
    void aTypoOfANamedPoolIsNamedWithThePoolsKey() {
        this.contextRunner.withPropertyValues("gtcp.pools.orders.outlier-ejection.consecutive-failure=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = GtcpNamedPoolsNamingTests
                    .invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders.outlier-ejection.consecutive-failure");
                assertThat(failure.getRequirement())
                    .endsWith("did you mean gtcp.pools.orders.outlier-ejection.consecutive-failures?");
            });
    }

    @Test
    void aTypoOfLoadBalancingIsCaught() {
        this.contextRunner.withPropertyValues("gtcp.pool.load-balanceing=failover")
            .run((context) -> assertThat(
                    GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getRequirement())
                .endsWith("did you mean gtcp.pool.load-balancing?"));
    }

    @Test
    void anUnknownServerKeyStopsTheStart() {
        this.contextRunner.withPropertyValues("gtcp.server.no-such-key=1")
            .run((context) -> assertThat(
                    GtcpNamedPoolsNamingTests.invalid(context.getStartupFailure()).getProperty())
                .isEqualTo("gtcp.server.no-such-key"));
    }

    @Test
    void everyRelaxedSpellingOfAKnownKeyAndListIndexesPass() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.maxSize=7", "gtcp.pool.acquire_timeout=1s",
                    "gtcp.pool.addresses[0]=127.0.0.1:1", "gtcp.pool.addresses[1]=127.0.0.1:2",
                    "gtcp.pools.orders.outlierEjection.consecutiveFailures=3", "gtcp.pools.orders.address=127.0.0.1:3")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void otherGtcpPrefixesBelongToTheApplication() {
        this.contextRunner.withPropertyValues("gtcp.sample.port=0", "gtcp.anything.else=1", "gtcp.pooling=2")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void aKeyOfAPropertiesClassIsKnownThroughItsMetadataWhereverTheClassLives(@TempDir Path dir) throws IOException {
        Path metadata = dir.resolve("META-INF/spring-configuration-metadata.json");
        Files.createDirectories(metadata.getParent());
        Files.writeString(metadata, """
                {"properties": [
                  {"name": "gtcp.server.address", "type": "java.lang.String",
                   "description": "Where it listens: {host}:{port] \\"quoted\\" ]", "deprecation": {"level": "warning"}},
                  {"name": "gtcp.server.ssl.bundle", "type": "java.lang.String"},
                  {"name": "gtcp.pool.retry-budget.ratio", "type": "java.lang.Double"}
                ]}""");
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.server.address", ":0")
            .withProperty("gtcp.server.ssl.bundle", "server")
            .withProperty("gtcp.pools.orders.retry-budget.ratio", "0.1");
        try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() },
                getClass().getClassLoader())) {
            assertThatNoException().isThrownBy(() -> GtcpPropertyKeys.check(environment, loader));
            environment.setProperty("gtcp.server.adress", ":0");
            assertThatException().isThrownBy(() -> GtcpPropertyKeys.check(environment, loader))
                .isInstanceOf(InvalidGtcpPoolPropertyException.class)
                .withMessageContaining("did you mean gtcp.server.address?");
        }
    }

    @Test
    void theReportNamesTheKeyItsOriginAndTheNearestKey(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--gtcp.pools.orders.max-szie=7"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: gtcp.pools.orders.max-szie")
            .contains("Value: \"7\"")
            .contains("from property source \"commandLineArgs\"")
            .contains("did you mean gtcp.pools.orders.max-size?");
    }

    @Test
    void theReportOfANamedPoolsNameSaysToRemoveIt(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--gtcp.pools.orders.name=billing"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("The gtcp pool 'orders' could not be configured")
            .contains("Property: gtcp.pools.orders.name")
            .contains("Value: \"billing\"")
            .contains("from property source \"commandLineArgs\"")
            .contains("remove gtcp.pools.orders.name");
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

    }
}
