package io.gtcp.sample;

import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A {@link PoolConnFactory} from the {@code gtcp.pool.*} properties for when the starter's auto-configuration
 * does not provide one.
 */
@AutoConfiguration
@ConditionalOnMissingBean(PoolConnFactory.class)
public final class FallbackPoolAutoConfiguration {

    @Bean(destroyMethod = "close")
    PoolConnFactory gtcpPoolConnFactory(Environment environment) {
        Binder binder = Binder.get(environment);
        PoolConnFactory.Builder builder = PoolConnFactory.builder();
        binder.bind("gtcp.pool.address", String.class).ifBound(builder::address);
        binder.bind("gtcp.pool.ttl", Duration.class).ifBound(builder::ttl);
        binder.bind("gtcp.pool.max-lifetime", Duration.class).ifBound(builder::maxLifetime);
        binder.bind("gtcp.pool.max-size", Integer.class).ifBound(builder::maxSize);
        binder.bind("gtcp.pool.min-idle", Integer.class).ifBound(builder::minIdle);
        binder.bind("gtcp.pool.acquire-timeout", Duration.class).ifBound(builder::acquireTimeout);
        binder.bind("gtcp.pool.connect-timeout", Duration.class).ifBound(builder::connectTimeout);
        binder.bind("gtcp.pool.read-timeout", Duration.class).ifBound(builder::readTimeout);
        binder.bind("gtcp.pool.write-timeout", Duration.class).ifBound(builder::writeTimeout);
        int retryCount = binder.bind("gtcp.pool.retry.count", Integer.class).orElse(0);
        Duration retryInterval = binder.bind("gtcp.pool.retry.interval", Duration.class).orElse(null);
        builder.retry(Retry.of(retryCount, retryInterval));
        binder.bind("gtcp.pool.validate-on-borrow", Boolean.class).ifBound(builder::validateOnBorrow);
        return builder.build();
    }
}
