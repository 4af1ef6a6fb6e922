package io.gtcp.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.LoadBalancing;
import io.gtcp.PendingLimitException;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The examples of {@code docs/fleet-operations.md}, run: each {@code tag::} region below is a block of that page
 * (the starter's {@code DocCodeBlocksTests} checks that the page's blocks are these regions, line for line).
 */
@Timeout(60)
class FleetOperationsDocTest {

    @Test
    void aFactoryExchangeWithADeadlineAndIdempotentRetries() throws IOException {
        try (TcpServer a = TcpServer.ofPkg("127.0.0.1:0", request -> request).start();
             TcpServer b = TcpServer.ofPkg("127.0.0.2:0", request -> request).start()) {
            List<String> servers = List.of("127.0.0.1:" + a.port(), "127.0.0.2:" + b.port());
            byte[] request = "order 42".getBytes(StandardCharsets.UTF_8);
            // tag::fleet-exchange[]
            PoolConnFactory pool = PoolConnFactory.builder()
                    .addresses(servers)                      // the fleet
                    .idempotent(true)                        // these requests may be processed twice
                    .retryBudget(RetryBudget.defaults())     // 20 % of the calls plus 10 a second
                    .maxPending(32)                          // refuse, rather than queue, beyond 32 waiting
                    .build();
            byte[] reply = pool.sendRecvPkgWithTimeout(request, Duration.ofMillis(500));
            // end::fleet-exchange[]
            try (pool) {
                assertThat(reply).isEqualTo(request);
            }
        }
    }

    @Test
    void anOverloadedPoolRefusesAtOnce() throws IOException {
        try (TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> request).start();
             PoolConnFactory pool = PoolConnFactory.builder().address("127.0.0.1:" + server.port()).maxSize(1)
                     .maxPending(0).build();
             PoolConn busy = pool.get()) {
            byte[] request = {1};
            boolean shed = false;
            // tag::fleet-pending[]
            try {
                byte[] reply = pool.sendRecvPkg(request);
            } catch (PendingLimitException overloaded) {
                // every connection is busy and maxPending callers wait already: shed the load now
                shed = true;
            }
            // end::fleet-pending[]
            assertThat(shed).isTrue();
        }
    }

    @Test
    void aServerLeavesTheFleetWithoutFailingIdempotentCalls() throws IOException {
        try (TcpServer other = TcpServer.ofPkg("127.0.0.2:0", request -> request).start()) {
            // tag::fleet-shutdown[]
            TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> request).start();
            // … serving …
            server.shutdown(Duration.ofSeconds(2)); // no new connection; each one closes between two messages
            // end::fleet-shutdown[]
            try (PoolConnFactory pool = PoolConnFactory.builder().loadBalancing(LoadBalancing.FAILOVER)
                    .addresses("127.0.0.1:" + server.port(), "127.0.0.2:" + other.port()).idempotent(true).build()) {
                assertThat(server.isShuttingDown()).isTrue();
                assertThat(pool.sendRecvPkg(new byte[]{7})).containsExactly(7); // the refused dial fails over
            }
        }
    }
}
