package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.TcpServer;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the starter's {@link TcpServer} in the application's lifecycle, as Boot runs its web servers: it listens
 * before the application is ready, and before a web server starts (so that a service registration made for the
 * web server can already carry the gtcp port), and is drained by {@link GtcpServerGracefulShutdownLifecycle} in
 * the phase of Boot's graceful web shutdown, while every bean it may call is still there, before the
 * application's pools and other beans are closed. Its own stop, later, closes whatever is left.
 *
 * <p>Graceful: new connections are refused at once and each live one is closed between two requests, within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}; on a thread of its own, so that a web server in the same
 * phase drains at the same time. Immediate: every connection is closed at once.
 */
public class GtcpServerLifecycle implements SmartLifecycle {

    /** Started before Boot's web server (DEFAULT_PHASE - 2048), stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** Boot's graceful-shutdown phase: the server drains beside a web server's graceful shutdown. */
    public static final int SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(GtcpServerLifecycle.class);

    private final TcpServer server;

    private final String name;

    private final String address;

    private final GtcpServerProperties.Shutdown shutdown;

    private final Duration grace;

    private volatile boolean running;

    private volatile boolean draining;

    /**
     * @param server  the server, not started
     * @param name    its bean name: what logs, meters and health call it
     * @param address the configured address, for a failure's report
     * @param grace   how long a graceful shutdown waits for connections to finish
     */
    public GtcpServerLifecycle(TcpServer server, String name, String address, GtcpServerProperties.Shutdown shutdown,
            Duration grace) {
        this.server = server;
        this.name = name;
        this.address = address;
        this.shutdown = shutdown;
        this.grace = grace;
    }

    @Override
    public void start() {
        try {
            this.server.start();
        }
        catch (IOException ex) {
            throw new GtcpServerException(GtcpServerProperties.PREFIX + ".address=" + this.address,
                    "cannot listen: " + ex.getMessage(),
                    "Stop whatever holds that port, or set " + GtcpServerProperties.PREFIX
                            + ".address to another one (port 0 picks a free port).",
                    ex);
        }
        this.running = true;
        log.info("gtcp server '{}' listening on port {}", this.name, this.server.port());
    }

    /** Closes whatever a graceful shutdown left (or everything, if there was none). */
    @Override
    public void stop() {
        if (this.running) {
            this.server.close();
            this.running = false;
        }
    }

    /** The graceful shutdown, in {@link #SHUTDOWN_PHASE}: {@code callback} runs once the server is down. */
    void shutDown(Runnable callback) {
        if (this.shutdown == GtcpServerProperties.Shutdown.IMMEDIATE || !this.running) {
            drain();
            callback.run();
            return;
        }
        Thread drainer = new Thread(() -> {
            try {
                drain();
            }
            finally {
                callback.run();
            }
        }, "gtcp-server-shutdown-" + this.name);
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain() {
        if (!this.running) {
            return;
        }
        this.draining = true;
        try {
            if (this.shutdown == GtcpServerProperties.Shutdown.GRACEFUL) {
                log.info("gtcp server '{}' shutting down gracefully: {} connections, grace {}", this.name,
                        this.server.connectionCount(), this.grace);
                this.server.shutdown(this.grace);
            }
            else {
                this.server.close();
            }
            log.info("gtcp server '{}' stopped", this.name);
        }
        finally {
            this.running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Whether it is shutting down: refusing new connections, finishing the live ones. */
    public boolean isDraining() {
        return this.running && (this.draining || this.server.isShuttingDown());
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The server it runs. */
    public TcpServer getServer() {
        return this.server;
    }

    /** The server's bean name. */
    public String getName() {
        return this.name;
    }
}
