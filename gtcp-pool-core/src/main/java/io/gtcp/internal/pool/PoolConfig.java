package io.gtcp.internal.pool;

import io.gtcp.ExchangeObserver;
import io.gtcp.Retry;

import javax.net.ssl.SSLContext;

/**
 * A factory's settings, checked and converted to nanoseconds once: what every {@link AddressPool} of the
 * factory shares. Durations of 0 mean "none" (no expiry, no limit), except the acquire timeout, where 0 means
 * "do not wait".
 */
public record PoolConfig(String name, String address, long ttlNanos, long maxLifetimeNanos, int maxSize,
                         int minIdle, long acquireTimeoutNanos, long connectTimeoutNanos, long readTimeoutNanos,
                         long writeTimeoutNanos, Retry retry, boolean validateOnBorrow, long staleCheckAfterNanos,
                         SSLContext sslContext, long leakDetectionNanos,
                         ExchangeObserver exchangeObserver, String addressHint) {
}
