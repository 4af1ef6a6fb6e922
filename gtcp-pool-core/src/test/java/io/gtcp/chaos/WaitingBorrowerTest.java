package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A borrower that had to wait for a connection (the pool was exhausted) gets the same borrow-time checks as one
 * that did not: how long the connection has been idle is measured when it is taken, not when the wait began.
 */
@Timeout(value = 30, unit = SECONDS)
class WaitingBorrowerTest {

    @Test
    void connectionClosedByTheServerWhileSomeoneWaitsIsCheckedBeforeHandOut() throws Exception {
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try (EchoServer server = EchoServer.plain();
             ChaosProxy proxy = ChaosProxy.start(server.port(), null);
             PoolConnFactory pool = PoolConnFactory.builder().address(proxy.address()).maxSize(1)
                     .checkIdleAfter(Duration.ZERO).acquireTimeout(Duration.ofSeconds(10))
                     .readTimeout(Duration.ofSeconds(5)).writeTimeout(Duration.ofSeconds(5)).build()) {
            PoolConn first = pool.get();
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            assertThat(first.sendRecvPkg(hello)).isEqualTo(EchoServer.reply(hello));
            int firstPort = first.localAddress().getPort();

            Future<byte[]> second = waiter.submit(() -> {
                try (PoolConn conn = pool.get()) {
                    assertThat(conn.localAddress().getPort()).isNotEqualTo(firstPort);
                    return conn.sendRecvPkg(hello);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);

            proxy.closeAll(); // the server side closes the borrowed connection: it will be idle and dead
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> proxy.liveConnections() == 0 && server.connectionCount() == 0);
            first.close(); // its last operation succeeded, so it goes back to the pool and the waiter gets it

            assertThat(second.get(10, SECONDS)).isEqualTo(EchoServer.reply(hello));
            assertThat(pool.stats().closed()).as("the dead connection, closed by the check").isEqualTo(1);
        } finally {
            waiter.shutdownNow();
        }
    }
}
