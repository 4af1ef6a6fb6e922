package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A return that races a borrower joining the waiters must not leave that borrower parked beside the idle
 * connection. The return used to read the waiters' count before it marked the entry idle: a borrower that counted
 * itself in between, queued, and looked (finding the entry still in use) was never woken, and waited for the next
 * event of the pool (another return, a housekeeping pass: 636 and 990 ms in two of 600,000 rounds of this race,
 * through a factory) or, in a pool without housekeeping such as this bare one, for its whole acquire timeout. The
 * race needs the returning thread to pause between two adjacent instructions; with the old order this test failed
 * in each of 3 runs, at rounds 26,776, 33,997 and 240,601. The order it checks is the Dekker pattern of
 * {@link Waiters}' class comment: publish the entry, then read the count.
 */
@Timeout(value = 90, unit = SECONDS)
class ReturnRacesWaiterTest {

    private static final long ACQUIRE_TIMEOUT_NANOS = SECONDS.toNanos(30);
    private static final long HANG_NANOS = SECONDS.toNanos(5);

    private BarePool bare;
    private AddressPool pool;
    private volatile int held;
    private volatile int done;
    private volatile boolean stop;

    @AfterEach
    void tearDown() {
        if (bare != null) {
            bare.close();
        }
    }

    @Test
    void aBorrowerThatStartsWaitingAsTheOnlyConnectionComesBackGetsIt() throws Exception {
        startPool();
        int rounds = 300_000;
        long end = System.nanoTime() + SECONDS.toNanos(15); // bounded in time as well as in count
        CompletableFuture<Long> longest = CompletableFuture.supplyAsync(() -> {
            long max = 0;
            try {
                for (int i = 1; i <= rounds; i++) {
                    while (held != i && !stop) {
                        Thread.onSpinWait();
                    }
                    if (held != i) {
                        break; // time is up
                    }
                    long start = System.nanoTime();
                    PoolEntry e = pool.borrow(SECONDS.toNanos(5)); // waits unless the return came first
                    max = Math.max(max, System.nanoTime() - start);
                    pool.release(e, e.generation(), true, false);
                    done = i;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return max;
        });
        int i = 1;
        for (; i <= rounds && System.nanoTime() - end < 0; i++) {
            PoolEntry e = pool.borrow(SECONDS.toNanos(5));
            held = i; // the other thread starts borrowing now, while this one still holds the connection
            int spins = ThreadLocalRandom.current().nextInt(2000);
            for (int s = 0; s < spins; s++) {
                Thread.onSpinWait();
            }
            pool.release(e, e.generation(), true, false);
            long hang = System.nanoTime() + HANG_NANOS;
            while (done != i && System.nanoTime() - hang < 0) {
                Thread.onSpinWait();
            }
            assertThat(done).as("round %d: the waiter got the returned connection", i).isEqualTo(i);
        }
        stop = true;
        assertThat(longest.get(30, SECONDS)).isLessThan(HANG_NANOS);
        assertThat(pool.stats().total()).isEqualTo(1);
    }

    private void startPool() throws java.io.IOException {
        bare = BarePool.start("race", 1, ACQUIRE_TIMEOUT_NANOS, false, true);
        pool = bare.pool;
    }
}
