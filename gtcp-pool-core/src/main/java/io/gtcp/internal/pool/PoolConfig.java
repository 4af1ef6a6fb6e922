package io.gtcp.internal.pool;

import io.gtcp.ExchangeObserver;
import io.gtcp.Retry;
import io.gtcp.internal.io.RetryGate;

import javax.net.ssl.SSLContext;

/**
 * A factory's settings, checked and converted to nanoseconds once: what every {@link AddressPool} of the
 * factory shares. Durations of 0 mean "none" (no expiry, no limit), except the acquire timeout, where 0 means
 * "do not wait". {@code maxPending} is the most callers waiting per address (-1: no limit, 0: never wait);
 * {@code retries} is the factory's retry budget, which every attempt after a call's first asks.
 */
public record PoolConfig(String name, String address, long ttlNanos, long maxLifetimeNanos, int maxSize,
                         int minIdle, long acquireTimeoutNanos, long connectTimeoutNanos, long readTimeoutNanos,
                         long writeTimeoutNanos, Retry retry, boolean validateOnBorrow, long staleCheckAfterNanos,
                         SSLContext sslContext, long leakDetectionNanos,
                         ExchangeObserver exchangeObserver, String addressHint, int maxPending, RetryGate retries) {

    /** Settings without a waiting limit or a retry budget: every attempt is allowed. */
    public PoolConfig(String name, String address, long ttlNanos, long maxLifetimeNanos, int maxSize,
                      int minIdle, long acquireTimeoutNanos, long connectTimeoutNanos, long readTimeoutNanos,
                      long writeTimeoutNanos, Retry retry, boolean validateOnBorrow, long staleCheckAfterNanos,
                      SSLContext sslContext, long leakDetectionNanos,
                      ExchangeObserver exchangeObserver, String addressHint) {
        this(name, address, ttlNanos, maxLifetimeNanos, maxSize, minIdle, acquireTimeoutNanos, connectTimeoutNanos,
                readTimeoutNanos, writeTimeoutNanos, retry, validateOnBorrow, staleCheckAfterNanos, sslContext,
                leakDetectionNanos, exchangeObserver, addressHint, -1, RetryGate.ALWAYS);
    }
}
