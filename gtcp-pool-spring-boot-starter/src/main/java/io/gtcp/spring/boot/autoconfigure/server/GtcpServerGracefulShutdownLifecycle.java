package io.gtcp.spring.boot.autoconfigure.server;

import org.springframework.context.SmartLifecycle;

/**
 * Drains the starter's server in Boot's graceful-shutdown phase (where a web server drains too), as Boot's
 * {@code WebServerGracefulShutdownLifecycle} does for web servers: a lifecycle of its own, because the server
 * itself starts in an earlier phase (see {@link GtcpServerLifecycle}).
 */
public class GtcpServerGracefulShutdownLifecycle implements SmartLifecycle {

    private final GtcpServerLifecycle server;

    private volatile boolean running;

    public GtcpServerGracefulShutdownLifecycle(GtcpServerLifecycle server) {
        this.server = server;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("Stop must not be invoked directly");
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        this.server.shutDown(callback);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return GtcpServerLifecycle.SHUTDOWN_PHASE;
    }
}
