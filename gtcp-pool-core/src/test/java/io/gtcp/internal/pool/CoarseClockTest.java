package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.ExchangeObserver;
import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;
import io.gtcp.TcpServer;
import io.gtcp.internal.io.Deadlines;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link CoarseClock} the borrow and return path judges idle time by: it ticks while a factory is open, never
 * runs ahead of the real clock, ends with the last factory, and a connection idle for the contract's 500 ms is
 * still always checked at borrow although the pool never reads the real clock there.
 */
@Timeout(value = 30, unit = SECONDS)
class CoarseClockTest {

    @Test
    void ticksWhileRetainedAndNeverRunsAheadOfTheRealClock() {
        CoarseClock.retain();
        try {
            long first = CoarseClock.now();
            await("a tick").atMost(Duration.ofSeconds(5)).until(() -> CoarseClock.now() != first);
            assertThat(CoarseClock.now()).isGreaterThan(first).isLessThanOrEqualTo(System.nanoTime());
            assertThat(CoarseClock.ticking()).isTrue();
        } finally {
            CoarseClock.release();
        }
    }

    @Test
    void eachFactoryKeepsItTickingUntilItsFirstCloseAndTheLastOneEndsTheThread() {
        int before = CoarseClock.users();
        PoolConnFactory a = PoolConnFactory.builder().name("clock-a").build();
        PoolConnFactory b = PoolConnFactory.builder().name("clock-b").build();
        assertThat(CoarseClock.users()).isEqualTo(before + 2);
        assertThat(CoarseClock.ticking()).isTrue();

        a.close();
        a.close(); // a second close releases nothing more
        assertThat(CoarseClock.users()).isEqualTo(before + 1);
        assertThat(CoarseClock.ticking()).isTrue();

        b.close();
        assertThat(CoarseClock.users()).isEqualTo(before);
        if (before == 0) { // no other factory open in this JVM: the thread must be gone
            await("the clock thread to end").atMost(Duration.ofSeconds(5)).until(() -> !CoarseClock.ticking());
        }
    }

    /**
     * No housekeeper here (a bare {@link AddressPool}), so only the borrow-time check can find that the server
     * closed the idle connection: after 500 ms of idleness by the real clock it must.
     */
    @Test
    void aConnectionIdleFor500MillisecondsIsCheckedAtBorrow() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        TcpServer server = new TcpServer("127.0.0.1:0", conn -> {
            conn.sendPkg(conn.recvPkg()); // one reply, then the server closes the connection
            conn.close();
        }).start();
        CoarseClock.retain();
        AddressPool pool = null;
        try {
            String address = "127.0.0.1:" + server.port();
            PoolConfig config = new PoolConfig("coarse", address, 0, 0, 4, 0, SECONDS.toNanos(5), SECONDS.toNanos(5),
                    SECONDS.toNanos(5), SECONDS.toNanos(5), Retry.NONE, true,
                    PoolConnFactory.MAX_CHECK_IDLE_AFTER.toNanos(), null, 0, ExchangeObserver.NONE, null);
            pool = new AddressPool(address, config, Listeners.NONE, scheduler);

            PoolEntry first = pool.borrow(SECONDS.toNanos(5));
            first.link().write(new byte[] {0, 2, 'h', 'i'}, Deadlines.NONE, Retry.NONE);
            assertThat(first.link().readExact(4, Deadlines.NONE, Retry.NONE)).containsExactly(0, 2, 'h', 'i');
            pool.release(first, first.generation(), true, true);
            long returned = System.nanoTime();
            assertThat(pool.stats().idle()).as("pooled: the peer's close is not yet seen").isEqualTo(1);

            await("500 ms of idleness").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> System.nanoTime() - returned >= MILLISECONDS.toNanos(500));
            PoolEntry next = pool.borrow(SECONDS.toNanos(5));

            assertThat(next).as("a fresh connection: the idle one was checked and found closed").isNotSameAs(first);
            assertThat(pool.stats().closed()).isEqualTo(1);
            pool.release(next, next.generation(), true, false);
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
            CoarseClock.release();
            server.close();
            scheduler.shutdownNow();
        }
    }
}
