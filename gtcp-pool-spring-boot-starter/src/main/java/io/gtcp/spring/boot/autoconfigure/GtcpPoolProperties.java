package io.gtcp.spring.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the auto-configured {@link io.gtcp.PoolConnFactory}, under {@code gtcp.pool}. The defaults are the
 * core builder's own, so setting nothing but {@code gtcp.pool.address} gives the pool a plain
 * {@code PoolConnFactory.builder().address(…).build()} would. Values are checked when the factory is built: a bad
 * one stops the application with a report naming the property.
 */
@ConfigurationProperties("gtcp.pool")
public class GtcpPoolProperties {

    /**
     * Address ("host:port") that PoolConnFactory.get() connects to; other addresses can still be used with
     * get(address).
     */
    private String address;

    /**
     * Name of the pool: the "pool" tag of its metrics and the name of its housekeeping thread.
     */
    private String name = "default";

    /**
     * How long a connection may stay idle in the pool before it is closed; 0 keeps idle connections forever.
     */
    private Duration ttl = Duration.ofSeconds(600);

    /**
     * How long a connection may live at all before it is replaced; 0 means no limit.
     */
    private Duration maxLifetime = Duration.ZERO;

    /**
     * Maximum number of connections per address, idle and borrowed together.
     */
    private int maxSize = 64;

    /**
     * Number of idle connections kept ready per address.
     */
    private int minIdle = 0;

    /**
     * How long get() waits for a free connection when the pool is at its maximum size.
     */
    private Duration acquireTimeout = Duration.ofSeconds(30);

    /**
     * Timeout of dialling a new connection (TCP connect and TLS handshake); 0 means no limit.
     */
    private Duration connectTimeout = Duration.ofSeconds(30);

    /**
     * Longest time one receive call may take; 0 means no limit.
     */
    private Duration readTimeout = Duration.ZERO;

    /**
     * Longest time one send call may take; 0 means no limit.
     */
    private Duration writeTimeout = Duration.ZERO;

    /**
     * Whether a connection idle for 500 ms or more is checked for a peer close before it is handed out.
     */
    private boolean validateOnBorrow = true;

    /**
     * With validate-on-borrow, how long a connection must have been idle to be checked before reuse; more recently
     * used ones skip the check. At most 500ms; 0 checks every borrow.
     */
    private Duration checkIdleAfter = Duration.ofMillis(500);

    /**
     * How long a connection may be held before a warning with the borrower's stack trace is logged; 0 turns leak
     * detection off.
     */
    private Duration leakDetectionThreshold = Duration.ZERO;

    private final Retry retry = new Retry();

    private final Ssl ssl = new Ssl();

    public String getAddress() {
        return this.address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getName() {
        return this.name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Duration getTtl() {
        return this.ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getMaxLifetime() {
        return this.maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public int getMaxSize() {
        return this.maxSize;
    }

    public void setMaxSize(int maxSize) {
        this.maxSize = maxSize;
    }

    public int getMinIdle() {
        return this.minIdle;
    }

    public void setMinIdle(int minIdle) {
        this.minIdle = minIdle;
    }

    public Duration getAcquireTimeout() {
        return this.acquireTimeout;
    }

    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return this.readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Duration getWriteTimeout() {
        return this.writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public boolean isValidateOnBorrow() {
        return this.validateOnBorrow;
    }

    public void setValidateOnBorrow(boolean validateOnBorrow) {
        this.validateOnBorrow = validateOnBorrow;
    }

    public Duration getCheckIdleAfter() {
        return this.checkIdleAfter;
    }

    public void setCheckIdleAfter(Duration checkIdleAfter) {
        this.checkIdleAfter = checkIdleAfter;
    }

    public Duration getLeakDetectionThreshold() {
        return this.leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public Retry getRetry() {
        return this.retry;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    /** The retry of send and receive calls that pass none of their own. */
    public static class Retry {

        /**
         * How many more attempts a failed send or receive gets; 0 means none.
         */
        private int count = 0;

        /**
         * Pause between two attempts of a failed send or receive.
         */
        private Duration interval = Duration.ofMillis(100);

        public int getCount() {
            return this.count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** TLS for the pooled connections. */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) whose SSLContext dials the connections; unset means plain
         * TCP.
         */
        private String bundle;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }
}
