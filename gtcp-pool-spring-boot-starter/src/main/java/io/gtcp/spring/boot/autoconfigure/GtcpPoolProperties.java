package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.LoadBalancing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of one auto-configured {@link io.gtcp.PoolConnFactory}: the default pool under {@code gtcp.pool}, and
 * each named pool under {@code gtcp.pools.<name>} (bound onto a copy of the default's settings, so what a named
 * pool leaves unset it inherits). The defaults are the core builder's own, so setting nothing but
 * {@code gtcp.pool.address} gives the pool a plain {@code PoolConnFactory.builder().address(…).build()} would.
 * Values are checked when the factory is built: a bad one stops the application with a report naming the
 * property's full path. {@link GtcpPoolPropertiesMapper} is the one place that turns them into builder settings.
 */
@ConfigurationProperties("gtcp.pool")
public class GtcpPoolProperties {

    /**
     * Address ("host:port") that PoolConnFactory.get() connects to; other addresses can still be used with
     * get(address).
     */
    private String address;

    /**
     * Endpoint group that PoolConnFactory.get() balances over, "host:port" entries, instead of address; a host
     * name that resolves to several IP addresses is one endpoint per address.
     */
    private List<String> addresses = new ArrayList<>();

    /**
     * How get() picks an endpoint of the group: least-busy (two random endpoints, the one with fewer borrowed
     * connections wins), round-robin, or failover (the first usable endpoint in list order).
     */
    private LoadBalancing loadBalancing = LoadBalancing.LEAST_BUSY;

    /** How often host names of the group are resolved again and the discovery service polled; 0 means never. */
    private Duration refreshEvery = Duration.ofSeconds(30);

    /**
     * Name of the default pool: the "pool" tag of its metrics and the name of its housekeeping thread. Under
     * gtcp.pool only: a named pool is named by its key, and gtcp.pools.<name>.name stops the start.
     */
    private String name = "default";

    /** How long a connection may stay idle in the pool before it is closed; 0 keeps idle connections forever. */
    private Duration ttl = Duration.ofSeconds(600);

    /** How long a connection may live at all before it is replaced; 0 means no limit. */
    private Duration maxLifetime = Duration.ZERO;

    /** Maximum number of connections per address, idle and borrowed together. */
    private int maxSize = 64;

    /** Number of idle connections kept ready per address. */
    private int minIdle = 0;

    /** How long get() waits for a free connection when the pool is at its maximum size; 0 fails at once. */
    private Duration acquireTimeout = Duration.ofSeconds(30);

    /** Timeout of dialling a new connection (TCP connect and TLS handshake); 0 means no limit. */
    private Duration connectTimeout = Duration.ofSeconds(30);

    /** Longest time one receive call may take; 0 means no limit. */
    private Duration readTimeout = Duration.ZERO;

    /** Longest time one send call may take; 0 means no limit. */
    private Duration writeTimeout = Duration.ZERO;

    /**
     * Whether a connection idle for 500 ms or more is checked for a peer close before it is handed out, and idle
     * connections are checked in the background (so that an outage shows without traffic).
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

    /**
     * Whether the factory's exchanges (sendRecvPkg and its kin on the PoolConnFactory) may send a request twice:
     * one that failed before any byte of its reply arrived is sent again on a fresh connection, to another
     * endpoint where there is one, at most twice. A request that reached a server which then died without
     * replying is then processed twice, so set it only for requests that allow that.
     */
    private boolean idempotent = false;

    /**
     * Most callers waiting for a connection per endpoint when every connection is in use; one more gets a
     * PendingLimitException at once. -1 means no limit, 0 never waits.
     */
    private int maxPending = -1;

    private final RetryBudget retryBudget = new RetryBudget();

    private final Retry retry = new Retry();

    private final Ssl ssl = new Ssl();

    private final OutlierEjection outlierEjection = new OutlierEjection();

    private final Discovery discovery = new Discovery();

    public String getAddress() {
        return this.address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public List<String> getAddresses() {
        return this.addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public LoadBalancing getLoadBalancing() {
        return this.loadBalancing;
    }

    public void setLoadBalancing(LoadBalancing loadBalancing) {
        this.loadBalancing = loadBalancing;
    }

    public Duration getRefreshEvery() {
        return this.refreshEvery;
    }

    public void setRefreshEvery(Duration refreshEvery) {
        this.refreshEvery = refreshEvery;
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

    public boolean isIdempotent() {
        return this.idempotent;
    }

    public void setIdempotent(boolean idempotent) {
        this.idempotent = idempotent;
    }

    public int getMaxPending() {
        return this.maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = maxPending;
    }

    public RetryBudget getRetryBudget() {
        return this.retryBudget;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public OutlierEjection getOutlierEjection() {
        return this.outlierEjection;
    }

    public Discovery getDiscovery() {
        return this.discovery;
    }

    /** When failing endpoints of the group leave the rotation for a while. */
    public static class OutlierEjection {

        /** Failures in a row (failed dials or operations) after which an endpoint is skipped; 0 never ejects. */
        private int consecutiveFailures = 5;

        /** How long an endpoint is skipped the first time; each ejection in a row multiplies it, up to 10 times. */
        private Duration baseEjectionTime = Duration.ofSeconds(10);

        /** Most endpoints of the group ejected at once, in percent (rounded down, but at least one of two or more). */
        private int maxEjectionPercent = 50;

        public int getConsecutiveFailures() {
            return this.consecutiveFailures;
        }

        public void setConsecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public Duration getBaseEjectionTime() {
            return this.baseEjectionTime;
        }

        public void setBaseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = baseEjectionTime;
        }

        public int getMaxEjectionPercent() {
            return this.maxEjectionPercent;
        }

        public void setMaxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = maxEjectionPercent;
        }
    }

    /** Endpoints from service discovery (Spring Cloud Commons' DiscoveryClient) instead of fixed addresses. */
    public static class Discovery {

        /**
         * Service whose instances (host:port of each) are the endpoint group, from Spring Cloud's DiscoveryClient;
         * needs spring-cloud-commons on the class path.
         */
        private String serviceId;

        /**
         * Metadata entry of an instance that holds its gtcp port, used instead of the instance's registered port
         * when present (the starter's server registers its port under gtcp-port); empty: always the registered port.
         */
        private String portMetadataKey = "gtcp-port";

        /**
         * How often the service is polled until the registry publishes its first change event (Spring Cloud's
         * HeartbeatEvent, upon which the group refreshes at once); 0 means only every refresh-every.
         */
        private Duration pollUntilHeartbeat = Duration.ofSeconds(2);

        public String getServiceId() {
            return this.serviceId;
        }

        public void setServiceId(String serviceId) {
            this.serviceId = serviceId;
        }

        public String getPortMetadataKey() {
            return this.portMetadataKey;
        }

        public void setPortMetadataKey(String portMetadataKey) {
            this.portMetadataKey = portMetadataKey;
        }

        public Duration getPollUntilHeartbeat() {
            return this.pollUntilHeartbeat;
        }

        public void setPollUntilHeartbeat(Duration pollUntilHeartbeat) {
            this.pollUntilHeartbeat = pollUntilHeartbeat;
        }
    }

    /**
     * How many attempts after a call's first the pool may make (failover dials, reconnects, idempotent re-sends,
     * retry repeats): ratio times the calls of the last window plus min-per-second a second.
     */
    public static class RetryBudget {

        /** Attempts after the first allowed per call made in the window, 0.2 being 20 percent. */
        private double ratio = 0.2;

        /** Attempts after the first allowed per second whatever the traffic. */
        private int minPerSecond = 10;

        /** How far back calls and attempts are counted, from 1s to 1h. */
        private Duration window = Duration.ofSeconds(10);

        public double getRatio() {
            return this.ratio;
        }

        public void setRatio(double ratio) {
            this.ratio = ratio;
        }

        public int getMinPerSecond() {
            return this.minPerSecond;
        }

        public void setMinPerSecond(int minPerSecond) {
            this.minPerSecond = minPerSecond;
        }

        public Duration getWindow() {
            return this.window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** The retry of send and receive calls that pass none of their own. */
    public static class Retry {

        /** How many more attempts a failed send or receive gets; 0 means none. */
        private int count = 0;

        /** Pause between two attempts of a failed send or receive. */
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
         * Name of the SSL bundle (spring.ssl.bundle.*) whose SSLContext dials the connections; unset or empty means
         * plain TCP (an empty value is how a named pool drops a bundle it inherits from gtcp.pool.ssl.bundle).
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
