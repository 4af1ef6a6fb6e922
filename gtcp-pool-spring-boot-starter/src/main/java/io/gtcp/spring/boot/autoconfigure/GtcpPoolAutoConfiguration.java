package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link PoolConnFactory} from the {@code gtcp.pool.*} properties, closed with the application
 * context. An application that defines its own {@code PoolConnFactory} bean keeps it: this one backs off, and the
 * metrics and health auto-configurations observe the user's factory instead.
 *
 * <p>The properties are mapped onto the core's builder in one place, {@link #builder}. The core checks every value;
 * a value it rejects becomes an {@link InvalidGtcpPoolPropertyException} naming the property, so the startup
 * failure report says which line of the configuration to change rather than which builder method complained.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(PoolConnFactory.class)
@EnableConfigurationProperties(GtcpPoolProperties.class)
public final class GtcpPoolAutoConfiguration {

    private static final String ADDRESS_FORM =
            "it must be host:port, a host name or IP address and a port of 0 to 65535, such as 127.0.0.1:8999";

    private static final String NOT_NEGATIVE = "it must not be negative (0 means no limit)";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PoolConnFactory gtcpPoolConnFactory(GtcpPoolProperties properties, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers) {
        PoolConnFactory.Builder builder = builder(properties, sslBundles);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** The one place where properties become builder settings. */
    private static PoolConnFactory.Builder builder(GtcpPoolProperties properties, ObjectProvider<SslBundles> sslBundles) {
        PoolConnFactory.Builder builder = PoolConnFactory.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getName).to(checked("gtcp.pool.name", "it must not be blank", builder::name));
        map.from(properties::getAddress).to(checked("gtcp.pool.address", ADDRESS_FORM, builder::address));
        map.from(properties::getTtl).to(checked("gtcp.pool.ttl",
                "it must not be negative (0 keeps idle connections forever)", builder::ttl));
        map.from(properties::getMaxLifetime).to(checked("gtcp.pool.max-lifetime", NOT_NEGATIVE, builder::maxLifetime));
        map.from(properties::getMaxSize).to(checked("gtcp.pool.max-size", "it must be at least 1", builder::maxSize));
        map.from(properties::getMinIdle).to(checked("gtcp.pool.min-idle", "it must not be negative", builder::minIdle));
        map.from(properties::getAcquireTimeout).to(checked("gtcp.pool.acquire-timeout", NOT_NEGATIVE,
                builder::acquireTimeout));
        map.from(properties::getConnectTimeout).to(checked("gtcp.pool.connect-timeout", NOT_NEGATIVE,
                builder::connectTimeout));
        map.from(properties::getReadTimeout).to(checked("gtcp.pool.read-timeout", NOT_NEGATIVE, builder::readTimeout));
        map.from(properties::getWriteTimeout).to(checked("gtcp.pool.write-timeout", NOT_NEGATIVE,
                builder::writeTimeout));
        map.from(properties::isValidateOnBorrow).to(builder::validateOnBorrow);
        map.from(properties::getCheckIdleAfter).to(checked("gtcp.pool.check-idle-after",
                "it must be between 0 and " + PoolConnFactory.MAX_CHECK_IDLE_AFTER.toMillis() + "ms",
                builder::checkIdleAfter));
        map.from(properties::getLeakDetectionThreshold).to(checked("gtcp.pool.leak-detection-threshold",
                "it must not be negative (0 turns leak detection off)", builder::leakDetectionThreshold));
        map.from(properties::getRetry).as(GtcpPoolAutoConfiguration::retry).to(builder::retry);
        map.from(properties.getSsl()::getBundle).as(name -> sslContext(name, sslBundles.getIfAvailable()))
                .to(builder::sslContext);
        if (properties.getMinIdle() > properties.getMaxSize()) {
            throw new InvalidGtcpPoolPropertyException("gtcp.pool.min-idle", properties.getMinIdle(),
                    "it must not exceed gtcp.pool.max-size (" + properties.getMaxSize() + ")", null);
        }
        return builder;
    }

    private static Retry retry(GtcpPoolProperties.Retry retry) {
        int count = retry.getCount();
        check("gtcp.pool.retry.count", count, "it must not be negative (0 means no retry)", () -> Retry.of(count));
        check("gtcp.pool.retry.interval", retry.getInterval(), "it must not be negative (0 means 100ms)",
                () -> Retry.of(0, retry.getInterval()));
        return Retry.of(count, retry.getInterval());
    }

    private static SSLContext sslContext(String bundle, SslBundles sslBundles) {
        if (sslBundles == null) {
            throw new InvalidGtcpPoolPropertyException("gtcp.pool.ssl.bundle", bundle,
                    "it must name an SSL bundle, but the application has no SslBundles bean", null);
        }
        try {
            return sslBundles.getBundle(bundle).createSslContext();
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidGtcpPoolPropertyException("gtcp.pool.ssl.bundle", bundle,
                    "it must name an SSL bundle configured under spring.ssl.bundle; configured bundles: "
                            + sslBundles.getBundleNames(), ex);
        }
    }

    /** Wraps a builder setter so that the core's rejection of a value names the property it came from. */
    private static <T> Consumer<T> checked(String property, String requirement, Consumer<T> setter) {
        return value -> check(property, value, requirement, () -> {
            setter.accept(value);
            return null;
        });
    }

    private static <T> T check(String property, Object value, String requirement, Supplier<T> action) {
        try {
            return action.get();
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidGtcpPoolPropertyException(property, value, requirement, ex);
        }
    }
}
