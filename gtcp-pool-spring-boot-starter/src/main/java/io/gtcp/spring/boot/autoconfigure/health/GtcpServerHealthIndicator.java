package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerLifecycle;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code gtcpServer} health component: UP while the starter's server listens, OUT_OF_SERVICE while it shuts
 * down (it refuses new connections and finishes the live ones: a load balancer should stop sending, nothing is
 * broken), DOWN when it is not listening (not started yet, or stopped). Details: its port and the connections
 * served now and so far.
 */
public class GtcpServerHealthIndicator extends AbstractHealthIndicator {

    private final GtcpServerLifecycle lifecycle;

    public GtcpServerHealthIndicator(GtcpServerLifecycle lifecycle) {
        super("gtcp server health check failed");
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        TcpServer server = this.lifecycle.getServer();
        Status status;
        if (!this.lifecycle.isRunning()) {
            status = Status.DOWN;
        }
        else if (this.lifecycle.isDraining() || server.isShuttingDown()) {
            status = Status.OUT_OF_SERVICE;
        }
        else {
            status = server.isListening() ? Status.UP : Status.DOWN;
        }
        builder.status(status)
            .withDetail("server", this.lifecycle.getName())
            .withDetail("port", server.port())
            .withDetail("connections", server.connectionCount())
            .withDetail("accepted", server.acceptedCount());
    }
}
