package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.testing.Closer;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** api.md, "Failure counts reset when an operation completes, not when its connection is returned." */
@Timeout(value = 30, unit = SECONDS)
class FailureCountTest {

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aCompletedOperationResetsTheCountBeforeTheConnectionIsReturned() throws IOException {
        // a scripted slow server: each reply comes 300 ms after its request
        TcpServer slow = closer.using(new TcpServer("127.0.0.1:0", conn -> {
            try {
                for (;;) {
                    byte[] request = conn.recvPkg();
                    Thread.sleep(300);
                    conn.sendPkg(request);
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        }).start());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses("127.0.0.1:" + slow.port(), "127.0.0.2:" + slow.port())
                .loadBalancing(LoadBalancing.FAILOVER)
                .outlierEjection(new OutlierEjection(2, Duration.ofSeconds(30), 50)).build());

        try (PoolConn conn = pool.get()) {
            conn.sendPkg(new byte[] {1});
            assertThatThrownBy(() -> conn.recvPkgWithTimeout(Duration.ofMillis(50)))
                    .isInstanceOf(SocketTimeoutException.class); // failure 1
            assertThat(conn.recvPkg()).containsExactly(1); // the late reply: the operation completes
            assertThat(pool.endpoints().get(0).consecutiveFailures()).as("reset by the completed operation")
                    .isZero();
            conn.sendPkg(new byte[] {2});
            assertThatThrownBy(() -> conn.recvPkgWithTimeout(Duration.ofMillis(50)))
                    .isInstanceOf(SocketTimeoutException.class); // failure 1 again, not 2
        }

        EndpointStatus first = pool.endpoints().get(0);
        assertThat(first.consecutiveFailures()).isEqualTo(1);
        assertThat(first.ejected()).as("fail, success, fail is not two in a row").isFalse();
    }
}
