package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.AcquireTimeoutException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A borrower that waits long parks without a timeout, and the clock's thread ends its wait when its time is up
 * ({@link WaitDeadlines}): the acquire timeout and the call's deadline still hold, never early, a returned
 * connection still reaches it at once, and a pool is watched only while somebody waits in it. The state of the waiting thread tells the two parks apart:
 * {@code WAITING} without a timeout, {@code TIMED_WAITING} with one.
 */
@Timeout(value = 60, unit = SECONDS)
class WaitDeadlinesTest {

    private BarePool bare;
    private AddressPool pool;

    @AfterEach
    void tearDown() {
        if (bare != null) {
            bare.close();
        }
    }

    @Test
    void aLongWaitParksWithoutATimeoutAndEndsAtItsAcquireTimeoutNeverEarlier() throws Exception {
        startPool(1, SECONDS.toNanos(1));
        PoolEntry held = pool.borrow(SECONDS.toNanos(5));

        Waiter waiter = Waiter.start(() -> pool.borrow(SECONDS.toNanos(5)));
        awaitState(waiter, Thread.State.WAITING);
        assertThat(WaitDeadlines.isWatched(pool.waiters)).isTrue();

        Throwable failure = waiter.failure();
        assertThat(failure).isInstanceOf(AcquireTimeoutException.class);
        assertThat(waiter.nanos()).isGreaterThanOrEqualTo(SECONDS.toNanos(1));
        Awaitility.await("the pool no longer watched").atMost(10, SECONDS)
                .until(() -> !WaitDeadlines.isWatched(pool.waiters));
        pool.release(held, held.generation(), true, false);
    }

    @Test
    void theCallsDeadlineEndsAWaitParkedWithoutATimeout() throws Exception {
        startPool(1, SECONDS.toNanos(30));
        PoolEntry held = pool.borrow(SECONDS.toNanos(5));

        Waiter waiter = Waiter.start(() -> pool.borrow(SECONDS.toNanos(5), System.nanoTime() + SECONDS.toNanos(1),
                true));
        awaitState(waiter, Thread.State.WAITING);

        assertThat(waiter.failure()).isInstanceOf(AcquireTimeoutException.class);
        assertThat(waiter.nanos()).isGreaterThanOrEqualTo(SECONDS.toNanos(1));
        pool.release(held, held.generation(), true, false);
    }

    @Test
    void aReturnedConnectionReachesAWaiterParkedWithoutATimeout() throws Exception {
        startPool(1, SECONDS.toNanos(30));
        PoolEntry held = pool.borrow(SECONDS.toNanos(5));
        Waiter waiter = Waiter.start(() -> pool.borrow(SECONDS.toNanos(5)));
        awaitState(waiter, Thread.State.WAITING);

        pool.release(held, held.generation(), true, false);

        PoolEntry got = waiter.entry();
        assertThat(got).isSameAs(held);
        pool.release(got, got.generation(), true, false);
    }

    /**
     * Registering the pool with the clock's thread may park the waiter on a lock, and a park there uses up an
     * unpark meant for the waiter's own park. A waiter woken while it waited for that lock (its node taken off the
     * queue) then parked without a timeout and off the queue, where neither a return nor the clock's thread would
     * ever find it: the JMH contended benchmark hung with a thread parked 11 minutes past its 30 s acquire timeout.
     * Here the test holds the lock while the connection comes back, so that the wake-up reaches the waiter there.
     */
    @Test
    void aWakeUpThatComesWhileTheWaiterRegistersItsPoolIsNotLost() throws Exception {
        startPool(1, SECONDS.toNanos(30));
        PoolEntry held = pool.borrow(SECONDS.toNanos(5));
        assertThat(WaitDeadlines.isWatched(pool.waiters)).isFalse();
        Waiter waiter;
        WaitDeadlines.LOCK.lock();
        try {
            waiter = Waiter.start(() -> pool.borrow(SECONDS.toNanos(5)));
            Awaitility.await("the waiter at the lock").atMost(10, SECONDS).pollInterval(1, MILLISECONDS)
                    .until(() -> WaitDeadlines.LOCK.hasQueuedThread(waiter.thread));
            pool.release(held, held.generation(), true, false); // wakes the waiter, which is parked on the lock
            Awaitility.await("the wake-up given").atMost(10, SECONDS).until(() -> pool.stats().idle() == 1);
        } finally {
            WaitDeadlines.LOCK.unlock();
        }
        PoolEntry got = waiter.entry(); // 10 s: far less than the acquire timeout that would end a lost waiter
        assertThat(got).isSameAs(held);
        pool.release(got, got.generation(), true, false);
    }

    @Test
    void manyWaitersWithDifferentDeadlinesEachEndAtTheirOwn() throws Exception {
        startPool(1, SECONDS.toNanos(30));
        PoolEntry held = pool.borrow(SECONDS.toNanos(5));
        List<Waiter> waiters = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) { // deadlines from 3 s down to 150 ms: the earliest is not the first to come
            long deadline = start + MILLISECONDS.toNanos(3000 - 150 * i);
            waiters.add(Waiter.start(() -> pool.borrow(SECONDS.toNanos(5), deadline, true)));
        }
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            assertThat(w.failure()).isInstanceOf(AcquireTimeoutException.class);
            assertThat(w.endedAt - start).isGreaterThanOrEqualTo(MILLISECONDS.toNanos(3000 - 150 * i));
        }
        assertThat(pool.waiting()).isZero();
        pool.release(held, held.generation(), true, false);
    }

    private static void awaitState(Waiter waiter, Thread.State state) {
        Awaitility.await("the waiter " + state).atMost(10, SECONDS).pollInterval(1, MILLISECONDS)
                .until(() -> waiter.thread.getState() == state);
    }

    /** One borrower on a thread of its own: what it got or what it threw, and when it ended. */
    private static final class Waiter {
        interface Borrow {
            PoolEntry borrow() throws IOException;
        }

        final CompletableFuture<PoolEntry> result = new CompletableFuture<>();
        final long startedAt = System.nanoTime();
        volatile long endedAt;
        Thread thread;

        static Waiter start(Borrow borrow) {
            Waiter w = new Waiter();
            w.thread = new Thread(() -> {
                try {
                    PoolEntry e = borrow.borrow();
                    w.endedAt = System.nanoTime();
                    w.result.complete(e);
                } catch (Throwable e) {
                    w.endedAt = System.nanoTime();
                    w.result.completeExceptionally(e);
                }
            }, "waiter");
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        PoolEntry entry() throws Exception {
            return result.get(10, SECONDS);
        }

        Throwable failure() throws Exception {
            try {
                result.get(10, SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
            throw new AssertionError("the borrow did not fail");
        }

        long nanos() {
            return endedAt - startedAt;
        }
    }

    private void startPool(int size, long acquireTimeoutNanos) throws IOException {
        bare = BarePool.start("waits", size, acquireTimeoutNanos, true, true);
        pool = bare.pool;
    }
}
