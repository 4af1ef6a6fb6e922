package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.gtcp.testing.Closer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which idle connection a borrower gets: the one it took last while the pool is small (each socket then stays
 * between the same pair of threads) or full (every connection is busy anyway, and staying on one's own connection
 * keeps borrowers on different cores off each other's cache lines); otherwise the first idle one in slot order
 * (then fewer connections carry a busy load, which measured faster at 16 threads on 2 vCPUs, and the rest can
 * expire).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReuseOrderTest {

    private static final int AFFINITY_LIMIT = 2 * Runtime.getRuntime().availableProcessors();

    @AutoClose
    private final Closer closer = new Closer();

    @AutoClose("shutdownNow")
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @Test
    void aSmallPoolGivesAThreadBackTheConnectionItTookLast() throws Exception {
        assertThat(borrowAgainAfterUsingTheLast(2, 4)).as("its own, the last slot").isEqualTo(1);
    }

    @Test
    void aLargerPoolWithRoomToGrowGivesTheFirstIdleConnection() throws Exception {
        assertThat(borrowAgainAfterUsingTheLast(AFFINITY_LIMIT + 1, AFFINITY_LIMIT + 2)).as("the first slot")
                .isEqualTo(0);
    }

    @Test
    void aFullPoolGivesAThreadBackTheConnectionItTookLast() throws Exception {
        assertThat(borrowAgainAfterUsingTheLast(AFFINITY_LIMIT + 1, AFFINITY_LIMIT + 1)).as("its own, the last slot")
                .isEqualTo(AFFINITY_LIMIT);
    }

    /**
     * Fills a pool of {@code maxSize} with {@code size} connections from this thread, lets another thread borrow
     * and return the last of them (the only idle one then), gives the others back, then has the other thread
     * borrow again: returns the index (in dial order) of the connection it gets.
     */
    private int borrowAgainAfterUsingTheLast(int size, int maxSize) throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(maxSize)
                .build());
        List<PoolConn> held = new ArrayList<>();
        List<Integer> localPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            PoolConn conn = pool.get();
            conn.sendRecvPkg(PoolTestServer.bytes("hi"));
            held.add(conn);
            localPorts.add(conn.localAddress().getPort());
        }
        held.remove(size - 1).close();
        assertThat(borrowOnTheOtherThread(pool)).as("the only idle one").isEqualTo(localPorts.get(size - 1));
        held.forEach(PoolConn::close);
        return localPorts.indexOf(borrowOnTheOtherThread(pool));
    }

    /** Borrows and returns a connection on the other thread; returns its local port. */
    private int borrowOnTheOtherThread(PoolConnFactory pool) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (PoolConn conn = pool.get()) {
                conn.sendRecvPkg(PoolTestServer.bytes("hi"));
                return conn.localAddress().getPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, other).get(10, TimeUnit.SECONDS);
    }
}
