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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named pools never vanish: a pool name is Boot's canonical form, and a name that relaxed binding would merge, cut
 * or let collide with a bean stops the start, naming the property.
 */
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
    void aCanonicalNameWithDashesAndDigitsBindsItsSettings() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.max-size=7", "gtcp.pools.orders-v2.address=" + this.server.address(),
                    "gtcp.pools.orders-v2.min-idle=2")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                PoolConnFactory orders = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(),
                        PoolConnFactory.class, "orders-v2");
                assertThat(context.getBean("orders-v2PoolConnFactory")).isSameAs(orders);
                assertThat(orders.name()).isEqualTo("orders-v2");
                assertThat(orders.minIdle()).isEqualTo(2);
                assertThat(orders.maxSize()).as("inherited").isEqualTo(7);
            });
    }

    @Test
    void aCamelCaseNameStopsTheStartWithItsCanonicalForm() {
        this.contextRunner.withPropertyValues("gtcp.pools.ordersEu.address=" + this.server.address())
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.ordersEu.address");
                assertThat(failure.getRequirement()).contains("canonical form").contains("gtcp.pools.orders-eu");
            });
    }

    @Test
    void twoSpellingsOfOneNameStopTheStartInsteadOfMerging() {
        this.contextRunner.withPropertyValues("gtcp.pools.Orders_V2.max-size=7", "gtcp.pools.orders-v2.max-size=3")
            .run((context) -> assertThat(invalid(context.getStartupFailure()).getProperty())
                .isEqualTo("gtcp.pools.Orders_V2.max-size"));
    }

    @Test
    void twoCanonicalNamesThatBindAsOneStopTheStartNamingBoth() {
        this.contextRunner.withPropertyValues("gtcp.pools.orders-v2.max-size=7", "gtcp.pools.ordersv2.max-size=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.ordersv2.max-size");
                assertThat(failure.getRequirement()).contains("gtcp.pools.ordersv2 and gtcp.pools.orders-v2")
                    .contains("bind as one pool");
            });
    }

    @Test
    void aDottedNameStopsTheStartInsteadOfBecomingItsFirstPart() {
        this.contextRunner.withPropertyValues("gtcp.pools.orders.eu.max-size=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders.eu.max-size");
                assertThat(failure.getRequirement()).contains("has no '.'").contains("gtcp.pools.orders-eu");
            });
    }

    @Test
    void aNameWithASlashStopsTheStartNamingIt() {
        this.contextRunner.withPropertyValues("gtcp.pools[orders/eu].max-size=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).contains("orders/eu");
                assertThat(failure.getRequirement()).contains("canonical form");
            });
    }

    @Test
    void aNameWhoseBeanNameIsTheDefaultPoolsStopsTheStart() {
        this.contextRunner.withPropertyValues("gtcp.pool.address=" + this.server.address(), "gtcp.pools.gtcp.max-size=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.gtcp.max-size");
                assertThat(failure.getRequirement()).contains("gtcpPoolConnFactory");
            });
    }

    @Test
    void aNameWhoseBeanNameAnApplicationBeanOfAnotherTypeHasStopsTheStart() {
        this.contextRunner.withUserConfiguration(StringNamedLikeAPool.class)
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address())
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders");
                assertThat(failure.getRequirement()).contains("ordersPoolConnFactory")
                    .contains("java.lang.String");
            });
    }

    @Test
    void anApplicationPoolConnFactoryOfThePoolsBeanNameReplacesThePool() {
        this.contextRunner.withUserConfiguration(OwnOrdersPool.class)
            .withPropertyValues("gtcp.pools.orders.address=127.0.0.1:1")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).name()).isEqualTo("mine");
            });
    }

    @Test
    void theDefaultPoolsNameTakenByANamedPoolStopsTheStartNamingBothProperties() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.name=orders", "gtcp.pool.address=" + this.server.address(),
                    "gtcp.pools.orders.max-size=3")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders.max-size");
                assertThat(failure.getRequirement()).contains("gtcp.pool.name").contains("gtcp.pools.orders");
            });
    }

    @Test
    void aNamedPoolsNameKeyStopsTheStartInsteadOfBeingIgnored() {
        this.contextRunner
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address(), "gtcp.pools.orders.name=billing")
            .run((context) -> {
                InvalidGtcpPoolPropertyException failure = invalid(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.orders.name");
                assertThat(failure.getRequirement()).contains("named by its key")
                    .contains("remove gtcp.pools.orders.name")
                    .contains("gtcp.pools.<the name you want>");
            });
    }

    @Test
    void aNamedPoolsNameKeyIsRefusedEvenWhenItRepeatsTheKeyInAnySpelling() {
        this.contextRunner
            .withPropertyValues("gtcp.pools.orders.address=" + this.server.address(), "gtcp.pools.orders.Name=orders")
            .run((context) -> assertThat(invalid(context.getStartupFailure()).getProperty())
                .isEqualTo("gtcp.pools.orders.Name"));
    }

    @Test
    void theDefaultPoolsNameStillNamesTheDefaultPoolAlongsideNamedOnes() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.name=main", "gtcp.pool.address=" + this.server.address(),
                    "gtcp.pools.orders.address=" + this.server.address())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean("gtcpPoolConnFactory", PoolConnFactory.class).name()).isEqualTo("main");
                assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).name())
                    .as("a named pool does not inherit gtcp.pool.name")
                    .isEqualTo("orders");
            });
    }

    static InvalidGtcpPoolPropertyException invalid(Throwable failure) {
        assertThat(failure).as("the start must fail").isNotNull();
        return GtcpPoolAutoConfigurationTests.invalidProperty(failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class StringNamedLikeAPool {

        @Bean
        String ordersPoolConnFactory() {
            return "not a pool";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnOrdersPool {

        @Bean(destroyMethod = "close")
        PoolConnFactory ordersPoolConnFactory() {
            return PoolConnFactory.builder().name("mine").build();
        }
    }
}
