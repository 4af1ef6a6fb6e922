package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.Converter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gtcp.pools.<name>.*}: one more factory bean per name, its settings over the default pool's. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpNamedPoolsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GtcpPoolAutoConfiguration.class));

    private EchoServer orders;

    private EchoServer billing;

    @BeforeEach
    void startServers() {
        this.orders = EchoServer.plain();
        this.billing = EchoServer.plain();
    }

    @AfterEach
    void stopServers() {
        this.orders.close();
        this.billing.close();
    }

    @Test
    void oneFactoryBeanPerNamedPoolBesideThePrimaryDefault() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.orders.address(),
                    "gtcp.pools.orders.address=" + this.orders.address(),
                    "gtcp.pools.billing.address=" + this.billing.address())
            .run((context) -> {
                Map<String, PoolConnFactory> beans = context.getBeansOfType(PoolConnFactory.class);
                assertThat(beans).containsOnlyKeys("gtcpPoolConnFactory", "ordersPoolConnFactory",
                        "billingPoolConnFactory");
                assertThat(beans.get("ordersPoolConnFactory").name()).isEqualTo("orders");
                assertThat(beans.get("billingPoolConnFactory").name()).isEqualTo("billing");
                assertThat(beans.get("billingPoolConnFactory").address()).isEqualTo(this.billing.address());
                assertThat(context.getBean(PoolConnFactory.class)).as("by type: the default pool, @Primary")
                    .isSameAs(beans.get("gtcpPoolConnFactory"));
                assertThat(context.getBean(PoolConnFactory.class).name()).isEqualTo("default");
                try (PoolConn conn = beans.get("billingPoolConnFactory").get()) {
                    assertThat(conn.sendRecvPkg(bytes("bill"))).isEqualTo(bytes("bill"));
                }
            });
    }

    @Test
    void injectableWithTheirNameAsQualifier() {
        this.contextRunner.withUserConfiguration(QualifiedClientConfiguration.class)
            .withPropertyValues("gtcp.pools.orders.address=" + this.orders.address(),
                    "gtcp.pools.billing.address=" + this.billing.address())
            .run((context) -> {
                QualifiedClient client = context.getBean(QualifiedClient.class);
                assertThat(client.orders().name()).isEqualTo("orders");
                assertThat(client.billing().name()).isEqualTo("billing");
                assertThat(client.primary()).isSameAs(context.getBean("gtcpPoolConnFactory"));
            });
    }

    @Test
    void unsetKeysComeFromTheDefaultPool() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.max-size=7", "gtcp.pool.address=" + this.orders.address(),
                    "gtcp.pool.load-balancing=round-robin", "gtcp.pools.orders.max-size=16",
                    "gtcp.pools.billing.address=" + this.billing.address(), "gtcp.pools.mirror.min-idle=1")
            .run((context) -> {
                PoolConnFactory orders = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(),
                        PoolConnFactory.class, "orders");
                assertThat(orders.maxSize()).isEqualTo(16);
                assertThat(orders.address()).as("inherited").isEqualTo(this.orders.address());
                PoolConnFactory billing = context.getBean("billingPoolConnFactory", PoolConnFactory.class);
                assertThat(billing.maxSize()).as("inherited").isEqualTo(7);
                assertThat(billing.address()).isEqualTo(this.billing.address());
                assertThat(context.getBean(PoolConnFactory.class).maxSize()).isEqualTo(7);
            });
    }

    @Test
    void aNamedPoolThatSaysWhereItConnectsInheritsNoneOfTheDefaultPoolsTarget() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.orders.address(),
                    "gtcp.pools.billing.addresses[0]=" + this.billing.address())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                PoolConnFactory billing = context.getBean("billingPoolConnFactory", PoolConnFactory.class);
                assertThat(billing.address()).isEqualTo(this.billing.address());
            });
    }

    @Test
    void theDefaultPoolIsNotPrimaryWithoutNamedPools() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(PoolConnFactory.class);
            assertThat(context.getBeanFactory().getBeanDefinition("gtcpPoolConnFactory").isPrimary()).isFalse();
        });
    }

    @Test
    void customizersSeeEveryPoolWithItsName() {
        this.contextRunner.withUserConfiguration(NamingCustomizerConfiguration.class)
            .withPropertyValues("gtcp.pools.orders.max-size=16", "gtcp.pools.billing.max-size=16")
            .run((context) -> {
                assertThat(context.getBean(NamingCustomizer.class).seen).containsExactlyInAnyOrder("default", "orders",
                        "billing");
                assertThat(context.getBean("billingPoolConnFactory", PoolConnFactory.class).maxSize()).as("by name")
                    .isEqualTo(2);
                assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).maxSize()).isEqualTo(16);
            });
    }

    @Test
    void aLambdaCustomizerCustomizesEveryPool() {
        this.contextRunner.withUserConfiguration(LambdaCustomizerConfiguration.class)
            .withPropertyValues("gtcp.pools.orders.max-size=16")
            .run((context) -> assertThat(context.getBeansOfType(PoolConnFactory.class).values())
                .allSatisfy((factory) -> assertThat(factory.maxSize()).isEqualTo(3)));
    }

    @Test
    void aUserFactoryReplacesTheDefaultPoolAndTheNamedPoolsStay() {
        this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class)
            .withPropertyValues("gtcp.pools.orders.address=" + this.orders.address())
            .run((context) -> assertThat(context.getBeansOfType(PoolConnFactory.class)).containsOnlyKeys("mine",
                    "ordersPoolConnFactory"));
    }

    @Test
    void aUserBeanOfANamedPoolsNameReplacesIt() {
        this.contextRunner.withUserConfiguration(UserOrdersConfiguration.class)
            .withPropertyValues("gtcp.pools.orders.address=" + this.orders.address())
            .run((context) -> assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).name())
                .isEqualTo("mine"));
    }

    @Test
    void replacingANamedPoolKeepsTheDefaultPoolPrimary() {
        this.contextRunner.withUserConfiguration(UserOrdersConfiguration.class)
            .withPropertyValues("gtcp.pool.address=" + this.billing.address(),
                    "gtcp.pools.orders.address=" + this.orders.address(),
                    "gtcp.pools.billing.address=" + this.billing.address())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeansOfType(PoolConnFactory.class)).containsOnlyKeys("gtcpPoolConnFactory",
                        "ordersPoolConnFactory", "billingPoolConnFactory");
                assertThat(context.getBean(PoolConnFactory.class).name()).as("by type").isEqualTo("default");
            });
    }

    @Test
    void namedPoolsAreClosedWithTheContext() {
        AtomicReference<PoolConnFactory> orders = new AtomicReference<>();
        this.contextRunner.withPropertyValues("gtcp.pools.orders.address=" + this.orders.address())
            .run((context) -> orders.set(context.getBean("ordersPoolConnFactory", PoolConnFactory.class)));
        assertThat(orders.get().isClosed()).isTrue();
    }

    @Test
    void groupSettingsBindForTheDefaultPoolAndANamedOne() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.addresses=" + this.orders.address() + "," + this.billing.address(),
                    "gtcp.pool.load-balancing=failover", "gtcp.pool.refresh-every=0",
                    "gtcp.pool.outlier-ejection.consecutive-failures=3",
                    "gtcp.pool.outlier-ejection.base-ejection-time=2s",
                    "gtcp.pool.outlier-ejection.max-ejection-percent=100",
                    "gtcp.pools.orders.load-balancing=round-robin")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                GtcpPoolProperties properties = context.getBean(GtcpPoolProperties.class);
                assertThat(properties.getAddresses()).containsExactly(this.orders.address(), this.billing.address());
                assertThat(properties.getLoadBalancing()).isEqualTo(LoadBalancing.FAILOVER);
                assertThat(properties.getRefreshEvery()).isZero();
                assertThat(properties.getOutlierEjection().getConsecutiveFailures()).isEqualTo(3);
                assertThat(properties.getOutlierEjection().getBaseEjectionTime()).isEqualTo(Duration.ofSeconds(2));
                assertThat(properties.getOutlierEjection().getMaxEjectionPercent()).isEqualTo(100);
                assertThat(context.getBean("ordersPoolConnFactory", PoolConnFactory.class).name()).isEqualTo("orders");
            });
    }

    @Test
    void aConfigurationPropertiesBindingConverterServesNamedPoolsAsTheDefaultPool() {
        this.contextRunner.withUserConfiguration(WordDurationsConfiguration.class)
            .withPropertyValues("gtcp.pool.read-timeout=5 seconds",
                    "gtcp.pools.orders.address=" + this.orders.address(), "gtcp.pools.orders.write-timeout=2 minutes")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(GtcpPoolProperties.class).getReadTimeout()).isEqualTo(Duration.ofSeconds(5));
                GtcpPoolProperties orders = context.getBean(GtcpPoolConnFactories.class).properties("orders");
                assertThat(orders.getReadTimeout()).as("inherited").isEqualTo(Duration.ofSeconds(5));
                assertThat(orders.getWriteTimeout()).isEqualTo(Duration.ofMinutes(2));
            });
    }

    @Test
    void theApplicationsConversionServiceServesNamedPoolsAsTheDefaultPool() {
        this.contextRunner.withUserConfiguration(WordDurationsConversionServiceConfiguration.class)
            .withPropertyValues("gtcp.pool.read-timeout=5 seconds", "gtcp.pools.orders.write-timeout=2 minutes")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                GtcpPoolProperties orders = context.getBean(GtcpPoolConnFactories.class).properties("orders");
                assertThat(orders.getReadTimeout()).as("inherited").isEqualTo(Duration.ofSeconds(5));
                assertThat(orders.getWriteTimeout()).isEqualTo(Duration.ofMinutes(2));
            });
    }

    @Test
    void aNamedPoolCalledDefaultFailsTheStartAndPointsToGtcpPool() {
        this.contextRunner
            .withPropertyValues("gtcp.pool.address=" + this.orders.address(), "gtcp.pools.default.max-size=16")
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidGtcpPoolPropertyException failure = GtcpPoolAutoConfigurationTests
                    .invalidProperty(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("gtcp.pools.default");
                assertThat(failure.getRequirement()).contains("gtcp.pool.*");
            });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    record QualifiedClient(PoolConnFactory orders, PoolConnFactory billing, PoolConnFactory primary) {
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedClientConfiguration {

        @Bean
        QualifiedClient qualifiedClient(@Qualifier("orders") PoolConnFactory orders,
                @Qualifier("billing") PoolConnFactory billing, PoolConnFactory primary) {
            return new QualifiedClient(orders, billing, primary);
        }
    }

    static class NamingCustomizer implements GtcpPoolConnFactoryBuilderCustomizer {

        final List<String> seen = new ArrayList<>();

        @Override
        public void customize(PoolConnFactory.Builder builder) {
            throw new AssertionError("the starter calls customize(pool, builder)");
        }

        @Override
        public void customize(String pool, PoolConnFactory.Builder builder) {
            this.seen.add(pool);
            if (pool.equals("billing")) {
                builder.maxSize(2);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NamingCustomizerConfiguration {

        @Bean
        NamingCustomizer namingCustomizer() {
            return new NamingCustomizer();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LambdaCustomizerConfiguration {

        @Bean
        GtcpPoolConnFactoryBuilderCustomizer maxThree() {
            return (builder) -> builder.maxSize(3);
        }
    }

    /** Durations as some teams write them, "5 seconds" or "2 minutes": what Boot's own conversion does not read. */
    static class WordDurationConverter implements Converter<String, Duration> {

        @Override
        public Duration convert(String source) {
            String[] words = source.trim().split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("not a number and a unit: " + source);
            }
            long amount = Long.parseLong(words[0]);
            return switch (words[1]) {
                case "seconds" -> Duration.ofSeconds(amount);
                case "minutes" -> Duration.ofMinutes(amount);
                default -> throw new IllegalArgumentException("not seconds or minutes: " + source);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WordDurationsConfiguration {

        @Bean
        @ConfigurationPropertiesBinding
        static WordDurationConverter wordDurationConverter() {
            return new WordDurationConverter();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WordDurationsConversionServiceConfiguration {

        @Bean
        static ConversionService conversionService() {
            ApplicationConversionService conversionService = new ApplicationConversionService();
            conversionService.addConverter(new WordDurationConverter());
            return conversionService;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFactoryConfiguration {

        @Bean
        PoolConnFactory mine() {
            return PoolConnFactory.builder().name("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserOrdersConfiguration {

        @Bean
        PoolConnFactory ordersPoolConnFactory() {
            return PoolConnFactory.builder().name("mine").build();
        }
    }
}
