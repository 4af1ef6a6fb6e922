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
 * Which idle connection a borrower gets: its own last one while the pool is small (each socket then stays between
 * the same pair of threads), the first idle one in slot order once the pool has more connections than twice the
 * processors (then fewer connections carry a busy load, which measured faster at 16 threads and more on 2 vCPUs).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReuseOrderTest {

    private static final int AFFINITY_LIMIT = 2 * Runtime.getRuntime().availableProcessors();

    @AutoClose
    private final Closer closer = new Closer();

    @AutoClose("shutdownNow")
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @Test
    void aSmallPoolGivesAThreadBackTheConnectionItReturnedLast() throws Exception {
        assertThat(borrowAfterAnotherThreadReturnedTheLast(2)).as("its own, the last slot").isEqualTo(1);
    }

    @Test
    void aPoolLargerThanTwiceTheProcessorsGivesTheFirstIdleConnection() throws Exception {
        assertThat(borrowAfterAnotherThreadReturnedTheLast(AFFINITY_LIMIT + 1)).as("the first slot").isEqualTo(0);
    }

    /**
     * Fills a pool with {@code size} connections from this thread, lets another thread return the last of them
     * and this thread the others, then has the other thread borrow: returns the index (in dial order) of the
     * connection it gets.
     */
    private int borrowAfterAnotherThreadReturnedTheLast(int size) throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(size).build());
        List<PoolConn> held = new ArrayList<>();
        List<Integer> localPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            PoolConn conn = pool.get();
            conn.sendRecvPkg(PoolTestServer.bytes("hi"));
            held.add(conn);
            localPorts.add(conn.localAddress().getPort());
        }
        PoolConn last = held.remove(size - 1);
        CompletableFuture.runAsync(last::close, other).get(10, TimeUnit.SECONDS);
        held.forEach(PoolConn::close);
        int port = CompletableFuture.supplyAsync(() -> {
            try (PoolConn conn = pool.get()) {
                return conn.localAddress().getPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, other).get(10, TimeUnit.SECONDS);
        return localPorts.indexOf(port);
    }
}
