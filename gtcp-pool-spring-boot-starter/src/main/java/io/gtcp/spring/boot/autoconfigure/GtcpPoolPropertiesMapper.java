package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.OutlierEjection;
import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;
import io.gtcp.RetryBudget;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * The one place where a pool's properties become {@link PoolConnFactory.Builder} settings, for the default pool
 * ({@code gtcp.pool}) and every named one ({@code gtcp.pools.<name>}) alike, and for an application that builds
 * a pool of its own from a {@link GtcpPoolProperties} it bound itself.
 *
 * <p>The core checks every value; a value it rejects becomes an {@link InvalidGtcpPoolPropertyException} naming
 * the property's full path under the prefix it was bound from, so the startup failure report says which line of
 * the configuration to change rather than which builder method complained.
 */
public final class GtcpPoolPropertiesMapper {

    private static final String ADDRESS_FORM =
            "it must be host:port, a host name or IP address and a port of 0 to 65535, such as 127.0.0.1:8999";

    private static final String NOT_NEGATIVE = "it must not be negative (0 means no limit)";

    private final SslBundles sslBundles;

    private final GtcpEndpointSources endpointSources;

    /**
     * @param sslBundles      the application's SSL bundles, or null if it has none
     * @param endpointSources where {@code discovery.service-id} finds its endpoints, or null without Spring Cloud
     */
    public GtcpPoolPropertiesMapper(SslBundles sslBundles, GtcpEndpointSources endpointSources) {
        this.sslBundles = sslBundles;
        this.endpointSources = endpointSources;
    }

    /**
     * A builder with the settings of {@code properties}, bound from {@code prefix} ({@code gtcp.pool} or
     * {@code gtcp.pools.<name>}), which is how a rejected value's property is named.
     */
    public PoolConnFactory.Builder builder(String prefix, GtcpPoolProperties properties) {
        PoolConnFactory.Builder builder = PoolConnFactory.builder()
            .addressHint("set " + prefix + ".address (or " + prefix + ".addresses, " + prefix
                    + ".discovery.service-id)");
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getName).to(checked(prefix + ".name", "it must not be blank", builder::name));
        target(prefix, properties, builder);
        map.from(properties::getLoadBalancing).to(builder::loadBalancing);
        map.from(properties::getRefreshEvery).to(checked(prefix + ".refresh-every",
                "it must not be negative (0 means never)", builder::refreshEvery));
        map.from(properties::getOutlierEjection).as((ejection) -> outlierEjection(prefix, ejection))
            .to(builder::outlierEjection);
        map.from(properties::getTtl).to(checked(prefix + ".ttl",
                "it must not be negative (0 keeps idle connections forever)", builder::ttl));
        map.from(properties::getMaxLifetime).to(checked(prefix + ".max-lifetime", NOT_NEGATIVE, builder::maxLifetime));
        map.from(properties::getMaxSize).to(checked(prefix + ".max-size", "it must be at least 1", builder::maxSize));
        map.from(properties::getMinIdle).to(checked(prefix + ".min-idle", "it must not be negative", builder::minIdle));
        map.from(properties::getAcquireTimeout).to(checked(prefix + ".acquire-timeout",
                "it must not be negative (0 fails at once when the pool is full)", builder::acquireTimeout));
        map.from(properties::getConnectTimeout).to(checked(prefix + ".connect-timeout", NOT_NEGATIVE,
                builder::connectTimeout));
        map.from(properties::getReadTimeout).to(checked(prefix + ".read-timeout", NOT_NEGATIVE, builder::readTimeout));
        map.from(properties::getWriteTimeout).to(checked(prefix + ".write-timeout", NOT_NEGATIVE,
                builder::writeTimeout));
        map.from(properties::isValidateOnBorrow).to(builder::validateOnBorrow);
        map.from(properties::getCheckIdleAfter).to(checked(prefix + ".check-idle-after",
                "it must be between 0 and " + PoolConnFactory.MAX_CHECK_IDLE_AFTER.toMillis() + "ms",
                builder::checkIdleAfter));
        map.from(properties::getLeakDetectionThreshold).to(checked(prefix + ".leak-detection-threshold",
                "it must not be negative (0 turns leak detection off)", builder::leakDetectionThreshold));
        map.from(properties::getRetry).as((retry) -> retry(prefix, retry)).to(builder::retry);
        map.from(properties::isIdempotent).to(builder::idempotent);
        map.from(properties::getMaxPending).to(checked(prefix + ".max-pending",
                "it must be -1 (no limit), 0 (never wait) or more", builder::maxPending));
        map.from(properties::getRetryBudget).as((budget) -> retryBudget(prefix, budget)).to(builder::retryBudget);
        // empty means plain TCP: how a named pool opts out of a bundle it would inherit from gtcp.pool.ssl.bundle
        map.from(properties.getSsl()::getBundle).whenHasText().as((name) -> sslContext(prefix, name))
            .to(builder::sslContext);
        if (properties.getMinIdle() > properties.getMaxSize()) {
            throw new InvalidGtcpPoolPropertyException(prefix + ".min-idle", properties.getMinIdle(),
                    "it must not exceed " + prefix + ".max-size (" + properties.getMaxSize() + ")", null);
        }
        return builder;
    }

    /** Where get() connects: one address, a fixed group, or a discovered one; at most one of the three. */
    private void target(String prefix, GtcpPoolProperties properties, PoolConnFactory.Builder builder) {
        String serviceId = properties.getDiscovery().getServiceId();
        boolean hasAddresses = properties.getAddresses() != null && !properties.getAddresses().isEmpty();
        if (hasAddresses && properties.getAddress() != null) {
            throw new InvalidGtcpPoolPropertyException(prefix + ".addresses", properties.getAddresses(),
                    "it must not be set together with " + prefix + ".address (a group of one is an address)", null);
        }
        if (serviceId != null && (hasAddresses || properties.getAddress() != null)) {
            throw new InvalidGtcpPoolPropertyException(prefix + ".discovery.service-id", serviceId,
                    "it must not be set together with " + prefix + ".address or " + prefix + ".addresses", null);
        }
        if (properties.getAddress() != null) {
            checked(prefix + ".address", ADDRESS_FORM, builder::address).accept(properties.getAddress());
        }
        if (hasAddresses) {
            GtcpPoolPropertiesMapper.<List<String>>checked(prefix + ".addresses",
                    "every entry " + ADDRESS_FORM.substring("it ".length()), builder::addresses)
                .accept(properties.getAddresses());
        }
        if (serviceId != null) {
            if (serviceId.isBlank()) {
                throw new InvalidGtcpPoolPropertyException(prefix + ".discovery.service-id", serviceId,
                        "it must not be blank", null);
            }
            if (this.endpointSources == null) {
                throw new InvalidGtcpPoolPropertyException(prefix + ".discovery.service-id", serviceId,
                        "it needs Spring Cloud Commons (spring-cloud-commons, with a DiscoveryClient) on the class path",
                        null);
            }
            Duration poll = properties.getDiscovery().getPollUntilHeartbeat();
            if (poll != null && poll.isNegative()) {
                throw new InvalidGtcpPoolPropertyException(prefix + ".discovery.poll-until-heartbeat", poll,
                        "it must not be negative (0 means polling only every refresh-every)", null);
            }
            builder.endpointSource(this.endpointSources.forService(serviceId,
                    properties.getDiscovery().getPortMetadataKey()));
        }
    }

    private static OutlierEjection outlierEjection(String prefix, GtcpPoolProperties.OutlierEjection ejection) {
        String property = prefix + ".outlier-ejection.";
        int failures = ejection.getConsecutiveFailures();
        Duration time = ejection.getBaseEjectionTime();
        int percent = ejection.getMaxEjectionPercent();
        Duration someTime = Duration.ofSeconds(1);
        check(property + "consecutive-failures", failures, "it must not be negative (0 never ejects)",
                () -> new OutlierEjection(failures, someTime, 50));
        check(property + "base-ejection-time", time, "it must be positive while ejection is on",
                () -> new OutlierEjection(failures, time, 50));
        check(property + "max-ejection-percent", percent, "it must be between 0 and 100",
                () -> new OutlierEjection(failures, someTime, percent));
        return new OutlierEjection(failures, time, percent);
    }

    private static RetryBudget retryBudget(String prefix, GtcpPoolProperties.RetryBudget budget) {
        String property = prefix + ".retry-budget.";
        double ratio = budget.getRatio();
        int perSecond = budget.getMinPerSecond();
        Duration window = budget.getWindow();
        Duration someWindow = Duration.ofSeconds(10);
        check(property + "ratio", ratio, "it must be 0 or more", () -> new RetryBudget(ratio, 0, someWindow));
        check(property + "min-per-second", perSecond, "it must not be negative",
                () -> new RetryBudget(0, perSecond, someWindow));
        check(property + "window", window, "it must be between 1s and 1h", () -> new RetryBudget(0, 0, window));
        return new RetryBudget(ratio, perSecond, window);
    }

    private static Retry retry(String prefix, GtcpPoolProperties.Retry retry) {
        int count = retry.getCount();
        check(prefix + ".retry.count", count, "it must not be negative (0 means no retry)", () -> Retry.of(count));
        check(prefix + ".retry.interval", retry.getInterval(), "it must not be negative (0 means 100ms)",
                () -> Retry.of(0, retry.getInterval()));
        return Retry.of(count, retry.getInterval());
    }

    private SSLContext sslContext(String prefix, String bundle) {
        if (this.sslBundles == null) {
            throw new InvalidGtcpPoolPropertyException(prefix + ".ssl.bundle", bundle,
                    "it must name an SSL bundle, but the application has no SslBundles bean", null);
        }
        try {
            return this.sslBundles.getBundle(bundle).createSslContext();
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidGtcpPoolPropertyException(prefix + ".ssl.bundle", bundle,
                    "it must name an SSL bundle configured under spring.ssl.bundle; configured bundles: "
                            + this.sslBundles.getBundleNames(), ex);
        }
    }

    /** Wraps a builder setter so that the core's rejection of a value names the property it came from. */
    private static <T> Consumer<T> checked(String property, String requirement, Consumer<T> setter) {
        return (value) -> check(property, value, requirement, () -> {
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
