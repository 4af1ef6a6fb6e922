package io.gtcp;

import io.gtcp.internal.call.RetryAllowance;
import io.gtcp.internal.group.GroupConfig;
import io.gtcp.internal.io.Addresses;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * What a {@link PoolConnFactory.Builder} has been told so far: every setting with its default, each checked as it
 * is set (a bad value is an {@link IllegalArgumentException} naming the setting, thrown from the builder's call),
 * and at {@code build()} checked together and turned into the factory's {@link PoolConfig} and
 * {@link GroupConfig}, durations in nanoseconds. The builder itself is part of the public API, where each setting
 * carries its contract in Javadoc; keeping the values, the defaults and the checks here leaves each builder
 * method the one line that hands its value on, so that the contract and the checking each read as one piece.
 */
final class FactorySettings {

    private String name = PoolConnFactory.DEFAULT_NAME;
    private String address;
    private Duration ttl = PoolConnFactory.DEFAULT_TTL;
    private Duration maxLifetime = Duration.ZERO;
    private int maxSize = PoolConnFactory.DEFAULT_MAX_SIZE;
    private int minIdle;
    private Duration acquireTimeout = PoolConnFactory.DEFAULT_ACQUIRE_TIMEOUT;
    private Duration connectTimeout = PoolConnFactory.DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = Duration.ZERO;
    private Duration writeTimeout = Duration.ZERO;
    private Retry retry = Retry.NONE;
    private boolean validateOnBorrow = true;
    private Duration checkIdleAfter = PoolConnFactory.MAX_CHECK_IDLE_AFTER;
    private SSLContext sslContext;
    private Duration leakDetectionThreshold = Duration.ZERO;
    private Listeners listeners = Listeners.NONE;
    private java.util.List<String> entries = java.util.List.of();
    private EndpointSource endpointSource;
    private LoadBalancing loadBalancing = LoadBalancing.LEAST_BUSY;
    private OutlierEjection outlierEjection = OutlierEjection.defaults();
    private AddressResolver resolver = AddressResolver.system();
    private Duration refreshEvery = PoolConnFactory.DEFAULT_REFRESH_EVERY;
    private ExchangeObserver exchangeObserver = ExchangeObserver.NONE;
    private String addressHint = "set Builder.address";
    private boolean idempotent;
    private RetryBudget retryBudget = RetryBudget.defaults();
    private int maxPending = -1;

    void name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
    }

    void address(String address) {
        this.address = address == null ? null : Addresses.validate(address);
        if (address != null && Addresses.host(address).isEmpty()) {
            throw new IllegalArgumentException("invalid address '" + address + "': a host is needed");
        }
        this.entries = address == null ? java.util.List.of() : java.util.List.of(address);
    }

    void addresses(String... addresses) {
        if (addresses == null) {
            throw new IllegalArgumentException("addresses must not be null");
        }
        addresses(java.util.Arrays.asList(addresses));
    }

    void addresses(java.util.List<String> addresses) {
        if (addresses == null) {
            throw new IllegalArgumentException("addresses must not be null");
        }
        java.util.List<String> checked = new java.util.ArrayList<>(addresses.size());
        for (String a : addresses) {
            if (a == null || Addresses.host(Addresses.validate(a)).isEmpty()) {
                throw new IllegalArgumentException("invalid address '" + a + "': expected host:port");
            }
            checked.add(a);
        }
        this.entries = java.util.List.copyOf(checked);
        this.address = checked.size() == 1 ? checked.get(0) : null;
    }

    void endpointSource(EndpointSource source) {
        this.endpointSource = source;
    }

    void loadBalancing(LoadBalancing policy) {
        if (policy == null) {
            throw new IllegalArgumentException("loadBalancing must not be null");
        }
        this.loadBalancing = policy;
    }

    void outlierEjection(OutlierEjection ejection) {
        if (ejection == null) {
            throw new IllegalArgumentException("outlierEjection must not be null");
        }
        this.outlierEjection = ejection;
    }

    void resolver(AddressResolver resolver) {
        if (resolver == null) {
            throw new IllegalArgumentException("resolver must not be null");
        }
        this.resolver = resolver;
    }

    void refreshEvery(Duration interval) {
        this.refreshEvery = nonNegative(interval, "refreshEvery");
    }

    void ttl(Duration idleTtl) {
        this.ttl = nonNegative(idleTtl, "ttl");
    }

    void maxLifetime(Duration maxLifetime) {
        this.maxLifetime = nonNegative(maxLifetime, "maxLifetime");
    }

    void maxSize(int maxPerAddress) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1: " + maxPerAddress);
        }
        this.maxSize = maxPerAddress;
    }

    void minIdle(int minIdlePerAddress) {
        if (minIdlePerAddress < 0) {
            throw new IllegalArgumentException("minIdle must not be negative: " + minIdlePerAddress);
        }
        this.minIdle = minIdlePerAddress;
    }

    void acquireTimeout(Duration timeout) {
        this.acquireTimeout = nonNegative(timeout, "acquireTimeout");
    }

    void connectTimeout(Duration timeout) {
        this.connectTimeout = nonNegative(timeout, "connectTimeout");
    }

    void readTimeout(Duration timeout) {
        this.readTimeout = nonNegative(timeout, "readTimeout");
    }

    void writeTimeout(Duration timeout) {
        this.writeTimeout = nonNegative(timeout, "writeTimeout");
    }

    void retry(Retry retry) {
        this.retry = retry == null ? Retry.NONE : retry;
    }

    void validateOnBorrow(boolean validate) {
        this.validateOnBorrow = validate;
    }

    void checkIdleAfter(Duration idle) {
        nonNegative(idle, "checkIdleAfter");
        if (idle.compareTo(PoolConnFactory.MAX_CHECK_IDLE_AFTER) > 0) {
            throw new IllegalArgumentException("checkIdleAfter must not exceed " + PoolConnFactory.MAX_CHECK_IDLE_AFTER.toMillis()
                    + " ms: " + idle);
        }
        this.checkIdleAfter = idle;
    }

    void sslContext(SSLContext context) {
        this.sslContext = context;
    }

    void leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = nonNegative(threshold, "leakDetectionThreshold");
    }

    void exchangeObserver(ExchangeObserver observer) {
        this.exchangeObserver = observer == null ? ExchangeObserver.NONE : observer;
    }

    void idempotent(boolean idempotent) {
        this.idempotent = idempotent;
    }

    void retryBudget(RetryBudget budget) {
        if (budget == null) {
            throw new IllegalArgumentException("retryBudget must not be null");
        }
        this.retryBudget = budget;
    }

    void maxPending(int maxPending) {
        if (maxPending < -1) {
            throw new IllegalArgumentException("maxPending must be -1 (no limit) or more: " + maxPending);
        }
        this.maxPending = maxPending;
    }

    void addressHint(String hint) {
        if (hint == null || hint.isBlank()) {
            throw new IllegalArgumentException("addressHint must not be blank");
        }
        this.addressHint = hint;
    }

    void listener(PoolListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.listeners = listeners.with(listener);
    }

    /**
     * The pool's settings, checked together ({@code minIdle} against {@code maxSize}) and in nanoseconds, with a
     * new retry budget: one per factory, so call it once per {@code build()}.
     */
    PoolConfig poolConfig() {
        if (minIdle > maxSize) {
            throw new IllegalArgumentException("minIdle (" + minIdle + ") must not exceed maxSize (" + maxSize + ")");
        }
        return new PoolConfig(name, address,
                Deadlines.nanos(ttl, "ttl"), Deadlines.nanos(maxLifetime, "maxLifetime"), maxSize, minIdle,
                Deadlines.nanos(acquireTimeout, "acquireTimeout"), Deadlines.nanos(connectTimeout, "connectTimeout"),
                Deadlines.nanos(readTimeout, "readTimeout"), Deadlines.nanos(writeTimeout, "writeTimeout"),
                retry, validateOnBorrow, Deadlines.nanos(checkIdleAfter, "checkIdleAfter"), sslContext,
                Deadlines.nanos(leakDetectionThreshold, "leakDetectionThreshold"),
                exchangeObserver, addressHint, maxPending, new RetryAllowance(retryBudget));
    }

    /** The endpoint group's settings: the entries, or none when a source gives the endpoints. */
    GroupConfig groupConfig() {
        return new GroupConfig(endpointSource != null ? java.util.List.of() : entries, endpointSource,
                loadBalancing, outlierEjection, resolver, Deadlines.nanos(refreshEvery, "refreshEvery"));
    }

    Listeners listeners() {
        return listeners;
    }

    boolean idempotent() {
        return idempotent;
    }

    private static Duration nonNegative(Duration value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
