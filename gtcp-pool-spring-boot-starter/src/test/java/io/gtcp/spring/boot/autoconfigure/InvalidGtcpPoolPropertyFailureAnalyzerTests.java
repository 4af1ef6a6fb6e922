package io.gtcp.spring.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidGtcpPoolPropertyFailureAnalyzerTests {

    @Test
    void describesPropertyValueOriginAndWhatToChange() {
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.pool.max-size", "-1");
        FailureAnalysis analysis = analyze(environment,
                new InvalidGtcpPoolPropertyException("gtcp.pool.max-size", -1, "it must be at least 1", null));
        assertThat(analysis.getDescription()).contains("Property: gtcp.pool.max-size")
            .contains("Value: \"-1\"")
            .contains("Origin: \"gtcp.pool.max-size\" from property source \"mockProperties\"")
            .contains("Reason: it must be at least 1");
        assertThat(analysis.getAction())
            .isEqualTo("Change gtcp.pool.max-size in the application's configuration: it must be at least 1.");
    }

    @Test
    void showsTheValueAsItWasWritten() {
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.pool.ttl", "-1s");
        FailureAnalysis analysis = analyze(environment, new InvalidGtcpPoolPropertyException("gtcp.pool.ttl",
                Duration.ofSeconds(-1), "it must not be negative", null));
        assertThat(analysis.getDescription()).contains("Value: \"-1s\"");
    }

    @Test
    void withoutASourceShowsTheBoundValueAndNoOrigin() {
        FailureAnalysis analysis = analyze(new MockEnvironment(), new InvalidGtcpPoolPropertyException(
                "gtcp.pool.read-timeout", Duration.ofMillis(-250), "it must not be negative", null));
        assertThat(analysis.getDescription()).contains("Value: \"-250ms\"").doesNotContain("Origin:");
    }

    @Test
    void namesTheNamedPoolAndItsFullPath() {
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.pools.orders.max-size", "0");
        FailureAnalysis analysis = analyze(environment, new InvalidGtcpPoolPropertyException(
                "gtcp.pools.orders.max-size", 0, "it must be at least 1", null));
        assertThat(analysis.getDescription()).startsWith("The gtcp pool 'orders' could not be configured")
            .contains("Property: gtcp.pools.orders.max-size")
            .contains("Origin: \"gtcp.pools.orders.max-size\" from property source \"mockProperties\"")
            .doesNotContain("Inherited");
        assertThat(analysis.getAction()).startsWith("Change gtcp.pools.orders.max-size in");
    }

    @Test
    void aValueANamedPoolInheritedIsTracedToTheDefaultPoolsProperty() {
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.pool.max-size", "0");
        FailureAnalysis analysis = analyze(environment, new InvalidGtcpPoolPropertyException(
                "gtcp.pools.orders.max-size", 0, "it must be at least 1", null));
        assertThat(analysis.getDescription()).contains("Property: gtcp.pools.orders.max-size")
            .contains("Inherited from: gtcp.pool.max-size")
            .contains("Origin: \"gtcp.pool.max-size\" from property source \"mockProperties\"");
        assertThat(analysis.getAction()).startsWith(
                "Change gtcp.pool.max-size (or set gtcp.pools.orders.max-size) in the application's configuration");
    }

    @Test
    void namesACamelCaseNamedPoolWithItsOrigin() {
        MockEnvironment environment = new MockEnvironment().withProperty("gtcp.pools.ordersEu.max-size", "0");
        FailureAnalysis analysis = analyze(environment, new InvalidGtcpPoolPropertyException(
                "gtcp.pools.ordersEu.max-size", 0, "it must be at least 1", null));
        assertThat(analysis).as("the analyzer must not fail on the pool's name").isNotNull();
        assertThat(analysis.getDescription()).startsWith("The gtcp pool 'ordersEu' could not be configured")
            .contains("Property: gtcp.pools.ordersEu.max-size")
            .contains("Origin: \"gtcp.pools.ordersEu.max-size\" from property source \"mockProperties\"");
    }

    private static FailureAnalysis analyze(MockEnvironment environment, InvalidGtcpPoolPropertyException cause) {
        BeanCreationException failure = new BeanCreationException("gtcpPoolConnFactory", "cannot create", cause);
        return new InvalidGtcpPoolPropertyFailureAnalyzer(environment).analyze(failure);
    }
}
