package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Pool names as users write map keys: camelCase in YAML or properties must work like a kebab-case name. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpNamedPoolsNamingTests {

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
    void aCamelCasePoolNameBindsItsSettings() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.max-size=7", "gtcp.pools.ordersEu.address=" + this.server.address(),
                    "gtcp.pools.ordersEu.min-idle=2")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                PoolConnFactory orders = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(),
                        PoolConnFactory.class, "ordersEu");
                assertThat(context.getBean("ordersEuPoolConnFactory")).isSameAs(orders);
                assertThat(orders.name()).isEqualTo("ordersEu");
                assertThat(orders.address()).isEqualTo(this.server.address());
                assertThat(orders.minIdle()).isEqualTo(2);
                assertThat(orders.maxSize()).as("inherited").isEqualTo(7);
            });
    }
}
