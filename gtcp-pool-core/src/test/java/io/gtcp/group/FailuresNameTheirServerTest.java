package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.LoadBalancing;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md, "Failures name their server": what {@code get()} throws keeps its type and says which pool and which
 * endpoint failed ({@code pool 'orders': 10.0.0.2:9000: Connection refused}), the suppressed failures of a
 * failover too; a handshake failure keeps its cause (see {@code TlsFailureTest}).
 */
@Timeout(value = 30, unit = SECONDS)
class FailuresNameTheirServerTest {

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aDeadGroupSaysWhichPoolAndWhichServerRefusedEachDial() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("orders")
                .addresses(servers.addresses()).loadBalancing(LoadBalancing.FAILOVER)
                .retryBudget(RetryBudget.unlimited()) // every failover dial made: the budget is DeadFleetTest's
                .build());
        servers.close();

        assertThatThrownBy(pool::get)
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("pool 'orders': " + servers.address(0) + ": ")
                .hasMessageContaining("Connection refused")
                .hasNoCause();
        assertThatThrownBy(pool::get).satisfies(e -> assertThat(e.getSuppressed()).hasSize(2)
                .satisfiesExactly(
                        s -> assertThat(s).isInstanceOf(ConnectException.class)
                                .hasMessageStartingWith("pool 'orders': " + servers.address(1) + ": "),
                        s -> assertThat(s).isInstanceOf(ConnectException.class)
                                .hasMessageStartingWith("pool 'orders': " + servers.address(2) + ": ")));
    }

    @Test
    void aTimedOutDialStaysASocketTimeoutAndNamesItsServer() throws IOException {
        BlackHole hole = closer.using(BlackHole.full());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("slow")
                .connectTimeout(Duration.ofMillis(200)).build());

        assertThatThrownBy(() -> pool.get(hole.address()))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageStartingWith("pool 'slow': " + hole.address() + ": ");
    }

    @Test
    void aClosedPoolSaysWhichPoolAndAddress() throws IOException {
        PoolConnFactory pool = PoolConnFactory.builder().name("gone").build();
        pool.close();

        assertThatThrownBy(() -> pool.get("127.0.0.1:9"))
                .hasMessageStartingWith("pool 'gone': 127.0.0.1:9: ")
                .hasMessageContaining("pool closed");
    }
}
