package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AddressPool#borrowed()} and {@link AddressPool#recentlyBorrowed()}, the load the endpoint group balances
 * on: borrowed connections and dials for borrowers, counted by a scan of the pool (now, or as of the coarse clock's
 * tick), changed by a borrow and by a return whatever way the return goes.
 */
@Timeout(value = 30, unit = SECONDS)
class AddressPoolBorrowedTest {

    private BarePool bare;
    private AddressPool pool;

    @AfterEach
    void tearDown() {
        if (bare != null) {
            bare.close();
        }
    }

    @Test
    void borrowedCountsBorrowedConnectionsUntilTheyComeBackHealthyOrBroken() throws Exception {
        startPool();

        assertThat(pool.borrowed()).isZero();
        PoolEntry dialled = pool.borrow(SECONDS.toNanos(5));
        PoolEntry second = pool.borrow(SECONDS.toNanos(5));
        assertThat(pool.borrowed()).isEqualTo(2);

        pool.release(dialled, dialled.generation(), true, false);
        assertThat(pool.borrowed()).isEqualTo(1);
        pool.release(dialled, dialled.generation() - 1, true, false); // a stale second close changes nothing
        assertThat(pool.borrowed()).isEqualTo(1);

        PoolEntry reused = pool.borrow(SECONDS.toNanos(5));
        assertThat(reused).isSameAs(dialled);
        assertThat(pool.borrowed()).isEqualTo(2);
        pool.release(second, second.generation(), false, false); // broken: closed, and no longer busy
        pool.release(reused, reused.generation(), true, false);
        assertThat(pool.borrowed()).isZero();
        assertThat(pool.stats()).extracting(s -> s.idle(), s -> s.total()).containsExactly(1, 1);
    }

    @Test
    void recentlyBorrowedFollowsTheCountWithinTicksOfTheClock() throws Exception {
        startPool();

        assertThat(pool.recentlyBorrowed()).isZero();
        PoolEntry first = pool.borrow(SECONDS.toNanos(5));
        PoolEntry second = pool.borrow(SECONDS.toNanos(5));
        Awaitility.await().atMost(10, SECONDS).until(() -> pool.recentlyBorrowed() == 2);

        pool.release(first, first.generation(), true, false);
        pool.release(second, second.generation(), false, false);
        Awaitility.await().atMost(10, SECONDS).until(() -> pool.recentlyBorrowed() == 0);
        assertThat(pool.borrowed()).isZero();
    }

    /** An echo server on loopback and a pool of at most 4 connections to it, the coarse clock ticking. */
    private void startPool() throws java.io.IOException {
        bare = BarePool.start("busy", 4, SECONDS.toNanos(5), true, true);
        pool = bare.pool;
    }
}
