package io.gtcp.spring.boot.autoconfigure.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gtcp.server.*} properties: a gtcp server run by the application, serving its {@code PkgHandler} or
 * {@code ConnHandler} bean, started and drained with the application like Boot's own web servers.
 */
@ConfigurationProperties(GtcpServerProperties.PREFIX)
public class GtcpServerProperties {

    /** The properties' prefix. */
    public static final String PREFIX = "gtcp.server";

    /**
     * Address to listen on, host:port; an empty host (":9000") listens on every interface and port 0 picks a free
     * port. Set, it makes the server: the application's one PkgHandler or ConnHandler bean serves each connection.
     */
    private String address;

    /**
     * Most connections served at once; the excess are accepted and closed at once, so their clients fail over
     * instead of waiting in the backlog.
     */
    private int maxConnections = 10000;

    /**
     * Whether each connection is served on a virtual thread instead of a platform thread of its own (needs Java
     * 21 or later); unset, it follows spring.threads.virtual.enabled.
     */
    private Boolean virtualThreads;

    /**
     * How the server stops with the application: graceful lets each connection finish the request it is serving,
     * for at most spring.lifecycle.timeout-per-shutdown-phase, immediate closes them all at once.
     */
    private Shutdown shutdown = Shutdown.GRACEFUL;

    private final Ssl ssl = new Ssl();

    public String getAddress() {
        return this.address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public int getMaxConnections() {
        return this.maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Boolean getVirtualThreads() {
        return this.virtualThreads;
    }

    public void setVirtualThreads(Boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    public void setShutdown(Shutdown shutdown) {
        this.shutdown = shutdown;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    /** How the server stops. */
    public enum Shutdown {

        /** New connections are refused at once, live ones closed between two requests, within the grace. */
        GRACEFUL,

        /** Every connection is closed at once. */
        IMMEDIATE
    }

    /** TLS for the server. */
    public static class Ssl {

        /** SSL bundle (spring.ssl.bundle.*) whose key the server presents: TLS instead of plain TCP. */
        private String bundle;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }
}
